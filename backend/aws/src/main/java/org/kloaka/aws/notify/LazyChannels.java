package org.kloaka.aws.notify;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.kloaka.channels.ChannelSet;
import org.kloaka.core.notify.Message;
import org.kloaka.core.notify.NotificationPlan;
import org.kloaka.core.port.NotificationChannels;
import org.kloaka.notify.NotifyException;

/**
 * The channels of a function that takes a SnapStart snapshot (the REST function, for {@code POST
 * /notifications/test}): built with their SSM secrets on the first send, never while the snapshot
 * is taken, so a restored copy reads the secrets as they are then. A build that fails is tried
 * again on the next send; each send it fails answers the reason.
 */
public final class LazyChannels implements NotificationChannels {

  /** Builds the channels, reading their secrets. */
  @FunctionalInterface
  public interface Builder {
    ChannelSet build() throws NotifyException;
  }

  private final NotificationPlan plan;
  private final Builder builder;
  private ChannelSet built;

  public LazyChannels(NotificationPlan plan, Builder builder) {
    this.plan = plan;
    this.builder = builder;
  }

  @Override
  public Set<String> names() {
    return plan.channels();
  }

  @Override
  public CompletableFuture<Void> send(String channel, Message message) {
    ChannelSet channels;
    try {
      channels = channels();
    } catch (NotifyException e) {
      return CompletableFuture.failedFuture(new IllegalStateException(e.getMessage(), e));
    }
    return channels.send(channel, message);
  }

  private synchronized ChannelSet channels() throws NotifyException {
    if (built == null) {
      built = builder.build();
    }
    return built;
  }
}
