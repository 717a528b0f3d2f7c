package org.kloaka.core;

import java.util.Objects;
import java.util.Optional;
import org.kloaka.model.Device;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemStatus;
import org.kloaka.model.ProblemType;
import org.kloaka.model.Verdict;

/**
 * The problem lifecycle of CONTRACT §3 as pure functions: given the pair's record and a fresh
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
          .map(p -> with(p, p.problem(), false, p.lastSeen(), upstream, downstream));
    }
    ProblemType type = verdict.problemType();
    if (current.isEmpty() || current.get().isResolved()) {
      return Optional.of(
          new Problem(
              id,
              type,
              now,
              ProblemStatus.UNRESOLVED,
              upstream.id(),
              downstream.id(),
              upstream.lastValue(),
              downstream.lastValue(),
              true,
              now,
              null,
              null,
              null));
    }
    Problem open = current.get();
    Problem next = with(open, type, true, Math.max(open.lastSeen(), now), upstream, downstream);
    return next.equals(open) ? Optional.empty() : Optional.of(next);
  }

  /**
   * The record after an operator resolves it. Resolving a resolved problem changes nothing.
   *
   * @return empty when the problem was already resolved
   */
  public static Optional<Problem> resolved(Problem current, String by, String note, long now) {
    if (current.isResolved()) {
      return Optional.empty();
    }
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
            note));
  }

  /**
   * Whether consoles must hear of the change from {@code before} (null: none) to {@code after}.
   * Only {@code last_seen} and the sensors' current values moving is not news (CONTRACT §3: "no
   * duplicate push").
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
        || !Objects.equals(before.note(), after.note());
  }

  private static Problem with(
      Problem p, ProblemType type, boolean active, long lastSeen, Device up, Device down) {
    return new Problem(
        p.problemId(),
        type,
        p.problemTime(),
        p.problemStatus(),
        p.upstreamId(),
        p.downstreamId(),
        up.lastValue(),
        down.lastValue(),
        active,
        lastSeen,
        p.resolvedTime(),
        p.resolvedBy(),
        p.note());
  }
}
