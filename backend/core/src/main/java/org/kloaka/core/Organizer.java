package org.kloaka.core;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.kloaka.core.ConflictRetry.Attempt;
import org.kloaka.core.DeviceRules.DeviceChange;
import org.kloaka.core.port.DeviceStore;
import org.kloaka.core.port.HistoryStore;
import org.kloaka.core.port.RejectStore;
import org.kloaka.core.port.Stored;
import org.kloaka.ingest.IngestParser;
import org.kloaka.ingest.IngestResult;
import org.kloaka.ingest.IngestResult.Reading;
import org.kloaka.ingest.IngestResult.Rejection;
import org.kloaka.model.Device;
import org.kloaka.model.Measurement;
import org.kloaka.model.Reject;

/**
 * The organizer: takes every device message, registers new devices, keeps each device's last value
 * and recent measurements, and records every accepted message in the history (docs/ingest.md).
 *
 * <p>Writes are version-checked: when another writer changed the device in between, the reading is
 * applied again to the fresh record ({@link ConflictRetry}), so concurrent organizers never lose an
 * update. It publishes nothing: what changed is in the {@link Outcome} it returns.
 */
public final class Organizer {

  /** How many times a conflicting device write is retried before giving up. */
  static final int MAX_ATTEMPTS = ConflictRetry.MAX_ATTEMPTS;

  private final IngestParser parser;
  private final DeviceStore devices;
  private final HistoryStore history;
  private final RejectStore rejects;
  private final Clock clock;

  public Organizer(
      IngestParser parser,
      DeviceStore devices,
      HistoryStore history,
      RejectStore rejects,
      Clock clock) {
    this.parser = parser;
    this.devices = devices;
    this.history = history;
    this.rejects = rejects;
    this.clock = clock;
  }

  /**
   * Parses and applies one raw payload; a bad one is recorded as a reject and changes nothing else.
   */
  public Outcome accept(byte[] payload) {
    return accept(parse(payload));
  }

  /**
   * The first half of {@link #accept(byte[])}: parses a payload as received now, touching no store.
   * Thread-safe, so a pipeline can parse on the threads that receive messages and keep its writer
   * for {@link #accept(Parsed)}.
   */
  public Parsed parse(byte[] payload) {
    return parse(payload, IngestParser.MAX_PAYLOAD_BYTES);
  }

  /**
   * Like {@link #parse(byte[])} with another size limit: uplinks straight from The Things Stack may
   * be up to {@link IngestParser#MAX_UPLINK_BYTES}.
   */
  public Parsed parse(byte[] payload, int maxBytes) {
    // millis(): for the system clock a plain currentTimeMillis, cheaper than building an Instant.
    long now = Math.floorDiv(clock.millis(), 1000);
    return new Parsed(parser.parse(payload, now, maxBytes), payload, now);
  }

  /** The second half of {@link #accept(byte[])}: stores a parsed payload, or its rejection. */
  public Outcome accept(Parsed parsed) {
    if (parsed.result() instanceof Rejection rejection) {
      rejects.add(
          new Reject(rejection.reason(), parsed.received(), Rejects.preview(parsed.payload())));
      return new Outcome.Rejected(rejection.reason());
    }
    return apply((Reading) parsed.result());
  }

  /** A payload as parsed on arrival: its reading or rejection, and when it was received. */
  public record Parsed(IngestResult result, byte[] payload, long received) {}

  /** Applies one parsed reading. */
  public Outcome.Accepted apply(Reading reading) {
    Measurement measurement = new Measurement(reading.filling(), reading.time());
    DeviceChange change =
        ConflictRetry.untilDone(
            () -> "device " + reading.id(),
            () -> {
              Optional<Stored<Device>> current = devices.findState(reading.id());
              DeviceChange next = DeviceRules.apply(current.map(Stored::value), reading);
              return devices.record(current.orElse(null), next.after(), measurement)
                  ? Attempt.done(next)
                  : Attempt.conflict();
            });
    history.append(reading.id(), measurement, reading.signal());
    return new Outcome.Accepted(change);
  }

  /** What happened to one message. */
  public sealed interface Outcome {

    /** What consoles must hear of: the device's new last value, if it moved. */
    List<Change> changes();

    /** Stored; {@code change.current()} tells whether it became the device's last value. */
    record Accepted(DeviceChange change) implements Outcome {
      @Override
      public List<Change> changes() {
        if (!change.lastChanged()) {
          return List.of();
        }
        Device after = change.after();
        return List.of(new Change.DeviceChanged(after.id(), after.lastValue(), after.lastUpdate()));
      }
    }

    /** Refused, and kept in the rejects with this reason. */
    record Rejected(String reason) implements Outcome {
      @Override
      public List<Change> changes() {
        return List.of();
      }
    }

    /** The same message was stored before (a redelivery); nothing changed. */
    record Duplicate() implements Outcome {
      @Override
      public List<Change> changes() {
        return List.of();
      }
    }
  }
}
