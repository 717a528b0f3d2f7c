package org.kloaka.channels;

import java.util.concurrent.CompletableFuture;
import org.kloaka.core.notify.Message;

/** One configured channel. {@link #send} must not block its caller for the delivery. */
public interface Channel extends AutoCloseable {

  /** Completes once delivered; exceptionally, with a reason for a person, otherwise. */
  CompletableFuture<Void> send(Message message);

  @Override
  default void close() {}
}
