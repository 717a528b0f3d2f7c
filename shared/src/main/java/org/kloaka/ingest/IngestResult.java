package org.kloaka.ingest;

import java.math.BigDecimal;
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
   * @param devEui {@code end_device_ids.dev_eui}, or {@code null}
   * @param battery {@code decoded_payload.battery} as the device reports it, or {@code null}
   * @param fCnt {@code uplink_message.f_cnt}, or {@code null} (The Things Stack omits a 0)
   */
  record Reading(
      SensorId id,
      Filling filling,
      long time,
      Signal signal,
      String devEui,
      BigDecimal battery,
      Long fCnt)
      implements IngestResult {
    public Reading {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(filling, "filling");
    }

    /** A reading without The Things Stack's device fields. */
    public Reading(SensorId id, Filling filling, long time, Signal signal) {
      this(id, filling, time, signal, null, null, null);
    }
  }

  /** A refused payload and why, in words a person understands. */
  record Rejection(String reason) implements IngestResult {
    public Rejection {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
