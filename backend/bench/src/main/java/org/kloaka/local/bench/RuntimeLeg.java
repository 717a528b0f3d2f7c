package org.kloaka.local.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.kloaka.local.LocalConfig;
import org.kloaka.local.LocalRuntime;

/**
 * The benchmark's second leg: the whole local runtime on a data folder of its own, driven through
 * MQTT by the same publisher as the bare broker, a WebSocket client and a REST poller attached.
 * Flat out first (throughput, CPU, where the writer's time went), then at a fixed rate with
 * injected faults (push and REST latencies, heap after GC before and after), then the checks that
 * every message published was acknowledged and stored exactly once.
 */
final class RuntimeLeg {

  /** Prints one {@code bench: …} line. */
  @FunctionalInterface
  interface Report {
    void say(String format, Object... args);
  }

  private final Report report;
  private final int connections;
  private final int window;
  private final double rate;
  private final double faultRate;
  private final double restRate;

  RuntimeLeg(
      Report report, int connections, int window, double rate, double faultRate, double restRate) {
    this.report = report;
    this.connections = connections;
    this.window = window;
    this.rate = rate;
    this.faultRate = faultRate;
    this.restRate = restRate;
  }

  /** Figures of the runtime leg. */
  record Figures(
      double ingest,
      double ingestCpuPerMsg,
      double pushP50,
      double pushP99,
      double problemP99,
      double restP99) {}

  /**
   * Starts the runtime on {@code dir}, runs both phases, prints their lines, adds to {@code
   * problems} whatever check failed, and stops it.
   */
  Figures run(
      Path dir, Fleet fleet, Duration warmup, Duration flat, Duration paced, List<String> problems)
      throws Exception {
    LocalConfig config =
        LocalConfig.defaults().withDataDir(dir).withPorts(0, 0, 0).withEnv(Map.of());
    try (LocalRuntime runtime = LocalRuntime.start(config)) {
      PushWatcher watcher = PushWatcher.connect(runtime.wsUri(), runtime.token(), fleet);
      try (Publisher publisher =
              Publisher.connect(runtime.mqttUri().toString(), connections, window, fleet);
          RestProbe rest = new RestProbe(runtime.httpUri(), runtime.token(), restRate)) {
        long batchesBefore = runtime.pipeline().batchCount();
        long storedBefore = runtime.pipeline().storedCount();
        Publisher.FlatOut ingest =
            publisher.flatOut(warmup, flat, ThreadWaits.of("kloaka-ingest-writer"));
        long batches = runtime.pipeline().batchCount() - batchesBefore;
        long stored = runtime.pipeline().storedCount() - storedBefore;
        report.say(
            "ingest flat out (stored and inspected, PUBACK after commit): msgs_s=%.0f"
                + " transactions=%d avg_batch=%.0f ws_frames=%d",
            ingest.perSecond(), batches, stored / (double) Math.max(1, batches), watcher.frames());
        report.say(
            "ingest cpu_us_per_msg jvm=%.1f writer=%.1f; %s",
            ingest.cpu().totalNanos() / 1e3 / ingest.acked(),
            ingest.cpu().nanosOf("kloaka-ingest-writer") / 1e3 / ingest.acked(),
            ingest.cpu().describe(8));
        report.say("ingest writer thread %s", ingest.waits());

        long heapStart = heapAfterGcMb();
        watcher.parse(true);
        PacedLoad load = new PacedLoad(publisher, fleet, watcher, fleet.faultPairs(20));
        PacedLoad.Result result =
            load.run(
                rate,
                faultRate,
                warmup,
                paced,
                on -> {
                  watcher.measure(on);
                  rest.measure(on);
                },
                elapsed ->
                    report.say(
                        "paced t=%ds heap_used_mb=%d old_gen_after_last_gc_mb=%d device_p99_ms=%.1f",
                        elapsed,
                        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20,
                        oldGenAfterLastGcMb(),
                        watcher.devicePush.quantileMillis(0.99)));
        publisher.awaitAllAcknowledged(Duration.ofMinutes(2));
        long heapEnd = heapAfterGcMb();
        report.say(
            "paced rate=%.0f achieved=%.0f msgs_s; device pushes n=%d (unmatched %d) p50=%.1f"
                + " p99=%.1f max=%.1f ms; problem pushes n=%d of %d faults p50=%.1f p99=%.1f max=%.1f ms;"
                + " GET /problems n=%d p50=%.1f p99=%.1f max=%.1f ms",
            rate,
            result.perSecond(),
            watcher.devicePush.count(),
            watcher.unmatchedDevicePushes(),
            watcher.devicePush.quantileMillis(0.5),
            watcher.devicePush.quantileMillis(0.99),
            watcher.devicePush.maxMillis(),
            watcher.problemPush.count(),
            result.faults(),
            watcher.problemPush.quantileMillis(0.5),
            watcher.problemPush.quantileMillis(0.99),
            watcher.problemPush.maxMillis(),
            rest.latencies.count(),
            rest.latencies.quantileMillis(0.5),
            rest.latencies.quantileMillis(0.99),
            rest.latencies.maxMillis());
        report.say("heap_after_gc_mb start=%d end=%d (fixed-rate phase)", heapStart, heapEnd);

        long allStored = runtime.pipeline().storedCount();
        report.say(
            "checks published=%d acked=%d failed=%d stored=%d rest_failures=%d",
            publisher.published(),
            publisher.acked(),
            publisher.failed(),
            allStored,
            rest.failures());
        if (publisher.failed() > 0 || publisher.acked() != publisher.published()) {
          problems.add(
              (publisher.published() - publisher.acked()) + " messages were not acknowledged");
        }
        if (allStored != publisher.acked()) {
          problems.add(
              "the runtime stored "
                  + allStored
                  + " messages but acknowledged "
                  + publisher.acked());
        }
        if (rest.failures() > 0) {
          problems.add(rest.failures() + " GET /problems calls failed");
        }
        if (watcher.closedReason().isDone()) {
          problems.add("the server closed the WebSocket: " + watcher.closedReason().get());
        }
        return new Figures(
            ingest.perSecond(),
            ingest.cpu().totalNanos() / 1e3 / ingest.acked(),
            watcher.devicePush.quantileMillis(0.5),
            watcher.devicePush.quantileMillis(0.99),
            watcher.problemPush.quantileMillis(0.99),
            rest.latencies.quantileMillis(0.99));
      } finally {
        watcher.closeBlocking();
      }
    }
  }

