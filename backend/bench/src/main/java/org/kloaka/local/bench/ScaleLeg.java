package org.kloaka.local.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.kloaka.local.LocalConfig;
import org.kloaka.local.LocalRuntime;
import org.kloaka.local.mqtt.EmbeddedBroker;
import org.kloaka.local.sqlite.SqliteDatabase;

/**
 * {@code Bench --scale}: how ingest, history reads, start-up, disk and heap grow with the store
 * (issue 17). The store is grown by {@link BulkLoad} (straight into the tables, in their key order:
 * minutes, not the months real traffic would take) to each point of the curve — 0, ¼, ½ and all of
 * {@code --scale-rows} history rows ({@code --scale-points}: 0, then halves up to all), with {@code
 * --scale-devices} devices from the first point on — and at each the real runtime is started on it
 * and measured over its real paths: MQTT ingest flat out, {@code GET
 * /devices/{id}/measurements?limit=1000}, start to ready, bytes on disk per row, heap after GC.
 * Start to ready is timed as an operator sees it, a new JVM up to its ready line (and, in the
 * curve, also a restart in this JVM); once at the end also after a kill -9, when the whole file is
 * checked.
 *
 * <p>What is compared is measured under the same conditions, since this machine's load moves by
 * factors between minutes: ingest on the full store against a store kept empty, in turn, {@value
 * #ROUNDS} times ({@code --scale-rounds}), medians compared; ingest while retention deletes a day
 * against the same length of time right after it, as many days, the median ratio.
 */
final class ScaleLeg {

  private final RuntimeLeg.Report report;
  private final int connections;
  private final int window;
  private final long rows;
  private final int devices;
  private final Duration warmup;
  private final Duration flat;
  private final int points;
  private final int rounds;

  ScaleLeg(
      RuntimeLeg.Report report,
      int connections,
      int window,
      long rows,
      int devices,
      Duration warmup,
      Duration flat,
      int points,
      int rounds) {
    this.report = report;
    this.connections = connections;
    this.window = window;
    this.rows = rows;
    this.devices = devices;
    this.warmup = warmup;
    this.flat = flat;
    this.points = points;
    this.rounds = rounds;
  }

  /** Rounds of the empty-vs-full ingest comparison and of the purge comparison, by default. */
  static final int ROUNDS = 3;

  /** Points of the curve by default: 0, ¼, ½ and all of the rows. */
  static final int POINTS = 4;

  /** The curve's row counts: 0, then {@code rows} halved {@code points - 2} times, …, ½, all. */
  static long[] targets(long rows, int points) {
    long[] targets = new long[points];
    for (int i = 1; i < points; i++) {
      targets[i] = rows >> (points - 1 - i);
    }
    return targets;
  }

  /** One point of the curve. */
  record Point(
      long rows,
      int devices,
      double ingest,
      double historyP50,
      double historyP99,
      double startSeconds,
      double coldStartSeconds,
      double bytesPerRow,
      long heapMb) {}

