package org.kloaka.local.sqlite;

import java.time.Clock;
import java.time.Duration;
import org.kloaka.core.port.HistoryStore;

/** Keeps the measurement history to the last {@code days} days ({@link Retention}). */
public final class HistoryRetention extends Retention {

  public HistoryRetention(HistoryStore history, Clock clock, int days) {
    super("measurements", atLeastOneDay(days), clock, history::pruneBefore);
  }

  private static Duration atLeastOneDay(int days) {
    if (days < 1) {
      throw new IllegalArgumentException("history must be kept at least 1 day, was " + days);
    }
    return Duration.ofDays(days);
  }
}
