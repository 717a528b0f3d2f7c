package org.kloaka.core.port;

import org.kloaka.api.Push;

/**
 * Where the core announces changes for consoles (CONTRACT §5).
 *
 * <p>Called inside a {@link Transactions} unit of work: an implementation must not deliver an event
 * before that unit has committed, and must drop it if the unit fails. Deployments whose pushes come
 * from change streams (AWS) use {@link #NONE}.
 */
public interface EventSink {

  void publish(Push event);

  EventSink NONE = event -> {};
}
