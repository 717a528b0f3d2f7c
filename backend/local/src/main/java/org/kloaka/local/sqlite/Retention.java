package org.kloaka.local.sqlite;

import java.time.Clock;
import java.time.Duration;
import java.util.function.LongUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps rows to the last {@code keep}: the pruning policy. The runtime runs {@link #pruneNow()}
 * right after it starts, then every {@link #PERIOD}, on a thread of its own — a start does not wait
 * for it (after weeks switched off, the first run may have days of rows to delete;
 * docs/decisions/028). The cut-off comes from the clock at each run, so a test forwards the clock
 * and calls {@link #pruneNow()}.
 */
public class Retention {

  /** How often the runtime prunes. */
  public static final Duration PERIOD = Duration.ofHours(1);

  private static final Logger log = LoggerFactory.getLogger(Retention.class);

  private final String what;
  private final Duration keep;
  private final Clock clock;
  private final LongUnaryOperator pruneBefore;

  /**
   * @param what what the rows are, for the log ("measurements")
   * @param pruneBefore deletes the rows older than the epoch second it is given, answers how many;
   *     an interrupted thread stops it after the chunk under way (the runtime stops)
   */
  public Retention(String what, Duration keep, Clock clock, LongUnaryOperator pruneBefore) {
    this.what = what;
    this.keep = keep;
    this.clock = clock;
    this.pruneBefore = pruneBefore;
  }

  /** What the rows are ("measurements"). */
  public String what() {
    return what;
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
}
