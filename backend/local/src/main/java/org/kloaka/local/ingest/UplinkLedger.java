package org.kloaka.local.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Which uplinks from The Things Stack are stored already, so that a backfill from its Storage
 * Integration adds only those the live MQTT path missed (docs/decisions/021). An uplink is known by
 * its device id and the Application Server's {@code received_at}, which the MQTT message and the
 * stored copy share to the nanosecond.
 */
public interface UplinkLedger {

  /**
   * Records {@code key} in the current transaction.
   *
   * @return false when it was recorded before: the message is a duplicate
   */
  boolean claim(UplinkKey key);

  /** The newest {@code received_at} recorded, in epoch nanoseconds: where a backfill starts. */
  OptionalLong newestNanos();

  /** Forgets keys older than {@code nanos} but the newest one; answers how many. */
  int pruneBefore(long nanos);

  /** An uplink's identity: device id and the Application Server's received_at. */
  record UplinkKey(String deviceId, long receivedNanos) {

    private static final JsonFactory JSON = new JsonFactory();

    /**
     * Reads the key from an uplink's JSON ({@code end_device_ids.device_id} and the top-level
     * {@code received_at}) without building a tree; empty when either is missing or the payload is
     * not such JSON (it is then not deduplicated, and the parser decides what it is).
     */
    public static Optional<UplinkKey> of(byte[] payload) {
      String device = null;
      String receivedAt = null;
      try (JsonParser parser = JSON.createParser(payload)) {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
          return Optional.empty();
        }
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          JsonToken value = parser.nextToken();
          if ("received_at".equals(name) && value == JsonToken.VALUE_STRING) {
            receivedAt = parser.getText();
          } else if ("end_device_ids".equals(name) && value == JsonToken.START_OBJECT) {
            device = deviceId(parser);
          } else {
            parser.skipChildren();
          }
        }
        if (token != JsonToken.END_OBJECT) {
          return Optional.empty();
        }
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      }
      if (device == null || receivedAt == null) {
        return Optional.empty();
      }
      try {
        Instant at = OffsetDateTime.parse(receivedAt).toInstant();
        return Optional.of(
            new UplinkKey(
                device,
                Math.addExact(
                    Math.multiplyExact(at.getEpochSecond(), 1_000_000_000L), at.getNano())));
      } catch (DateTimeException | ArithmeticException e) {
        return Optional.empty();
      }
    }

    private static String deviceId(JsonParser parser) throws IOException {
      String device = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("device_id".equals(name) && value == JsonToken.VALUE_STRING) {
          device = parser.getText();
        } else {
          parser.skipChildren();
        }
      }
      return device;
    }
  }
}
