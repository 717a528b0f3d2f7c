package org.kloaka.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.kloaka.model.Device;
import org.kloaka.model.Filling;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemEvent;
import org.kloaka.model.ProblemEvent.Type;
import org.kloaka.model.ProblemStatus;
import org.kloaka.model.ProblemType;
import org.kloaka.model.Verdict;

/**
 * The problem lifecycle of docs/problems.md as pure functions: given the pair's record and a fresh
 * verdict, what the record becomes. Applying the same step twice gives the same record (only {@code
 * last_seen} may move), which is what makes redelivery harmless.
 */
public final class ProblemLifecycle {

  private ProblemLifecycle() {}

  /**
   * The record after a verdict on ({@code upstream}, {@code downstream}) at {@code now}.
   *
   * @return empty when nothing is to be written
   */
  public static Optional<Problem> afterVerdict(
      Optional<Problem> current, Verdict verdict, Device upstream, Device downstream, long now) {
    String id = Problem.idOf(upstream.id(), downstream.id());
    if (verdict == Verdict.OK) {
      return current
          .filter(p -> !p.isResolved() && p.active())
          // The values of the fault stay: the operator needs them, not those of the recovery.
          .map(
              p ->
                  with(
                      p, p.problem(), false, p.lastSeen(), p.upstreamValue(), p.downstreamValue()));
    }
    ProblemType type = verdict.problemType();
    if (current.isEmpty() || current.get().isResolved()) {
      // Each occurrence has its own problem_time, the key of its timeline events: one that opens
      // within the second the previous one opened (open, resolve, fault again) is a second later,
      // or its events would be taken for the previous one's and it would count as none.
      long opened = current.map(p -> Math.max(now, p.problemTime() + 1)).orElse(now);
      return Optional.of(
          new Problem(
              id,
              type,
              opened,
              ProblemStatus.UNRESOLVED,
              upstream.id(),
              downstream.id(),
              upstream.lastValue(),
              downstream.lastValue(),
              true,
              opened,
              null,
              null,
              null));
    }
    Problem open = current.get();
    Problem next =
        with(
            open,
            type,
            true,
            Math.max(open.lastSeen(), now),
            upstream.lastValue(),
            downstream.lastValue());
    return next.equals(open) ? Optional.empty() : Optional.of(next);
  }

  /**
   * The record after an operator resolves it: RESOLVED, when and by whom, the note (the previous
   * one stays when {@code note} is null), and acknowledged by the same operator if nobody had.
   * Resolving a resolved problem changes nothing.
   *
   * @return empty when the problem was already resolved
   */
  public static Optional<Problem> resolved(Problem current, String by, String note, long now) {
    if (current.isResolved()) {
      return Optional.empty();
    }
    boolean acknowledged = current.isAcknowledged();
    return Optional.of(
        new Problem(
            current.problemId(),
            current.problem(),
            current.problemTime(),
            ProblemStatus.RESOLVED,
            current.upstreamId(),
            current.downstreamId(),
            current.upstreamValue(),
            current.downstreamValue(),
            current.active(),
            current.lastSeen(),
            now,
            by,
            note == null ? current.note() : note,
            acknowledged ? current.acknowledgedTime() : Long.valueOf(now),
            acknowledged ? current.acknowledgedBy() : by));
  }

  /**
   * The record after an operator acknowledges it ("seen, crew on the way"): when and by whom, and
   * the note when one is given. The status stays UNRESOLVED.
   *
   * @return empty when it was acknowledged before (or is resolved): nothing changes
   */
  public static Optional<Problem> acknowledged(Problem current, String by, String note, long now) {
    if (current.isAcknowledged() || current.isResolved()) {
      return Optional.empty();
    }
    return Optional.of(
        new Problem(
            current.problemId(),
            current.problem(),
            current.problemTime(),
            current.problemStatus(),
            current.upstreamId(),
            current.downstreamId(),
            current.upstreamValue(),
            current.downstreamValue(),
            current.active(),
            current.lastSeen(),
            current.resolvedTime(),
            current.resolvedBy(),
            note == null ? current.note() : note,
            now,
            by));
  }

  /**
   * The timeline events of one write of a pair's record, from {@code before} (null: none) to {@code
   * after}, in lifecycle order (docs/problems.md, "Timeline"): a new occurrence is {@code opened};
   * otherwise each of {@code changed}, {@code inactive} / {@code active}, {@code acknowledged},
   * {@code resolved} that the write did. Only {@code last_seen} or values moving is no event, so a
   * redelivered message, which at most does that, adds none.
   *
   * @param now when the system's changes happened (operators' changes carry their own time)
   * @param note the operator's note of this write, or null; it goes to the {@code resolved} event
   *     when the write resolves, else to {@code acknowledged}
   */
  public static List<ProblemEvent> eventsOf(Problem before, Problem after, long now, String note) {
    List<ProblemEvent> events = new ArrayList<>();
    boolean newOccurrence =
        before == null
            || before.problemTime() != after.problemTime()
            || (before.isResolved() && !after.isResolved());
    if (newOccurrence) {
      events.add(ProblemEvent.of(after, Type.OPENED, after.problemTime(), null, null));
      return events;
    }
    if (before.problem() != after.problem()) {
      events.add(ProblemEvent.of(after, Type.CHANGED, now, null, null));
    }
    if (before.active() != after.active()) {
      events.add(
          ProblemEvent.of(after, after.active() ? Type.ACTIVE : Type.INACTIVE, now, null, null));
    }
    boolean resolves = !before.isResolved() && after.isResolved();
    if (!before.isAcknowledged() && after.isAcknowledged()) {
      events.add(
          ProblemEvent.of(
              after,
              Type.ACKNOWLEDGED,
              after.acknowledgedTime(),
              after.acknowledgedBy(),
              resolves ? null : note));
    }
    if (resolves) {
      long at = after.resolvedTime() == null ? now : after.resolvedTime();
      events.add(ProblemEvent.of(after, Type.RESOLVED, at, after.resolvedBy(), note));
    }
    return events;
  }

  /**
   * Whether consoles must hear of the change from {@code before} (null: none) to {@code after}.
   * Only {@code last_seen} and the sensors' current values moving is not news (docs/problems.md: a
   * repeated fault is not pushed again).
   */
  public static boolean worthPushing(Problem before, Problem after) {
    if (before == null) {
      return true;
    }
    return before.problem() != after.problem()
        || before.problemTime() != after.problemTime()
        || before.problemStatus() != after.problemStatus()
        || before.active() != after.active()
        || !Objects.equals(before.resolvedTime(), after.resolvedTime())
        || !Objects.equals(before.resolvedBy(), after.resolvedBy())
        || !Objects.equals(before.note(), after.note())
        || !Objects.equals(before.acknowledgedTime(), after.acknowledgedTime())
        || !Objects.equals(before.acknowledgedBy(), after.acknowledgedBy());
  }

  private static Problem with(
      Problem p,
      ProblemType type,
      boolean active,
      long lastSeen,
      Filling upstreamValue,
      Filling downstreamValue) {
    return new Problem(
        p.problemId(),
        type,
        p.problemTime(),
        p.problemStatus(),
        p.upstreamId(),
        p.downstreamId(),
        upstreamValue,
        downstreamValue,
        active,
        lastSeen,
        p.resolvedTime(),
        p.resolvedBy(),
        p.note(),
        p.acknowledgedTime(),
        p.acknowledgedBy());
  }
}