  /**
   * A runtime on {@code dir} flat out only (a round of {@code --rounds}): messages stored per
   * second; adds to {@code problems} what was not acknowledged or not stored once.
   */
  double flatOutOnly(Path dir, Fleet fleet, Duration warmup, Duration flat, List<String> problems)
      throws Exception {
    LocalConfig config =
        LocalConfig.defaults().withDataDir(dir).withPorts(0, 0, 0).withEnv(Map.of());
    try (LocalRuntime runtime = LocalRuntime.start(config);
        Publisher publisher =
            Publisher.connect(runtime.mqttUri().toString(), connections, window, fleet)) {
      double rate = publisher.flatOut(warmup, flat, java.util.Optional.empty()).perSecond();
      if (publisher.failed() > 0 || publisher.acked() != publisher.published()) {
        problems.add(
            (publisher.published() - publisher.acked()) + " messages were not acknowledged");
      }
      if (runtime.pipeline().storedCount() != publisher.acked()) {
        problems.add(
            "the runtime stored "
                + runtime.pipeline().storedCount()
                + " messages but acknowledged "
                + publisher.acked());
      }
      return rate;
    }
  }

  /** The old generation's occupancy after the last collection, without forcing one. */
  private static long oldGenAfterLastGcMb() {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(pool -> pool.getType() == MemoryType.HEAP && pool.getName().contains("Old"))
        .map(MemoryPoolMXBean::getCollectionUsage)
        .filter(Objects::nonNull)
        .mapToLong(usage -> usage.getUsed() >> 20)
        .sum();
  }

  private static long heapAfterGcMb() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
  }
}
