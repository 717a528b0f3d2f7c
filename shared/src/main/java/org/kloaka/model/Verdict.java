package org.kloaka.model;

/**
 * What a pair of neighbouring sensors says about the pipe between them (docs/problems.md).
 *
 * <p>Upstream flowing more than downstream means something holds the water back: OBSTRUCTION.
 * Upstream flowing less than downstream means water appears from nowhere (or the upstream sensor is
 * wrong): PROBLEM. Equal levels are OK.
 */
public enum Verdict {
  OK,
  OBSTRUCTION,
  PROBLEM;

  /** The verdict table of docs/problems.md, by level. */
  public static Verdict of(Level upstream, Level downstream) {
    int difference = downstream.ordinal() - upstream.ordinal();
    if (difference == 0) {
      return OK;
    }
    // Level's order is CORRECT, LOW, NO: a larger ordinal downstream means less flow there.
    return difference > 0 ? OBSTRUCTION : PROBLEM;
  }

  public static Verdict of(Filling upstream, Filling downstream) {
    return of(upstream.level(), downstream.level());
  }

  /** The problem type this verdict raises, if it is not OK. */
  public ProblemType problemType() {
    return switch (this) {
      case OK -> throw new IllegalStateException("OK raises no problem");
      case OBSTRUCTION -> ProblemType.OBSTRUCTION;
      case PROBLEM -> ProblemType.PROBLEM;
    };
  }
}
