package org.kloaka.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Device payloads for tests that need a measurement time other than the server's clock. */
public final class Uplinks {

  private Uplinks() {}

  /**
   * A The Things Stack v3 uplink of {@code kloaka<sensor>} measured at {@code epochSecond}, e.g.
   * {@code ttn("02", 50, T)}.
   */
  public static byte[] ttn(String sensor, int filling, long epochSecond) {
    return ("{\"end_device_ids\":{\"device_id\":\"kloaka"
            + sensor
            + "\"},\"received_at\":\""
            + Instant.ofEpochSecond(epochSecond)
            + "\",\"uplink_message\":{\"decoded_payload\":{\"filling\":"
            + filling
            + "}}}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
