package org.kloaka.console.viewmodel;

import java.time.Duration;

/** How far back the history chart reaches. */
public enum HistoryRange {
  HOUR("1 h", Duration.ofHours(1)),
  DAY("24 h", Duration.ofHours(24)),
  WEEK("7 d", Duration.ofDays(7)),
  MONTH("30 d", Duration.ofDays(30));

  private final String label;
  private final Duration span;

  HistoryRange(String label, Duration span) {
    this.label = label;
    this.span = span;
  }

  public Duration span() {
    return span;
  }

  @Override
  public String toString() {
    return label;
  }
}
