package org.kloaka.local;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one piece of background work of the runtime on its own daemon thread, once at start and then
 * every {@code every} of real time: the silent-sensor sweep ({@code AlarmRules.sweepEvery()},
 * within 30 s of a deadline) and the check for operators removed by the {@code operators} command.
 * Work that reads the domain clock (the sweep) is also callable directly, so tests forward that
 * clock and call it instead of waiting.
 */
final class Periodic implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Periodic.class);

  private final String what;
  private final Runnable work;
  private final Duration every;
  private final ScheduledExecutorService scheduler;

  private Periodic(String what, Runnable work, Duration every) {
    this.what = what;
    this.work = work;
    this.every = every;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "kloaka-" + what.replace(' ', '-'));
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * @param what names the work in the thread's name and the log, e.g. "silence sweep"
   */
  static Periodic start(String what, Runnable work, Duration every) {
    Periodic periodic = new Periodic(what, work, every);
    periodic.scheduler.scheduleWithFixedDelay(
        periodic::runLogged, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    return periodic;
  }

  private void runLogged() {
    try {
      work.run();
    } catch (RuntimeException e) {
      // Keep the schedule: the next run covers what this one missed (its state is stored).
      log.error("{} failed; trying again in {}", what, every, e);
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
