package org.kloaka.core;

import java.time.Clock;
import java.util.Optional;
import org.kloaka.api.Push;
import org.kloaka.core.DeviceRules.DeviceChange;
import org.kloaka.core.port.DeviceStore;
import org.kloaka.core.port.EventSink;
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
 * and recent measurements, and records every accepted message in the history (CONTRACT §1–§2).
 *
 * <p>Writes are version-checked: when another writer changed the device in between, the reading is
 * applied again to the fresh record, so concurrent organizers never lose an update.
 */
public final class Organizer {

  /** How many times a conflicting device write is retried before giving up. */
  static final int MAX_ATTEMPTS = 50;

  private final IngestParser parser;
  private final DeviceStore devices;
  private final HistoryStore history;
  private final RejectStore rejects;
  private final EventSink events;
  private final Clock clock;
  private final int keep;

  /**
   * @param keep how many recent measurements a device record holds (CONTRACT §2: 100 by default)
   */
  public Organizer(
      IngestParser parser,
      DeviceStore devices,
      HistoryStore history,
      RejectStore rejects,
      EventSink events,
      Clock clock,
      int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("keep must be at least 1, was " + keep);
    }
    this.parser = parser;
    this.devices = devices;
    this.history = history;
    this.rejects = rejects;
    this.events = events;
    this.clock = clock;
    this.keep = keep;
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
    for (int attempt = 1; ; attempt++) {
      Optional<Stored<Device>> current = devices.find(reading.id());
      DeviceChange change = DeviceRules.apply(current.map(Stored::value), reading, keep);
      if (devices.replace(current.orElse(null), change.after())) {
        history.append(
            reading.id(), new Measurement(reading.filling(), reading.time()), reading.signal());
        if (change.lastChanged()) {
          Device after = change.after();
          events.publish(
              new Push.DevicePush(
                  new Push.DeviceState(after.id(), after.lastValue(), after.lastUpdate())));
        }
        return new Outcome.Accepted(change);
      }
      if (attempt >= MAX_ATTEMPTS) {
        throw new IllegalStateException(
            "device " + reading.id() + " kept changing under " + MAX_ATTEMPTS + " attempts");
      }
    }
  }

  /** What happened to one message. */
  public sealed interface Outcome {

    /** Stored; {@code change.current()} tells whether it became the device's last value. */
    record Accepted(DeviceChange change) implements Outcome {}

    /** Refused, and kept in the rejects with this reason. */
    record Rejected(String reason) implements Outcome {}

    /** The same message was stored before (a redelivery); nothing changed. */
    record Duplicate() implements Outcome {}
  }
}
