package org.kloaka.console.viewmodel;

import java.time.Instant;
import org.kloaka.model.Problem;

/**
 * One row of the problems table: the record as last known, and the console's own state of it.
 *
 * @param fresh announced as new and not yet looked at (highlighted)
 * @param pending a "Mark resolved" is waiting out its undo window or on its way to the backend
 * @param error why the last "Mark resolved" failed, or null
 * @param sendAt while the resolve can still be undone: when its PATCH goes out; else null
 * @param note the note of that waiting resolve
 */
public record ProblemRow(
    Problem problem, boolean fresh, boolean pending, String error, Instant sendAt, String note) {

  public ProblemRow(Problem problem, boolean fresh, boolean pending, String error) {
    this(problem, fresh, pending, error, null, null);
  }

  public String id() {
    return problem.problemId();
  }

  /** "01 → 02", or "01 (silent)" for a sensor's SILENT record. */
  public String pairText() {
    return pairText(problem);
  }

  /** "01 → 02", or "01 (silent)" for a sensor's SILENT record, which has no downstream sensor. */
  public static String pairText(Problem problem) {
    return problem.downstreamId() == null
        ? problem.upstreamId() + " (silent)"
        : problem.upstreamId() + " → " + problem.downstreamId();
  }

  /** Still open on the backend and not being resolved from here. */
  public boolean open() {
    return !problem.isResolved() && !pending;
  }

  /** Waiting out its undo window: {@link ProblemsViewModel#undo()} can still take it back. */
  public boolean undoable() {
    return sendAt != null;
  }

  /** What the status column says, in words. */
  public String statusText() {
    if (sendAt != null) {
      return "resolving — undo?";
    }
    if (pending) {
      return "resolving…";
    }
    if (problem.isResolved()) {
      return "resolved";
    }
    String who =
        problem.isAcknowledged()
            ? " · ack " + (problem.acknowledgedBy() == null ? "" : problem.acknowledgedBy())
            : "";
    return (problem.active() ? "unresolved" : "flow normal again — resolve?") + who;
  }

  public String activeText() {
    return problem.active() ? "active" : "cleared";
  }

  ProblemRow with(Problem next) {
    return new ProblemRow(next, fresh, false, null);
  }
}
