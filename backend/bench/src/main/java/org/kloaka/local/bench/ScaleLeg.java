package org.kloaka.local.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.kloaka.local.LocalConfig;
import org.kloaka.local.LocalRuntime;
import org.kloaka.local.sqlite.SqliteDatabase;

/**
 * {@code Bench --scale}: how ingest, history reads, start-up, disk and heap grow with the store
 * (issue 17). The store is grown by {@link BulkLoad} (straight into the tables, in their key order:
 * minutes, not the months real traffic would take) to each point of the curve — 0, ¼, ½ and all of
 * {@code --scale-rows} history rows, with {@code --scale-devices} devices from the first point on —
 * and at each the real runtime is started on it and measured over its real paths: MQTT ingest flat
 * out, {@code GET /devices/{id}/measurements?limit=1000}, start to ready, bytes on disk per row,
 * heap after GC. On the full store, ingest is also measured while retention deletes the oldest day.
 */
final class ScaleLeg {

  private final RuntimeLeg.Report report;
  private final int connections;
  private final int window;
  private final long rows;
  private final int devices;
  private final Duration warmup;
  private final Duration flat;

  ScaleLeg(
      RuntimeLeg.Report report,
      int connections,
      int window,
      long rows,
      int devices,
      Duration warmup,
      Duration flat) {
    this.report = report;
    this.connections = connections;
    this.window = window;
    this.rows = rows;
    this.devices = devices;
    this.warmup = warmup;
    this.flat = flat;
  }

  /** One point of the curve. */
  record Point(
      long rows,
      int devices,
      double ingest,
      double historyP99,
      double startSeconds,
      double bytesPerRow,
      long heapMb) {}

  /** Runs the curve and the retention run; returns the summary line (without "bench: "). */
  String run(Path dir, Fleet fleet, List<String> problems) throws Exception {
    Path db = dir.resolve(SqliteDatabase.FILE_NAME);
    BulkLoad load = new BulkLoad(db, devices, rows, System.currentTimeMillis() / 1000);
    List<Point> curve = new ArrayList<>();
    long[] targets = {0, rows / 4, rows / 2, rows};
    // A first start and flat-out run warms the JIT, so the empty store is not measured cold.
    long ingested = measure(dir, fleet, load, false, problems).stored;
    report.say("scale warm-up done (empty store, not counted)");
    for (long target : targets) {
      if (target > load.loaded() || (target > 0 && load.devices() == 0)) {
        long t0 = System.nanoTime();
        load.growTo(target);
        report.say(
            "scale load rows=%d devices=%d in %.1f s",
            load.loaded(), load.devices(), (System.nanoTime() - t0) / 1e9);
      }
      Measured measured = measure(dir, fleet, load, false, problems);
      ingested += measured.stored;
      long total = load.loaded() + ingested;
      Point point =
          new Point(
              load.loaded(),
              load.devices(),
              measured.ingest,
              measured.historyP99,
              measured.startSeconds,
              Files.size(db) / (double) Math.max(1, total),
              measured.heapMb);
      curve.add(point);
      report.say(
          "scale point rows=%d devices=%d ingest_msgs_s=%.0f history_p99_ms=%.1f start_s=%.2f"
              + " bytes_per_msg=%.1f heap_mb=%d db_mb=%d",
          point.rows(),
          point.devices(),
          point.ingest(),
          point.historyP99(),
          point.startSeconds(),
          point.bytesPerRow(),
          point.heapMb(),
          Files.size(db) >> 20);
    }
    Measured purge = measure(dir, fleet, load, true, problems);
    Point empty = curve.get(0);
    Point full = curve.get(curve.size() - 1);
    report.say(
        "scale curve (rows: ingest_msgs_s / history_p99_ms / start_s / bytes_per_msg / heap_mb)");
    for (Point p : curve) {
      report.say(
          "scale curve %d: %.0f / %.1f / %.2f / %.1f / %d",
          p.rows(), p.ingest(), p.historyP99(), p.startSeconds(), p.bytesPerRow(), p.heapMb());
    }
    return String.format(
        java.util.Locale.ROOT,
        "scale: rows=%d devices=%d ingest_ratio_full_vs_empty=%.2f history_p99_ms=%.1f"
            + " start_s=%.2f bytes_per_msg=%.1f purge_ingest_ratio=%.2f heap_mb=%d",
        full.rows(),
        full.devices(),
        full.ingest() / empty.ingest(),
        full.historyP99(),
        full.startSeconds(),
        full.bytesPerRow(),
        purge.purgeRatio,
        full.heapMb());
  }

