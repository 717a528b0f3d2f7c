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
 * within 30 s of a deadline), the check for operators removed by the {@code operators} command, and
 * the retention of each pruned table ({@code Retention}, hourly). A failed run is logged and the
 * schedule kept: the next run covers what this one missed (its state is stored). Work that reads
 * the domain clock (the sweep, the retention's cut-off) is also callable directly, so tests forward
 * that clock and call it instead of waiting.
 */
final class Periodic implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Periodic.class);

  private final String what;
  private final Runnable work;
  private final Duration every;
  private final boolean chunked;
  private final ScheduledExecutorService scheduler;

  private Periodic(String what, Runnable work, Duration every, boolean chunked) {
    this.what = what;
    this.work = work;
    this.every = every;
    this.chunked = chunked;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "kloaka-" + what.replace(' ', '-'));
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Short work: the next run starts {@code every} after the previous one ended; {@link #close()}
   * lets a run under way finish (up to 5 s) before it interrupts it.
   *
   * @param what names the work in the thread's name and the log, e.g. "silence sweep"
   */
  static Periodic start(String what, Runnable work, Duration every) {
    Periodic periodic = new Periodic(what, work, every, false);
    periodic.scheduler.scheduleWithFixedDelay(
        periodic::runLogged, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    return periodic;
  }

  /**
   * Long work done in chunks that checks its thread's interrupt flag between them (a retention's
   * purge after weeks switched off may take a while; docs/decisions/028): runs start at a fixed
   * rate, so one that overran its period is followed at once; {@link #close()} interrupts a run
   * under way, which stops after its current chunk, and waits up to 30 s for it.
   */
  static Periodic startChunked(String what, Runnable work, Duration every) {
    Periodic periodic = new Periodic(what, work, every, true);
    periodic.scheduler.scheduleAtFixedRate(
        periodic::runLogged, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    return periodic;
  }

  private void runLogged() {
    try {
      work.run();
    } catch (RuntimeException e) {
      log.error("{} failed; trying again in {}", what, every, e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (chunked) {
      scheduler.shutdownNow();
      if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
        log.warn("{} did not stop within 30 s", what);
      }
      return;
    }
    scheduler.shutdown();
    if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
      scheduler.shutdownNow();
    }
  }
}
