package org.kloaka.console.viewmodel;

import org.kloaka.model.Problem;

/**
 * One row of the problems table: the record as last known, and the console's own state of it.
 *
 * @param fresh announced as new and not yet looked at (highlighted)
 * @param pending a "Mark resolved" is on its way to the backend
 * @param error why the last "Mark resolved" failed, or null
 */
public record ProblemRow(Problem problem, boolean fresh, boolean pending, String error) {

  public String id() {
    return problem.problemId();
  }

  /** "01 → 02". */
  public String pairText() {
    return problem.upstreamId() + " → " + problem.downstreamId();
  }

  /** What the status column says, in words. */
  public String statusText() {
    if (pending) {
      return "resolving…";
    }
    if (problem.isResolved()) {
      return "resolved";
    }
    return problem.active() ? "unresolved" : "flow normal again — resolve?";
  }

  public String activeText() {
    return problem.active() ? "active" : "cleared";
  }

  ProblemRow with(Problem next) {
    return new ProblemRow(next, fresh, false, null);
  }
}