  /** Runs the curve and the retention run; returns the summary line (without "bench: "). */
  String run(Path dir, Fleet fleet, List<String> problems) throws Exception {
    Path db = dir.resolve(SqliteDatabase.FILE_NAME);
    // A store that stays (nearly) empty, measured in turn with the full one: same conditions.
    Path emptyDir = dir.resolveSibling(dir.getFileName() + "-empty");
    BulkLoad load = new BulkLoad(db, devices, rows, System.currentTimeMillis() / 1000);
    List<Point> curve = new ArrayList<>();
    long[] targets = targets(rows, points);
    // A first start and flat-out run warms the JIT, so the empty store is not measured cold.
    measure(emptyDir, fleet, load, problems);
    report.say("scale warm-up done (empty store, not counted)");
    long ingested = 0;
    for (long target : targets) {
      if (target > load.loaded() || (target > 0 && load.devices() == 0)) {
        long t0 = System.nanoTime();
        load.growTo(target);
        report.say(
            "scale load rows=%d devices=%d in %.1f s",
            load.loaded(), load.devices(), (System.nanoTime() - t0) / 1e9);
        // The loader wrote the file, so the next start checks it in full (as after a crash);
        // the bulk load stands for the runtime's own traffic, so that start is not counted.
        EmbeddedBroker.awaitStopped();
        long t1 = System.nanoTime();
        try (LocalRuntime checked = startRuntime(dir)) {
          report.say(
              "scale first start after the load (file changed: checked) %.2f s",
              (System.nanoTime() - t1) / 1e9);
        }
      }
      Measured measured = measure(dir, fleet, load, problems);
      ingested += measured.stored;
      double cold = coldStart(dir, false);
      long total = load.loaded() + ingested;
      Point point =
          new Point(
              load.loaded(),
              load.devices(),
              measured.ingest,
              measured.historyP50,
              measured.historyP99,
              measured.startSeconds,
              cold,
              Files.size(db) / (double) Math.max(1, total),
              measured.heapMb);
      curve.add(point);
      report.say(
          "scale point rows=%d devices=%d ingest_msgs_s=%.0f history_p50_ms=%.1f"
              + " history_p99_ms=%.1f start_s=%.2f warm_start_s=%.2f bytes_per_msg=%.1f heap_mb=%d"
              + " db_mb=%d load_avg=%.1f",
          point.rows(),
          point.devices(),
          point.ingest(),
          point.historyP50(),
          point.historyP99(),
          point.coldStartSeconds(),
          point.startSeconds(),
          point.bytesPerRow(),
          point.heapMb(),
          Files.size(db) >> 20,
          loadAverage());
    }
    // Empty and full in turn, `rounds` times: each pair under the same load, medians compared.
    List<Double> empties = new ArrayList<>();
    List<Double> fulls = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      double empty = measureIngest(emptyDir, fleet, problems);
      double full = measureIngest(dir, fleet, problems);
      empties.add(empty);
      fulls.add(full);
      report.say(
          "scale round %d ingest_msgs_s empty=%.0f full=%.0f ratio=%.2f load_avg=%.1f",
          round, empty, full, full / empty, loadAverage());
    }
    double ingestRatio = median(fulls) / median(empties);
    double purgeRatio = purgeRatio(dir, fleet, load, problems);
    double crashStart = coldStart(dir, true);
    report.say("scale start after kill -9 (quick_check of the whole file): %.2f s", crashStart);
    Point full = curve.get(curve.size() - 1);
    report.say(
        "scale curve (rows: ingest_msgs_s / history_p99_ms / start_s / bytes_per_msg / heap_mb)");
    for (Point p : curve) {
      report.say(
          "scale curve %d: %.0f / %.1f / %.2f / %.1f / %d",
          p.rows(), p.ingest(), p.historyP99(), p.coldStartSeconds(), p.bytesPerRow(), p.heapMb());
    }
    return String.format(
        java.util.Locale.ROOT,
        "scale: rows=%d devices=%d ingest_ratio_full_vs_empty=%.2f history_p99_ms=%.1f"
            + " start_s=%.2f bytes_per_msg=%.1f purge_ingest_ratio=%.2f heap_mb=%d"
            + " warm_start_s=%.2f crash_start_s=%.2f",
        full.rows(),
        full.devices(),
        ingestRatio,
        full.historyP99(),
        full.coldStartSeconds(),
        full.bytesPerRow(),
        purgeRatio,
        full.heapMb(),
        full.startSeconds(),
        crashStart);
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static final class Measured {
    double ingest;
    double historyP50;
    double historyP99;
    double startSeconds;
    long heapMb;
    long stored;
  }

  /** Starts the runtime on {@code dir}; call {@link EmbeddedBroker#awaitStopped()} first. */
  private static LocalRuntime startRuntime(Path dir) {
    return LocalRuntime.start(
        LocalConfig.defaults().withDataDir(dir).withPorts(0, 0, 0).withEnv(Map.of()));
  }

  private Measured measure(Path dir, Fleet fleet, BulkLoad load, List<String> problems)
      throws Exception {
    Measured m = new Measured();
    // The previous runtime's broker finishes stopping in the background; not part of this start.
    EmbeddedBroker.awaitStopped();
    long t0 = System.nanoTime();
    try (LocalRuntime runtime = startRuntime(dir)) {
      m.startSeconds = (System.nanoTime() - t0) / 1e9;
      long storedBefore = runtime.pipeline().storedCount();
      try (Publisher publisher =
          Publisher.connect(runtime.mqttUri().toString(), connections, window, fleet)) {
        m.ingest = publisher.flatOut(warmup, flat, Optional.empty()).perSecond();
        awaitAcknowledged(publisher, problems);
      }
      m.stored = runtime.pipeline().storedCount() - storedBefore;
      Latencies history = history(runtime, fleet, load);
      m.historyP50 = history.quantileMillis(0.5);
      m.historyP99 = history.quantileMillis(0.99);
      System.gc();
      m.heapMb = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
    }
    return m;
  }

  /** Ingest flat out on the store in {@code dir}, started for it. */
  private double measureIngest(Path dir, Fleet fleet, List<String> problems) throws Exception {
    EmbeddedBroker.awaitStopped();
    try (LocalRuntime runtime = startRuntime(dir);
        Publisher publisher =
            Publisher.connect(runtime.mqttUri().toString(), connections, window, fleet)) {
      double rate = publisher.flatOut(warmup, flat, Optional.empty()).perSecond();
      awaitAcknowledged(publisher, problems);
      return rate;
    }
  }

