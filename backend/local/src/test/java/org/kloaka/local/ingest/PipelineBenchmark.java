package org.kloaka.local.ingest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.kloaka.core.Inspector;
import org.kloaka.core.Neighbours;
import org.kloaka.core.Organizer;
import org.kloaka.core.Organizer.Outcome;
import org.kloaka.ingest.IngestParser;
import org.kloaka.local.sqlite.AfterCommitEvents;
import org.kloaka.local.sqlite.SqliteDatabase;
import org.kloaka.local.sqlite.SqliteDeviceStore;
import org.kloaka.local.sqlite.SqliteHistoryStore;
import org.kloaka.local.sqlite.SqliteProblemStore;
import org.kloaka.local.sqlite.SqliteRejectStore;

/**
 * Pipeline throughput with group commit, on a real SQLite file: not a test, a figure to quote.
 *
 * <p>Run: {@code java -cp <test class path> org.kloaka.local.ingest.PipelineBenchmark [messages]
 * [devices] [FULL|NORMAL] [maxBatch] [none|pool|writer]}. The last argument adds a thread reading
 * one device in a loop meanwhile, as REST does: from the read-only pool, or through the writer's
 * lock (the alternative design), and prints that read's latency.
 */
public final class PipelineBenchmark {

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int sensors = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    SqliteDatabase.Durability durability =
        args.length > 2
            ? SqliteDatabase.Durability.valueOf(args[2])
            : SqliteDatabase.Durability.FULL;
    int maxBatch = args.length > 3 ? Integer.parseInt(args[3]) : IngestPipeline.DEFAULT_MAX_BATCH;
    String reads = args.length > 4 ? args[4] : "none";
    Path dir = Files.createTempDirectory("kloaka-bench");
    Clock clock = Clock.systemUTC();
    try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("kloaka.db"), durability, 2, clock)) {
      SqliteDeviceStore devices = new SqliteDeviceStore(db);
      AfterCommitEvents events = new AfterCommitEvents(db, push -> {});
      Organizer organizer =
          new Organizer(
              new IngestParser(),
              devices,
              new SqliteHistoryStore(db),
              new SqliteRejectStore(db, 10_000),
              events,
              clock,
              100);
      Inspector inspector =
          new Inspector(
              devices, new SqliteProblemStore(db), Neighbours.BY_ID_CONVENTION, events, clock);
      try (IngestPipeline pipeline =
          new IngestPipeline(organizer, inspector, db, 10_000, maxBatch)) {
        run(pipeline, Math.min(messages, 5_000), sensors); // warm-up
        long batchesBefore = pipeline.batchCount();
        java.util.concurrent.atomic.AtomicBoolean done =
            new java.util.concurrent.atomic.AtomicBoolean();
        List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread reader =
            new Thread(
                () -> {
                  org.kloaka.model.SensorId id = org.kloaka.model.SensorId.parse("05");
                  while (!done.get() && !reads.equals("none")) {
                    long t0 = System.nanoTime();
                    if (reads.equals("pool")) {
                      devices.find(id);
                    } else {
                      db.inTransaction(() -> devices.find(id));
                    }
                    latencies.add(System.nanoTime() - t0);
                  }
                });
        long start = System.nanoTime();
        reader.start();
        run(pipeline, messages, sensors);
        double seconds = (System.nanoTime() - start) / 1e9;
        done.set(true);
        reader.join();
        if (!latencies.isEmpty()) {
          List<Long> sorted = new ArrayList<>(latencies);
          java.util.Collections.sort(sorted);
          System.out.printf(
              "device reads through %s meanwhile: %d reads, p50 %.2f ms, p99 %.2f ms, max %.1f ms%n",
              reads,
              sorted.size(),
              sorted.get(sorted.size() / 2) / 1e6,
              sorted.get(sorted.size() * 99 / 100) / 1e6,
              sorted.get(sorted.size() - 1) / 1e6);
        }
        long batches = pipeline.batchCount() - batchesBefore;
        System.out.printf(
            "%d messages over %d sensors, synchronous=%s, max batch %d: %.0f msg/s"
                + " (%.2f s, %d transactions, %.0f messages per transaction)%n",
            messages,
            sensors,
            durability,
            maxBatch,
            messages / seconds,
            seconds,
            batches,
            (double) messages / batches);
      }
    }
  }

  private static void run(IngestPipeline pipeline, int messages, int sensors) throws Exception {
    List<CompletableFuture<Outcome>> futures = new ArrayList<>(messages);
    for (int i = 0; i < messages; i++) {
      int sensor = i % sensors;
      String id = sensor < 10 ? "0" + sensor : "0-" + sensor;
      byte[] payload =
          ("{\"id\":\"" + id + "\",\"filling\":" + (i * 7 % 101) + "}")
              .getBytes(StandardCharsets.UTF_8);
      futures.add(pipeline.submit(payload));
    }
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
  }
}
