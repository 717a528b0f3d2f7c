package org.kloaka.core;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.kloaka.core.ConflictRetry.Attempt;
import org.kloaka.core.port.DeviceStore;
import org.kloaka.core.port.ProblemStore;
import org.kloaka.core.port.Stored;
import org.kloaka.model.Device;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemEvent;
import org.kloaka.model.SensorId;
import org.kloaka.model.Verdict;

/**
 * The inspector: compares a sensor with each neighbour and runs the problem lifecycle of
 * docs/problems.md on every pair it belongs to. When to call it is the use case's rule ({@code
 * org.kloaka.core.app.InspectPairs}).
 *
 * <p>Idempotent: inspecting the same sensor twice with nothing changed in between writes at most
 * {@code last_seen} and changes nothing consoles hear of, so at-least-once delivery is harmless.
 */
public final class Inspector {

  static final int MAX_ATTEMPTS = ConflictRetry.MAX_ATTEMPTS;

  private final DeviceStore devices;
  private final ProblemStore problems;
  private final Neighbours neighbours;
  private final Clock clock;

  public Inspector(DeviceStore devices, ProblemStore problems, Neighbours neighbours, Clock clock) {
    this.devices = devices;
    this.problems = problems;
    this.neighbours = neighbours;
    this.clock = clock;
  }

  /**
   * The records one inspection wrote (including ones where only {@code last_seen} moved), and the
   * changes among them consoles must hear of, in the order they were written.
   */
  public record Inspection(List<Problem> written, List<Change> changes) {

    public static final Inspection NONE = new Inspection(List.of(), List.of());

    public Inspection {
      written = List.copyOf(written);
      changes = List.copyOf(changes);
    }
  }

  /**
   * Evaluates every pair {@code changed} belongs to. A pair whose other sensor never reported is
   * skipped.
   */
  public Inspection inspect(SensorId changed) {
    List<Problem> written = new ArrayList<>();
    List<Change> changes = new ArrayList<>();
    for (SensorId upstream : neighbours.previousOf(changed)) {
      evaluate(upstream, changed, written, changes);
    }
    for (SensorId downstream : neighbours.followingOf(changed)) {
      evaluate(changed, downstream, written, changes);
    }
    return written.isEmpty() ? Inspection.NONE : new Inspection(written, changes);
  }

  private void evaluate(
      SensorId upstreamId, SensorId downstreamId, List<Problem> written, List<Change> changes) {
    Optional<Device> upstream = devices.findState(upstreamId).map(Stored::value);
    Optional<Device> downstream = devices.findState(downstreamId).map(Stored::value);
    if (upstream.isEmpty() || downstream.isEmpty()) {
      return;
    }
    Verdict verdict = Verdict.of(upstream.get().lastValue(), downstream.get().lastValue());
    String problemId = Problem.idOf(upstreamId, downstreamId);
    // millis(): for the system clock a plain currentTimeMillis, cheaper than building an Instant.
    long now = Math.floorDiv(clock.millis(), 1000);
    ConflictRetry.untilDone(
        () -> "problem " + problemId,
        () -> {
          Optional<Stored<Problem>> current = problems.find(problemId);
          Problem before = current.map(Stored::value).orElse(null);
          Optional<Problem> next =
              ProblemLifecycle.afterVerdict(
                  Optional.ofNullable(before), verdict, upstream.get(), downstream.get(), now);
          if (next.isEmpty()) {
            return Attempt.done(null);
          }
          List<ProblemEvent> events = ProblemLifecycle.eventsOf(before, next.get(), now, null);
          if (!problems.replace(current.orElse(null), next.get(), events)) {
            return Attempt.conflict();
          }
          written.add(next.get());
          if (ProblemLifecycle.worthPushing(before, next.get())) {
            changes.add(new Change.ProblemChanged(next.get()));
          }
          return Attempt.done(null);
        });
  }
}
