package org.kloaka.core.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.kloaka.core.Change;
import org.kloaka.core.DeviceRules.DeviceChange;
import org.kloaka.core.Organizer;
import org.kloaka.core.Organizer.Outcome;
import org.kloaka.core.port.StoreOnce;

/**
 * Use case: a device message arrived (MQTT, a webhook, a test). It is parsed, stored or rejected,
 * and — where the deployment inspects in the same unit of work — the sensor's pairs are evaluated
 * by the one rule of {@link InspectPairs}. On AWS the devices table's stream runs {@link
 * InspectPairs} instead, with the same rule (docs/ingest.md, docs/decisions/015).
 *
 * <p>{@link #handle} runs inside the caller's unit of work and writes nothing else; the caller
 * commits, then acknowledges, then releases {@link Result#changes()} (docs/decisions/015).
 */
public final class IngestMessage {

  /**
   * A payload as received: parsed on the receiving thread, stored later by {@link #handle}.
   *
   * @param delivery the message's own identity when its sender retries with the same one (AWS IoT
   *     rules), else {@code null}
   */
  public record Command(Organizer.Parsed parsed, Delivery delivery) {

    public Command(Organizer.Parsed parsed) {
      this(parsed, null);
    }

    public byte[] payload() {
      return parsed.payload();
    }
  }

  /**
   * Who delivered a message and when, the same in every retry of one delivery: an IoT rule's {@code
   * newuuid()} and {@code timestamp()} (docs/decisions/020-ttn-ingest.md).
   */
  public record Delivery(String id, long arrivalMillis) {

    public Delivery {
      Objects.requireNonNull(id, "id");
    }
  }

  /** What one message did, and what consoles must hear of, in the order it happened. */
  public record Result(Outcome outcome, List<Change> changes) {

    public Result {
      changes = List.copyOf(changes);
    }
  }

  private final Organizer organizer;
  private final InspectPairs inspectNow;
  private final StoreOnce once;

  private IngestMessage(Organizer organizer, InspectPairs inspectNow, StoreOnce once) {
    this.organizer = Objects.requireNonNull(organizer, "organizer");
    this.inspectNow = inspectNow;
    this.once = once;
  }

  /** The local runtime: the inspection is part of the message's unit of work. */
  public static IngestMessage inspectingInTheSameUnit(Organizer organizer, InspectPairs inspect) {
    return new IngestMessage(organizer, Objects.requireNonNull(inspect, "inspect"), null);
  }

  /** AWS: the devices table's stream runs {@link InspectPairs} on the written record. */
  public static IngestMessage inspectedFromTheDeviceStream(Organizer organizer) {
    return new IngestMessage(organizer, null, null);
  }

  /**
   * AWS's IoT rule action: like {@link #inspectedFromTheDeviceStream(Organizer)}, and a message
   * with a {@link Delivery} is stored by {@code once}, so a retried delivery stores nothing twice.
   */
  public static IngestMessage inspectedFromTheDeviceStream(Organizer organizer, StoreOnce once) {
    return new IngestMessage(organizer, null, Objects.requireNonNull(once, "once"));
  }

  /** Parses {@code payload} as received now; touches no store and is thread-safe. */
  public Command receive(byte[] payload) {
    return new Command(organizer.parse(payload));
  }

  /**
   * Like {@link #receive(byte[])} with another size limit (uplinks straight from The Things Stack
   * may be up to {@code IngestParser.MAX_UPLINK_BYTES}) and the delivery's identity, if any.
   */
  public Command receive(byte[] payload, int maxBytes, Delivery delivery) {
    return new Command(organizer.parse(payload, maxBytes), delivery);
  }

  public Result handle(Command command) {
    Outcome outcome =
        command.delivery() != null && once != null
            ? once.store(command.parsed(), command.delivery())
            : organizer.accept(command.parsed());
    if (inspectNow == null || !(outcome instanceof Outcome.Accepted accepted)) {
      return new Result(outcome, outcome.changes());
    }
    DeviceChange change = accepted.change();
    var inspection = inspectNow.handle(new InspectPairs.Command(change.before(), change.after()));
    if (inspection.changes().isEmpty()) {
      return new Result(outcome, outcome.changes());
    }
    List<Change> changes = new ArrayList<>(outcome.changes());
    changes.addAll(inspection.changes());
    return new Result(outcome, changes);
  }
}
