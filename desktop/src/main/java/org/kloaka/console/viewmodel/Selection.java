package org.kloaka.console.viewmodel;

import org.kloaka.model.SensorId;

/** What the operator has selected: a sensor or a pair (a segment, and its problem if any). */
public sealed interface Selection {

  record Sensor(SensorId id) implements Selection {}

  record Pair(String pairId) implements Selection {}
}
