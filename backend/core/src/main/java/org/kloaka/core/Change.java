package org.kloaka.core;

import org.kloaka.model.Filling;
import org.kloaka.model.Problem;
import org.kloaka.model.SensorId;

/**
 * Something a committed unit of work changed that consoles are told about (docs/websocket.md). The
 * core hands these back in the order they happened; an adapter turns them into pushes.
 */
public sealed interface Change {

  /** A device's {@code last_value} or {@code last_update} moved (a late message is no change). */
  record DeviceChanged(SensorId id, Filling lastValue, long lastUpdate) implements Change {}

  /** A problem record changed in a way consoles must hear of (not when only last_seen moved). */
  record ProblemChanged(Problem problem) implements Change {}
}
