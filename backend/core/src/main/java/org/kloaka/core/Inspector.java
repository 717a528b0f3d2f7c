package org.kloaka.core;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.kloaka.core.ConflictRetry.Attempt;
import org.kloaka.core.port.DeviceStore;
import org.kloaka.core.port.PendingStore;
import org.kloaka.core.port.PendingStore.Pending;
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
 * <p>With a confirmation window, a pair that would open (or re-activate) waits until it has been
 * not OK for that long in measurement time; the wait is stored in a {@link PendingStore} in the
 * same unit of work, and any OK evaluation ends it (docs/problems.md).
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
  private final PendingStore pending;
  private final long confirmSeconds;

  /** Without a confirmation window: the first not-OK evaluation opens a problem. */
  public Inspector(DeviceStore devices, ProblemStore problems, Neighbours neighbours, Clock clock) {
    this(devices, problems, neighbours, clock, null, Duration.ZERO);
  }

  /**
   * @param pending where waits are kept; may be {@code null} only when {@code confirmAfter} is zero
   * @param confirmAfter how long a pair must stay not OK before its problem opens or re-activates
   */
  public Inspector(
      DeviceStore devices,
      ProblemStore problems,
      Neighbours neighbours,
      Clock clock,
      PendingStore pending,
      Duration confirmAfter) {
    this.devices = devices;
    this.problems = problems;
    this.neighbours = neighbours;
    this.clock = clock;
    this.confirmSeconds = confirmAfter.toSeconds();
    if (confirmSeconds > 0 && pending == null) {
      throw new IllegalArgumentException("a confirmation window needs a store for the waits");
    }
    this.pending = pending;
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
    // The evaluation's measurement time: that of the newer of the two readings.
    long measured = Math.max(upstream.get().lastUpdate(), downstream.get().lastUpdate());
    ConflictRetry.untilDone(
        () -> "problem " + problemId,
        () -> {
          Optional<Stored<Problem>> current = problems.find(problemId);
          Problem before = current.map(Stored::value).orElse(null);
          Wait wait = confirmSeconds == 0 ? Wait.NONE : wait(problemId, verdict, before, measured);
          if (wait.conflicted()) {
            return Attempt.conflict();
          }
          if (wait.holds()) {
            return Attempt.done(null);
          }
          Optional<Problem> next =
              ProblemLifecycle.afterVerdict(
                  Optional.ofNullable(before), verdict, upstream.get(), downstream.get(), now);
          if (next.isEmpty()) {
            wait.end(pending);
            return Attempt.done(null);
          }
          List<ProblemEvent> events = ProblemLifecycle.eventsOf(before, next.get(), now, null);
          if (!problems.replace(current.orElse(null), next.get(), events)) {
            return Attempt.conflict();
          }
          wait.end(pending);
          written.add(next.get());
          if (ProblemLifecycle.worthPushing(before, next.get())) {
            changes.add(new Change.ProblemChanged(next.get()));
          }
          return Attempt.done(null);
        });
  }

  /**
   * Where a pair stands in its confirmation window: {@link #holds} when the lifecycle must not act
   * yet; {@code finished}, when set, is the wait to remove once the record is written.
   */
  private record Wait(boolean holds, boolean conflicted, Stored<Pending> finished) {

    static final Wait NONE = new Wait(false, false, null);
    static final Wait HOLDING = new Wait(true, false, null);
    static final Wait CONFLICT = new Wait(false, true, null);

    void end(PendingStore store) {
      // Losing this race means another evaluation changed or ended the wait: nothing to undo.
      if (finished != null) {
        store.remove(finished);
      }
    }
  }

  private Wait wait(String problemId, Verdict verdict, Problem before, long measured) {
    Optional<Stored<Pending>> current = pending.find(problemId);
    boolean activeRecord = before != null && !before.isResolved() && before.active();
    if (verdict == Verdict.OK || activeRecord) {
      // An OK evaluation restarts the wait; an active record changes type without one.
      return new Wait(false, false, current.orElse(null));
    }
    if (current.isEmpty()) {
      return pending.replace(null, new Pending(problemId, measured)) ? Wait.HOLDING : Wait.CONFLICT;
    }
    return measured - current.get().value().since() >= confirmSeconds
        ? new Wait(false, false, current.get())
        : Wait.HOLDING;
  }
}