  private static final class Measured {
    double ingest;
    double historyP99;
    double startSeconds;
    long heapMb;
    long stored;
    double purgeRatio = Double.NaN;
  }

  private Measured measure(
      Path dir, Fleet fleet, BulkLoad load, boolean purge, List<String> problems) throws Exception {
    Measured m = new Measured();
    LocalConfig config =
        LocalConfig.defaults().withDataDir(dir).withPorts(0, 0, 0).withEnv(Map.of());
    long t0 = System.nanoTime();
    try (LocalRuntime runtime = LocalRuntime.start(config)) {
      m.startSeconds = (System.nanoTime() - t0) / 1e9;
      long storedBefore = runtime.pipeline().storedCount();
      try (Publisher publisher =
          Publisher.connect(runtime.mqttUri().toString(), connections, window, fleet)) {
        if (purge) {
          m.purgeRatio = purgeRatio(runtime, publisher, load);
        } else {
          m.ingest = publisher.flatOut(warmup, flat, Optional.empty()).perSecond();
        }
        publisher.awaitAllAcknowledged(Duration.ofMinutes(2));
        if (publisher.acked() != publisher.published() || publisher.failed() > 0) {
          problems.add(
              "scale: "
                  + (publisher.published() - publisher.acked())
                  + " messages were not acknowledged");
        }
      }
      m.stored = runtime.pipeline().storedCount() - storedBefore;
      if (!purge) {
        m.historyP99 = historyP99(runtime, fleet, load);
        System.gc();
        m.heapMb = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
      }
    }
    return m;
  }

  /**
   * Ingest flat out, first without, then while the history's oldest day is deleted by the runtime's
   * own retention code (in its chunks): the rate during the purge over the rate before.
   */
  private double purgeRatio(LocalRuntime runtime, Publisher publisher, BulkLoad load)
      throws Exception {
    Duration total = warmup.plus(flat.multipliedBy(6));
    Thread flatOut =
        new Thread(
            () -> {
              try {
                publisher.flatOut(Duration.ZERO, total, Optional.empty());
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            "bench-scale-flat-out");
    flatOut.start();
    sleep(warmup);
    long a0 = publisher.acked();
    long n0 = System.nanoTime();
    sleep(flat);
    long a1 = publisher.acked();
    long n1 = System.nanoTime();
    long cutoff = load.firstDay() * 86_400 + 86_400;
    long deleted = runtime.history().pruneBefore(cutoff);
    long a2 = publisher.acked();
    long n2 = System.nanoTime();
    flatOut.join();
    double before = (a1 - a0) / ((n1 - n0) / 1e9);
    double during = (a2 - a1) / ((n2 - n1) / 1e9);
    report.say(
        "scale purge deleted=%d rows in %.2f s; ingest_msgs_s before=%.0f during=%.0f",
        deleted, (n2 - n1) / 1e9, before, during);
    return during / before;
  }

  /** p99 of {@code GET /devices/{id}/measurements?limit=1000} over fleet and loaded devices. */
  private double historyP99(LocalRuntime runtime, Fleet fleet, BulkLoad load) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Random random = new Random(42);
    Latencies latencies = new Latencies();
    for (int i = 0; i < 300; i++) {
      String id =
          i % 2 == 0 || load.devices() == 0
              ? fleet.id(random.nextInt(fleet.size())).toString()
              : load.deviceId(random.nextInt(load.devices()));
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create(
                      runtime.httpUri() + "/devices/" + id + "/measurements?since=0&limit=1000"))
              .header("Authorization", "Bearer " + runtime.token())
              .build();
      long t0 = System.nanoTime();
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      latencies.record(System.nanoTime() - t0);
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "GET /devices/" + id + "/measurements answered " + response.statusCode());
      }
    }
    return latencies.quantileMillis(0.99);
  }

  private static void sleep(Duration duration) throws InterruptedException {
    // The benchmark's own pacing (phases of fixed length), not a wait for asynchronous work.
    Thread.sleep(duration.toMillis());
  }
}
