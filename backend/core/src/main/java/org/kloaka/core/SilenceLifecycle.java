package org.kloaka.core;

import java.util.Optional;
import org.kloaka.model.Device;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemStatus;
import org.kloaka.model.ProblemType;

/**
 * The lifecycle of a sensor's {@code SILENT} record (docs/problems.md) as pure functions, like
 * {@link ProblemLifecycle} for pairs. One silence is one stretch without readings, named by the
 * sensor's last reading before it: the record's {@code last_seen} is that reading's time, so a
 * sweep that finds the same silence again writes nothing, and one that finds a later silence knows
 * it is a new one.
 */
public final class SilenceLifecycle {

  private SilenceLifecycle() {}

  /**
   * The sensor's record once a sweep at {@code now} found {@code device} silent (its last reading
   * older than the window).
   *
   * @return empty when nothing is to be written: this silence has its record already (open, or
   *     resolved by an operator), or the id belongs to a pair's open record
   */
  public static Optional<Problem> fellSilent(Optional<Problem> current, Device device, long now) {
    long lastHeard = device.lastUpdate();
    if (current.isPresent()
        && current.get().problem() == ProblemType.SILENT
        && current.get().lastSeen() >= lastHeard) {
      return Optional.empty();
    }
    if (current.isEmpty() || current.get().isResolved()) {
      return Optional.of(
          new Problem(
              Problem.silentIdOf(device.id()),
              ProblemType.SILENT,
              now,
              ProblemStatus.UNRESOLVED,
              device.id(),
              null,
              device.lastValue(),
              null,
              true,
              lastHeard,
              null,
              null,
              null));
    }
    Problem open = current.get();
    if (open.problem() != ProblemType.SILENT) {
      return Optional.empty();
    }
    // Reported since (inactive), silent again: the same occurrence becomes active again, and
    // stays acknowledged if it was.
    return Optional.of(
        new Problem(
            open.problemId(),
            open.problem(),
            open.problemTime(),
            open.problemStatus(),
            open.upstreamId(),
            null,
            device.lastValue(),
            null,
            true,
            lastHeard,
            open.resolvedTime(),
            open.resolvedBy(),
            open.note(),
            open.acknowledgedTime(),
            open.acknowledgedBy()));
  }

  /**
   * The sensor's record once it reported again: an open, active SILENT record becomes inactive (an
   * operator resolves it). Its values stay those of the silence.
   *
   * @return empty when nothing is to be written
   */
  public static Optional<Problem> reported(Optional<Problem> current) {
    return current
        .filter(p -> p.problem() == ProblemType.SILENT && !p.isResolved() && p.active())
        .map(
            p ->
                new Problem(
                    p.problemId(),
                    p.problem(),
                    p.problemTime(),
                    p.problemStatus(),
                    p.upstreamId(),
                    null,
                    p.upstreamValue(),
                    null,
                    false,
                    p.lastSeen(),
                    p.resolvedTime(),
                    p.resolvedBy(),
                    p.note(),
                    p.acknowledgedTime(),
                    p.acknowledgedBy()));
  }
}
