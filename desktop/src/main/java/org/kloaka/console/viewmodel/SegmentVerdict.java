package org.kloaka.console.viewmodel;

import org.kloaka.model.ProblemType;
import org.kloaka.model.Verdict;

/**
 * How a segment is drawn: the pair's verdict, or UNKNOWN while either sensor has never reported.
 * Each has a CSS pseudo-class of the same name in lower case and a letter as the second cue.
 */
public enum SegmentVerdict {
  OK("ok", ""),
  OBSTRUCTION("obstruction", "O"),
  PROBLEM("problem", "P"),
  /** A sensor of the pair is silent: the pipe's verdict rests on an old value. */
  SILENT("silent", "S"),
  UNKNOWN("unknown", "?");

  private final String pseudoClass;
  private final String letter;

  SegmentVerdict(String pseudoClass, String letter) {
    this.pseudoClass = pseudoClass;
    this.letter = letter;
  }

  public String pseudoClass() {
    return pseudoClass;
  }

  public String letter() {
    return letter;
  }

  public static SegmentVerdict of(Verdict verdict) {
    return switch (verdict) {
      case OK -> OK;
      case OBSTRUCTION -> OBSTRUCTION;
      case PROBLEM -> PROBLEM;
    };
  }

  public static SegmentVerdict of(ProblemType type) {
    return switch (type) {
      case OBSTRUCTION -> OBSTRUCTION;
      case PROBLEM -> PROBLEM;
      case SILENT -> SILENT;
    };
  }
}
