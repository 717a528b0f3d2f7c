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
 * [devices] [FULL|NORMAL] [maxBatch]}.
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
        long start = System.nanoTime();
        run(pipeline, messages, sensors);
        double seconds = (System.nanoTime() - start) / 1e9;
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
