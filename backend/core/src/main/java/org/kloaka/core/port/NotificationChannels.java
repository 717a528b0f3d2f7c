package org.kloaka.core.port;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.kloaka.core.notify.Message;

/**
 * Where notifications go out: the deployment's channel adapters (webhook, e-mail, SNS) by the names
 * the notification file gives them.
 */
public interface NotificationChannels {

  Set<String> names();

  /**
   * Sends one message and never blocks the caller for the delivery: the future completes once the
   * channel took the message (a webhook answered 2xx, the SMTP server accepted it), exceptionally
   * with a reason for a person when it did not or did not answer in time.
   */
  CompletableFuture<Void> send(String channel, Message message);

  NotificationChannels NONE =
      new NotificationChannels() {
        @Override
        public Set<String> names() {
          return Set.of();
        }

        @Override
        public CompletableFuture<Void> send(String channel, Message message) {
          return CompletableFuture.failedFuture(
              new IllegalArgumentException("no channel " + channel));
        }
      };
}
