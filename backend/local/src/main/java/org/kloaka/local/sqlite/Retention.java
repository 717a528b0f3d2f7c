package org.kloaka.local.sqlite;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps rows to the last {@code keep}: prunes right after it is started, then every hour, always on
 * its own thread — a start does not wait for it (after weeks switched off, the first run may have
 * days of rows to delete; docs/decisions/028). The cut-off comes from the clock at each run, so a
 * test forwards the clock and calls {@link #pruneNow()}.
 */
public class Retention implements AutoCloseable {

  static final Duration PERIOD = Duration.ofHours(1);
  private static final Logger log = LoggerFactory.getLogger(Retention.class);

  private final String what;
  private final Duration keep;
  private final Clock clock;
  private final LongUnaryOperator pruneBefore;
  private final ScheduledExecutorService scheduler;

  /**
   * @param what what the rows are, for the log ("measurements")
   * @param pruneBefore deletes the rows older than the epoch second it is given, answers how many
   */
  public Retention(String what, Duration keep, Clock clock, LongUnaryOperator pruneBefore) {
    this.what = what;
    this.keep = keep;
    this.clock = clock;
    this.pruneBefore = pruneBefore;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "kloaka-retention-" + what);
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Prunes at once and then every hour, in the background. */
  public Retention start() {
    scheduler.scheduleAtFixedRate(this::pruneLogged, 0, PERIOD.toMinutes(), TimeUnit.MINUTES);
    return this;
  }

  /**
   * Deletes the rows older than {@code keep} before the clock's now.
   *
   * @return how many rows were deleted
   */
  public long pruneNow() {
    long cutoff = clock.instant().getEpochSecond() - keep.toSeconds();
    long deleted = pruneBefore.applyAsLong(cutoff);
    if (deleted > 0) {
      log.info("Retention: deleted {} {} older than {} days", deleted, what, keep.toDays());
    }
    return deleted;
  }

  private void pruneLogged() {
    try {
      pruneNow();
    } catch (RuntimeException e) {
      // Keep the schedule: the next run tries again.
      log.error("Retention of {} failed; retrying in {}", what, PERIOD, e);
    }
  }

  /** Stops the schedule; a run under way stops after its current chunk, and is waited for. */
  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
        log.warn("Retention of {} did not stop within 30 s", what);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
