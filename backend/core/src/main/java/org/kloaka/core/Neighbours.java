package org.kloaka.core;

import java.util.List;
import org.kloaka.model.SensorId;

/**
 * Who flows into whom. The id convention (CONTRACT §1) gives one previous and one following sensor
 * by number; a network file can override it and add junctions (several previous sensors).
 */
public interface Neighbours {

  /** Sensors directly upstream of {@code id}, in no particular order. */
  List<SensorId> previousOf(SensorId id);

  /** Sensors directly downstream of {@code id} (at most one in practice). */
  List<SensorId> followingOf(SensorId id);

  /** The id convention alone: (T, S−1) flows into (T, S), which flows into (T, S+1). */
  Neighbours BY_ID_CONVENTION =
      new Neighbours() {
        @Override
        public List<SensorId> previousOf(SensorId id) {
          return id.previous().map(List::of).orElse(List.of());
        }

        @Override
        public List<SensorId> followingOf(SensorId id) {
          return id.following().map(List::of).orElse(List.of());
        }
      };
}