  private static void awaitAcknowledged(Publisher publisher, List<String> problems)
      throws Exception {
    publisher.awaitAllAcknowledged(Duration.ofMinutes(2));
    if (publisher.acked() != publisher.published() || publisher.failed() > 0) {
      problems.add(
          "scale: "
              + (publisher.published() - publisher.acked())
              + " messages were not acknowledged");
    }
  }

  /**
   * The runtime as an operator starts it: a new JVM ({@code org.kloaka.local.cli.Main}) on the
   * store, timed from the process start to its ready line, then stopped with SIGTERM (a clean
   * stop). With {@code afterCrash}, it is first started and killed with SIGKILL, so the timed start
   * is one after a crash and checks the whole file.
   */
  private double coldStart(Path dir, boolean afterCrash) throws Exception {
    if (afterCrash) {
      Process killed = child(dir, "crash-first");
      awaitReady(killed, dir);
      killed.destroyForcibly();
      killed.waitFor(60, TimeUnit.SECONDS);
    }
    long t0 = System.nanoTime();
    Process child = child(dir, afterCrash ? "crash-then" : "cold");
    awaitReady(child, dir);
    double seconds = (System.nanoTime() - t0) / 1e9;
    child.destroy(); // SIGTERM: a clean stop, so the next start need not check the file
    if (!child.waitFor(2, TimeUnit.MINUTES)) {
      child.destroyForcibly();
      throw new IllegalStateException("the runtime in a child JVM did not stop after SIGTERM");
    }
    return seconds;
  }

  private static Process child(Path dir, String name) throws Exception {
    // Under Surefire (BenchTest) the class path is in its own property.
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            classPath,
            "org.kloaka.local.cli.Main",
            "--data",
            dir.toString(),
            "--mqtt-port",
            "0",
            "--http-port",
            "0",
            "--ws-port",
            "0");
    builder.environment().remove("KLOAKA_API_TOKEN"); // the token file of the data folder
    builder.redirectError(dir.resolveSibling("start-" + name + ".log").toFile());
    return builder.start();
  }

  private static void awaitReady(Process child, Path dir) throws Exception {
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    // Blocks until the line comes, the child ends (null), or the bench is stopped.
    for (String line = lines.readLine(); ; line = lines.readLine()) {
      if (line == null) {
        throw new IllegalStateException(
            "the runtime in a child JVM ended before it was ready; see its log beside " + dir);
      }
      if (line.startsWith("kloaka ready ")) {
        return;
      }
    }
  }

  /**
   * Ingest flat out while the history's oldest day is deleted by the runtime's own retention code
   * (in its chunks), {@code rounds} times, each against the same length of time just before it: the
   * median of the rates during over the rates before.
   */
  private double purgeRatio(Path dir, Fleet fleet, BulkLoad load, List<String> problems)
      throws Exception {
    List<Double> ratios = new ArrayList<>();
    EmbeddedBroker.awaitStopped();
    try (LocalRuntime runtime = startRuntime(dir);
        Publisher publisher =
            Publisher.connect(runtime.mqttUri().toString(), connections, window, fleet)) {
      AtomicBoolean running = new AtomicBoolean(true);
      Thread flatOut =
          new Thread(
              () -> {
                try {
                  publisher.flatOutWhile(running);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "bench-scale-flat-out");
      flatOut.start();
      try {
        sleep(warmup);
        for (int round = 1; round <= rounds; round++) {
          long a1 = publisher.acked();
          long n1 = System.nanoTime();
          long deleted = runtime.history().pruneBefore((load.firstDay() + round) * 86_400L);
          long a2 = publisher.acked();
          long n2 = System.nanoTime();
          // As long again without a purge, right after: the same conditions, as near as can be.
          sleep(Duration.ofNanos(Math.max(n2 - n1, 1_000_000_000L)));
          long a3 = publisher.acked();
          long n3 = System.nanoTime();
          double during = (a2 - a1) / ((n2 - n1) / 1e9);
          double without = (a3 - a2) / ((n3 - n2) / 1e9);
          ratios.add(during / without);
          report.say(
              "scale purge round %d deleted=%d rows in %.2f s; ingest_msgs_s during=%.0f"
                  + " without=%.0f ratio=%.2f load_avg=%.1f",
              round, deleted, (n2 - n1) / 1e9, during, without, during / without, loadAverage());
        }
      } finally {
        running.set(false);
        flatOut.join();
      }
      awaitAcknowledged(publisher, problems);
    }
    return median(ratios);
  }

  /** Latencies of {@code GET /devices/{id}/measurements?limit=1000}, fleet and loaded devices. */
  private static Latencies history(LocalRuntime runtime, Fleet fleet, BulkLoad load)
      throws Exception {
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
    return latencies;
  }

  private static void sleep(Duration duration) throws InterruptedException {
    // The benchmark's own pacing (phases of fixed length), not a wait for asynchronous work.
    Thread.sleep(duration.toMillis());
  }
}
