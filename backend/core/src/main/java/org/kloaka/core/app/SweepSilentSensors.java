package org.kloaka.core.app;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.kloaka.core.Change;
import org.kloaka.core.Silence;
import org.kloaka.core.port.ChangeFeed;
import org.kloaka.core.port.SilenceWatch;
import org.kloaka.core.port.Transactions;
import org.kloaka.model.Device;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Use case: find the sensors that fell silent (docs/problems.md). A sensor whose last reading is at
 * least the window old gets a {@code SILENT} record, once per silence. Each sweep reads only the
 * devices last heard between the previous sweep's cut-off and its own ({@link SilenceWatch}), so a
 * sweep of a quiet network reads nearly nothing and 5,000 sensors falling silent at once cost one
 * write each. The local runtime runs it every {@code AlarmRules.sweepEvery()}, AWS from a scheduled
 * function; both call {@link #sweep()} (docs/decisions/026).
 */
public final class SweepSilentSensors {

  /**
   * The furthest back a sweep looks when no sweep ran before it, or the last ran long ago: a store
   * that answers by time buckets (DynamoDB) reads one bucket per hour of it (168 Queries once). A
   * sensor already silent for longer than this plus the window when sweeping starts is not flagged
   * until it reports and falls silent again (docs/decisions/026).
   */
  public static final Duration MOST_CATCH_UP = Duration.ofDays(7);

  private static final Logger log = LoggerFactory.getLogger(SweepSilentSensors.class);

  /**
   * What one sweep did.
   *
   * @param cutoff devices last heard at or before this time (epoch seconds) are silent
   * @param candidates devices the watch named, read again before acting
   * @param marked SILENT records written (opened, or active again)
   * @param changes what consoles must hear of, in the order written
   */
  public record Result(long cutoff, int candidates, int marked, List<Change> changes) {

    public Result {
      changes = List.copyOf(changes);
    }
  }

  private final Silence silence;
  private final SilenceWatch watch;
  private final Transactions transactions;
  private final ChangeFeed feed;
  private final Clock clock;

  public SweepSilentSensors(
      Silence silence,
      SilenceWatch watch,
      Transactions transactions,
      ChangeFeed feed,
      Clock clock) {
    this.silence = Objects.requireNonNull(silence, "silence");
    this.watch = Objects.requireNonNull(watch, "watch");
    this.transactions = Objects.requireNonNull(transactions, "transactions");
    this.feed = Objects.requireNonNull(feed, "feed");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * One sweep at the clock's time, in one unit of work; its changes go to the feed after the
   * commit. Does nothing when silent sensors are off.
   */
  public Result sweep() {
    long now = Math.floorDiv(clock.millis(), 1000);
    long cutoff = now - silence.windowSeconds();
    if (!silence.on()) {
      return new Result(cutoff, 0, 0, List.of());
    }
    Result result =
        transactions.inTransaction(
            () -> sweep(now, cutoff),
            done -> {
              if (!done.changes().isEmpty()) {
                feed.publish(done.changes());
              }
            });
    if (result.marked() > 0) {
      log.info(
          "{} sensors fell silent (no reading since {} or before)",
          result.marked(),
          result.cutoff());
    }
    return result;
  }

  private Result sweep(long now, long cutoff) {
    long earliest = cutoff - MOST_CATCH_UP.toSeconds();
    long after = Math.max(watch.sweptUpTo().orElse(earliest), earliest);
    if (after >= cutoff) {
      return new Result(cutoff, 0, 0, List.of());
    }
    List<Device> candidates = watch.lastHeardIn(after, cutoff);
    List<Change> changes = new ArrayList<>();
    int marked = 0;
    for (Device candidate : candidates) {
      Optional<Change.ProblemChanged> change = silence.markIfSilent(candidate.id(), cutoff, now);
      if (change.isPresent()) {
        marked++;
        changes.add(change.get());
      }
    }
    watch.sweptUpTo(cutoff);
    return new Result(cutoff, candidates.size(), marked, changes);
  }
}
