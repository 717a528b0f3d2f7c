package org.kloaka.local.sqlite;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.kloaka.core.port.HistoryStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the measurement history to the last {@code days} days: prunes right after it is started,
 * then every hour, always on its own thread — a start does not wait for it (after weeks switched
 * off, the first run may have days of rows to delete; docs/decisions/028). The cut-off comes from
 * the clock at each run, so a test forwards the clock and calls {@link #pruneNow()}.
 */
public final class HistoryRetention implements AutoCloseable {

  static final Duration PERIOD = Duration.ofHours(1);
  private static final Logger log = LoggerFactory.getLogger(HistoryRetention.class);

  private final HistoryStore history;
  private final Clock clock;
  private final int days;
  private final ScheduledExecutorService scheduler;

  public HistoryRetention(HistoryStore history, Clock clock, int days) {
    if (days < 1) {
      throw new IllegalArgumentException("history must be kept at least 1 day, was " + days);
    }
    this.history = history;
    this.clock = clock;
    this.days = days;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "kloaka-history-retention");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Prunes at once and then every hour, in the background. */
  public HistoryRetention start() {
    scheduler.scheduleAtFixedRate(this::pruneLogged, 0, PERIOD.toMinutes(), TimeUnit.MINUTES);
    return this;
  }

  /**
   * Deletes history rows older than {@code days} days before the clock's now.
   *
   * @return how many rows were deleted
   */
  public long pruneNow() {
    long cutoff = clock.instant().getEpochSecond() - Duration.ofDays(days).toSeconds();
    long deleted = history.pruneBefore(cutoff);
    if (deleted > 0) {
      log.info("History retention: deleted {} measurements older than {} days", deleted, days);
    }
    return deleted;
  }

  private void pruneLogged() {
    try {
      pruneNow();
    } catch (RuntimeException e) {
      // Keep the schedule: the next run tries again.
      log.error("History retention failed; retrying in {}", PERIOD, e);
    }
  }

  /** Stops the schedule; a run under way stops after its current chunk, and is waited for. */
  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
        log.warn("History retention did not stop within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
