package org.kloaka.local.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.kloaka.model.Problem;
import org.kloaka.model.SensorId;

/**
 * Publishes at a fixed rate from one thread — the sensors in turn — and injects faults at a fixed
 * rate meanwhile: on a quiet pair (upstream, downstream) it publishes upstream {@code 100} then
 * downstream {@code 0} (an OBSTRUCTION), noting the time for the problem push. The pair's next
 * normal downstream message ends the fault (the problem turns inactive), so the pair can be used
 * again.
 *
 * <p>The schedule is open-loop: message {@code i} is due at {@code start + i / rate}; a publisher
 * held up by a full window catches up afterwards, so a slow system shows as latency, not as a
 * politely lower rate.
 */
final class PacedLoad {

  static final Duration PROGRESS_EVERY = Duration.ofMinutes(1);

  private final Publisher publisher;
  private final Fleet fleet;
  private final PushWatcher watcher;
  private final List<SensorId[]> faultPairs;

  /** What a paced run did while measuring. */
  record Result(long published, double seconds, int faults) {
    double perSecond() {
      return published / seconds;
    }
  }

  PacedLoad(Publisher publisher, Fleet fleet, PushWatcher watcher, List<SensorId[]> faultPairs) {
    this.publisher = publisher;
    this.fleet = fleet;
    this.watcher = watcher;
    this.faultPairs = faultPairs;
  }

  /**
   * Runs {@code warmup} then {@code measure} at {@code rate} messages/s, with {@code faultRate}
   * faults/s; {@code onMeasure} is told when measuring starts (true) and stops (false), {@code
   * progress} every {@link #PROGRESS_EVERY} of measuring (with the seconds measured so far).
   */
  Result run(
      double rate,
      double faultRate,
      Duration warmup,
      Duration measure,
      Consumer<Boolean> onMeasure,
      LongConsumer progress) {
    long start = System.nanoTime();
    long measureFrom = start + warmup.toNanos();
    long end = measureFrom + measure.toNanos();
    double messageGap = 1e9 / rate;
    double faultGap = faultRate > 0 ? 1e9 / faultRate : Double.POSITIVE_INFINITY;
    long sent = 0;
    long faultsDue = 0;
    long sentWhenMeasuring = -1;
    int faults = 0;
    int nextPair = 0;
    boolean measuring = false;
    long nextProgress = measureFrom + PROGRESS_EVERY.toNanos();
    while (true) {
      long now = System.nanoTime();
      if (!measuring && now >= measureFrom) {
        measuring = true;
        sentWhenMeasuring = sent;
        onMeasure.accept(true);
      }
      if (now >= nextProgress && now < end) {
        progress.accept((now - measureFrom) / 1_000_000_000L);
        nextProgress += PROGRESS_EVERY.toNanos();
      }
      if (now >= end) {
        break;
      }
      long due = (long) ((now - start) / messageGap);
      while (sent < due) {
        if (!publisher.publishNext((int) (sent % fleet.size()))) {
          throw new IllegalStateException("a publish failed; see the log");
        }
        sent++;
      }
      while (!faultPairs.isEmpty() && faultsDue < (long) ((now - start) / faultGap)) {
        faultsDue++;
        int tried = 0;
        while (tried < faultPairs.size()) {
          SensorId[] pair = faultPairs.get(nextPair++ % faultPairs.size());
          tried++;
          if (inject(pair[0], pair[1])) {
            faults += measuring ? 1 : 0;
            break;
          }
        }
      }
      LockSupport.parkNanos(200_000);
    }
    onMeasure.accept(false);
    return new Result(sent - sentWhenMeasuring, measure.toNanos() / 1e9, faults);
  }

  private boolean inject(SensorId upstream, SensorId downstream) {
    String problemId = Problem.idOf(upstream, downstream);
    if (!watcher.quiet(problemId)) {
      return false;
    }
    int up = fleet.indexOf(upstream.toString());
    int down = fleet.indexOf(downstream.toString());
    publisher.publishFor(up, fleet.message(upstream, "100"));
    watcher.faultSent(problemId, System.nanoTime());
    publisher.publishFor(down, fleet.message(downstream, "0"));
    return true;
  }
}
