package org.kloaka.local;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.kloaka.core.app.SweepSilentSensors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the silent-sensor sweep in the background, once at start and then every {@code every} of
 * real time ({@code AlarmRules.sweepEvery()}: within 30 s of a deadline). The sweep reads its own
 * clock for the deadline, so tests forward that clock and call {@link
 * LocalRuntime#sweepSilentSensors()} instead of waiting.
 */
final class SilenceSweeper implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SilenceSweeper.class);

  private final SweepSilentSensors sweep;
  private final Duration every;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "kloaka-silence-sweep");
            thread.setDaemon(true);
            return thread;
          });

  private SilenceSweeper(SweepSilentSensors sweep, Duration every) {
    this.sweep = sweep;
    this.every = every;
  }

  static SilenceSweeper start(SweepSilentSensors sweep, Duration every) {
    SilenceSweeper sweeper = new SilenceSweeper(sweep, every);
    sweeper.scheduler.scheduleWithFixedDelay(
        sweeper::sweepLogged, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    return sweeper;
  }

  private void sweepLogged() {
    try {
      sweep.sweep();
    } catch (RuntimeException e) {
      // Keep the schedule: the next run covers what this one missed (the cut-off is stored).
      log.error("Silent-sensor sweep failed; trying again in {}", every, e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    scheduler.shutdown();
    if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
      scheduler.shutdownNow();
    }
  }
}
