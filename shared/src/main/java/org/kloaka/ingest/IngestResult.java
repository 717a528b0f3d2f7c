package org.kloaka.ingest;

import java.util.Objects;
import org.kloaka.model.Filling;
import org.kloaka.model.SensorId;
import org.kloaka.model.Signal;

/** What the ingest parser made of one payload: a reading to store, or a rejection with a reason. */
public sealed interface IngestResult {

  /**
   * A valid reading.
   *
   * @param time measurement time in epoch seconds (TTN's {@code received_at}, else the server's
   *     clock)
   * @param signal radio metadata from The Things Stack, or {@code null}
   */
  record Reading(SensorId id, Filling filling, long time, Signal signal) implements IngestResult {
    public Reading {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(filling, "filling");
    }
  }

  /** A refused payload and why, in words a person understands. */
  record Rejection(String reason) implements IngestResult {
    public Rejection {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
