package org.kloaka.model;

import java.math.BigDecimal;

/** The three flow levels of docs/ingest.md: at least 75 is CORRECT, at least 25 is LOW, else NO. */
public enum Level {
  CORRECT,
  LOW,
  NO;

  static final BigDecimal CORRECT_FROM = BigDecimal.valueOf(75);
  static final BigDecimal LOW_FROM = BigDecimal.valueOf(25);

  public static Level of(Filling filling) {
    return filling.level();
  }

  static Level ofValue(BigDecimal value) {
    if (value.compareTo(CORRECT_FROM) >= 0) {
      return CORRECT;
    }
    return value.compareTo(LOW_FROM) >= 0 ? LOW : NO;
  }
}
