package org.kloaka.local.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.core.app.FaultHistory;
import org.kloaka.local.LocalRuntime;
import org.kloaka.local.RunningRuntime;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemEvent;
import org.kloaka.testing.TestClock;

/**
 * Query times of the insights and exports (docs/decisions/030) at 2,000 sensors (1,000 two-sensor
 * tubes) with a year of problems in the local runtime's SQLite store, over real HTTP. Prints its
 * figures; asserts only that the answers are complete. By hand: {@code ./mvnw -B -pl backend/local
 * -am test -Dtest=InsightsBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * -Dkloaka.bench.insights=true [-Dkloaka.bench.gapDays=15]}.
 */
@EnabledIfSystemProperty(
    named = "kloaka.bench.insights",
    matches = "true",
    disabledReason =
        "a benchmark that prints figures; run it by hand with -Dkloaka.bench.insights=true")
class InsightsBenchmark {

  static final long DAY = 86_400;
  static final long END = 1_795_860_000L;
  static final int TUBES = 1_000;

  @TempDir Path dir;

  @Test
  void queryTimesAtTwoThousandSensorsWithAYearOfProblems() throws Exception {
    long gapDays = Long.getLong("kloaka.bench.gapDays", 60);
    long t0 = System.nanoTime();
    FaultHistory.Generated year =
        FaultHistory.generate(2026, TUBES, END - 365 * DAY, END, gapDays * DAY);
    List<Problem> records = FaultHistory.records(year.occurrences());
    SqliteDatabase db =
        SqliteDatabase.open(
            dir.resolve("data").resolve(SqliteDatabase.FILE_NAME),
            SqliteDatabase.Durability.NORMAL,
            1,
            Clock.systemUTC());
    List<ProblemEvent> events = year.events();
    for (int i = 0; i < events.size(); i += 10_000) {
      List<ProblemEvent> chunk = events.subList(i, Math.min(events.size(), i + 10_000));
      db.write(
          "load events",
          session -> {
            SqliteTimelineStore.insert(session, chunk);
            return null;
          });
    }
    SqliteProblemStore problems = new SqliteProblemStore(db);
    records.forEach(p -> problems.replace(null, p, List.of()));
    db.close();
    System.out.printf(
        Locale.ROOT,
        "insights benchmark (local, SQLite): %d sensors, %d occurrences, %d events in a year"
            + " (mean gap %d days), loaded in %.1f s%n",
        2 * TUBES,
        year.occurrences().size(),
        events.size(),
        gapDays,
        (System.nanoTime() - t0) / 1e9);

    try (LocalRuntime runtime =
        LocalRuntime.start(RunningRuntime.withoutMqtt(dir, TestClock.atEpochSecond(END)))) {
      time(runtime, "/insights/pairs?days=30");
      time(runtime, "/insights/pairs?days=365");
      time(runtime, "/insights/pairs?days=365&format=csv");
      time(runtime, "/insights/shift?since=" + (END - 12 * 3600) + "&until=" + END);
      time(runtime, "/insights/shift?types=all&since=" + (END - 7 * DAY) + "&until=" + END);
      time(runtime, "/problems?status=UNRESOLVED&format=csv");
      time(runtime, "/problems?format=csv");
      time(runtime, "/problems");
      time(runtime, "/insights/pairs?days=365&format=json");
    }
  }

  /** Five calls after one warm-up: median and slowest, and the answer's size. */
  static void time(LocalRuntime runtime, String target) throws Exception {
    List<Double> ms = new ArrayList<>();
    int bytes = 0;
    for (int i = 0; i < 6; i++) {
      long start = System.nanoTime();
      HttpResponse<String> answer =
          RunningRuntime.send(runtime, RunningRuntime.request(runtime, target).GET());
      double took = (System.nanoTime() - start) / 1e6;
      assertThat(answer.statusCode()).as(target + ": " + answer.body()).isEqualTo(200);
      bytes = answer.body().length();
      if (i > 0) {
        ms.add(took);
      }
    }
    ms.sort(null);
    System.out.printf(
        Locale.ROOT,
        "  GET %-60s median %7.1f ms  max %7.1f ms  %,9d bytes%n",
        target,
        ms.get(2),
        ms.get(4),
        bytes);
  }
}
