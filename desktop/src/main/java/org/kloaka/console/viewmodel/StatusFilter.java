package org.kloaka.console.viewmodel;

import org.kloaka.model.Problem;

/** Which problem records the table lists, by their state. */
public enum StatusFilter {
  ALL("All"),
  UNRESOLVED("Unresolved"),
  ACTIVE("Active (still faulty)"),
  CLEARED("Cleared, to resolve"),
  ACKNOWLEDGED("Acknowledged, open"),
  NOT_ACKNOWLEDGED("Not acknowledged"),
  RESOLVED("Resolved");

  private final String label;

  StatusFilter(String label) {
    this.label = label;
  }

  boolean accepts(Problem problem) {
    return switch (this) {
      case ALL -> true;
      case UNRESOLVED -> !problem.isResolved();
      case ACTIVE -> !problem.isResolved() && problem.active();
      case CLEARED -> !problem.isResolved() && !problem.active();
      case ACKNOWLEDGED -> !problem.isResolved() && problem.isAcknowledged();
      case NOT_ACKNOWLEDGED -> !problem.isResolved() && !problem.isAcknowledged();
      case RESOLVED -> problem.isResolved();
    };
  }

  @Override
  public String toString() {
    return label;
  }
}
