package org.kloaka.core.app;

import java.util.ArrayList;
import java.util.List;
import org.kloaka.core.Change;
import org.kloaka.core.DeviceRules.DeviceChange;
import org.kloaka.core.Organizer;
import org.kloaka.core.Organizer.Outcome;

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

  /** A payload as received: parsed on the receiving thread, stored later by {@link #handle}. */
  public record Command(Organizer.Parsed parsed) {

    public byte[] payload() {
      return parsed.payload();
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

  private IngestMessage(Organizer organizer, InspectPairs inspectNow) {
    this.organizer = organizer;
    this.inspectNow = inspectNow;
  }

  /** The local runtime: the inspection is part of the message's unit of work. */
  public static IngestMessage inspectingInTheSameUnit(Organizer organizer, InspectPairs inspect) {
    return new IngestMessage(organizer, inspect);
  }

  /** AWS: the devices table's stream runs {@link InspectPairs} on the written record. */
  public static IngestMessage inspectedFromTheDeviceStream(Organizer organizer) {
    return new IngestMessage(organizer, null);
  }

  /** Parses {@code payload} as received now; touches no store and is thread-safe. */
  public Command receive(byte[] payload) {
    return new Command(organizer.parse(payload));
  }

  public Result handle(Command command) {
    Outcome outcome = organizer.accept(command.parsed());
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
