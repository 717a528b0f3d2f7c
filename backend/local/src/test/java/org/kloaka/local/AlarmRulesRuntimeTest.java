package org.kloaka.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kloaka.local.RunningRuntime.get;
import static org.kloaka.local.RunningRuntime.patch;
import static org.kloaka.local.RunningRuntime.submit;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.core.app.SweepSilentSensors;
import org.kloaka.testing.TestClock;

/**
 * Silent sensors and the confirmation window in the real local runtime (SQLite, WebSocket), on a
 * forwardable clock: the sweep is run at the test's chosen times, nothing waits for real time.
 */
class AlarmRulesRuntimeTest {

  static final long T = 1_795_860_000L;
  static final long W = Duration.ofHours(3).toSeconds();

  @TempDir Path dir;
  final TestClock clock = TestClock.atEpochSecond(T);
  final List<AutoCloseable> toClose = new ArrayList<>();

  LocalConfig config(Duration silentAfter, Duration confirmAfter) {
    return LocalConfig.defaults()
        .withDataDir(dir.resolve("data"))
        .withPorts(0, 0, 0)
        .withEnv(Map.of())
        .withClock(clock)
        .withAlarms(silentAfter, confirmAfter)
        .withoutMqtt();
  }

  LocalRuntime start(Duration silentAfter, Duration confirmAfter) {
    LocalRuntime runtime = LocalRuntime.start(config(silentAfter, confirmAfter));
    toClose.add(0, runtime);
    return runtime;
  }

  PushClient connect(LocalRuntime runtime) throws InterruptedException {
    PushClient client = PushClient.connect(runtime.wsUri(), runtime.token());
    toClose.add(0, client::closeBlocking);
    return client;
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable each : toClose) {
      each.close();
    }
  }

  static List<JsonNode> problemFrames(PushClient client) {
    return client.frames.stream().filter(f -> f.path("type").asText().equals("problem")).toList();
  }

  @Test
  void aSilentSensorIsPushedAtItsDeadlineListedInactiveWhenBackAndResolvedByAnOperator()
      throws Exception {
    LocalRuntime runtime = start(Duration.ofHours(3), Duration.ZERO);
    PushClient console = connect(runtime);
    submit(runtime, "0-10", "62.5");

    clock.set(T + W - 1);
    runtime.sweepSilentSensors();
    assertThat(
            RunningRuntime.send(runtime, RunningRuntime.request(runtime, "/problems/0-10").GET())
                .statusCode())
        .as("one second before the deadline")
        .isEqualTo(404);

    clock.set(T + W);
    runtime.sweepSilentSensors();
    JsonNode pushed =
        console.await(PushClient.problem("0-10", "problem", "SILENT")).path("problem");
    assertThat(pushed.path("upstream_id").asText()).isEqualTo("0-10");
    assertThat(pushed.path("downstream_id").isNull()).isTrue();
    assertThat(pushed.path("upstream_value").asText()).isEqualTo("62.5");
    assertThat(pushed.path("downstream_value").isNull()).isTrue();
    assertThat(pushed.path("problem_time").asLong()).isEqualTo(T + W);
    assertThat(pushed.path("last_seen").asLong()).isEqualTo(T);
    assertThat(get(runtime, "/problems?status=UNRESOLVED").path("problems").get(0))
        .isEqualTo(pushed);

    clock.set(T + W + 60);
    submit(runtime, "0-10", "100");
    console.await(PushClient.problem("0-10", "active", "false"));
    assertThat(get(runtime, "/problems/0-10").path("upstream_value").asText())
        .as("the value of the fault")
        .isEqualTo("62.5");

    assertThat(patch(runtime, "/problems/0-10", "{\"problem_status\": \"RESOLVED\"}").statusCode())
        .isEqualTo(200);
    console.await(PushClient.problem("0-10", "problem_status", "RESOLVED"));
    assertThat(problemFrames(console)).hasSize(3);
  }

  @Test
  void aWaitSurvivesARestartInTheMiddleOfTheConfirmationWindow() throws Exception {
    LocalRuntime first = start(Duration.ZERO, Duration.ofMinutes(30));
    submit(first, "01", "100");
    submit(first, "02", "50"); // not OK at T: the wait starts
    clock.set(T + 15 * 60);
    submit(first, "02", "50");
    first.close();

    LocalRuntime second = start(Duration.ZERO, Duration.ofMinutes(30));
    PushClient console = connect(second);
    clock.set(T + 29 * 60 + 59);
    submit(second, "02", "50");
    assertThat(get(second, "/problems").path("problems")).as("a second before").isEmpty();

    clock.set(T + 30 * 60);
    submit(second, "02", "50");
    JsonNode opened = console.await(PushClient.problem("0102", "problem", "OBSTRUCTION"));
    assertThat(opened.path("problem").path("problem_time").asLong()).isEqualTo(T + 30 * 60);
  }

  @Test
  void fiveThousandSensorsFallingSilentAtOnceAreOneSweepOneWriteAndOnePushEach() throws Exception {
    LocalRuntime runtime = start(Duration.ofHours(3), Duration.ZERO);
    List<java.util.concurrent.CompletableFuture<?>> stored = new ArrayList<>();
    for (int tube = 0; tube < 50; tube++) {
      for (int sensor = 1; sensor <= 100; sensor++) {
        stored.add(
            runtime
                .pipeline()
                .submit(
                    ("{\"id\":\"" + tube + "-" + sensor + "\",\"filling\":\"100\"}").getBytes()));
      }
    }
    for (var each : stored) {
      each.get(60, java.util.concurrent.TimeUnit.SECONDS);
    }
    PushClient console = connect(runtime);

    clock.set(T + W);
    long started = System.nanoTime();
    SweepSilentSensors.Result result = runtime.sweepSilentSensors();
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.printf(
        "local runtime: one sweep marked %d of %d silent sensors in %d ms (SQLite, one"
            + " transaction)%n",
        result.marked(), result.candidates(), millis);

    assertThat(result.candidates()).isEqualTo(5000);
    assertThat(result.marked()).isEqualTo(5000);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> problemFrames(console).size() >= 5000);
    assertThat(problemFrames(console)).hasSize(5000);
    // One write per record: each SILENT record is at its first version.
    try (Connection db =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data").resolve("kloaka.db"));
        ResultSet rows =
            db.createStatement()
                .executeQuery("SELECT version, count(*) FROM problem GROUP BY version")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getLong(1)).as("the records' version").isEqualTo(1);
      assertThat(rows.getInt(2)).isEqualTo(5000);
      assertThat(rows.next()).as("no record written twice").isFalse();
    }

    clock.set(T + W + 30);
    assertThat(runtime.sweepSilentSensors().candidates()).as("the next sweep").isZero();
  }

  /**
   * A downstream sensor flapping 74/76 (the CORRECT/LOW boundary) every five minutes below a full
   * upstream, for six hours: problem pushes a console gets per hour.
   */
  @Test
  void flappingAtALevelBoundaryPushesEveryReadingWithoutTheWindowAndNothingWithIt()
      throws Exception {
    double without = flapping(Duration.ZERO, "without");
    double with = flapping(Duration.ofMinutes(30), "with");
    System.out.printf(
        "local runtime, 74/76 every 5 min: %.1f problem pushes/hour with --confirm-after 0, %.1f"
            + " with 30m%n",
        without, with);
    assertThat(without).isEqualTo(12.0);
    assertThat(with).isZero();
  }

  private double flapping(Duration confirmAfter, String name) throws Exception {
    clock.set(T);
    LocalRuntime runtime =
        LocalRuntime.start(
            config(Duration.ZERO, confirmAfter).withDataDir(dir.resolve("flapping-" + name)));
    try {
      PushClient console = PushClient.connect(runtime.wsUri(), runtime.token());
      try {
        submit(runtime, "01", "100");
        submit(runtime, "02", "76");
        int hours = 6;
        for (int i = 1; i <= hours * 12; i++) {
          clock.set(T + i * 300L);
          submit(runtime, "02", i % 2 == 1 ? "74" : "76");
        }
        // The last reading's device push comes after its problem push, if any: wait for it.
        String last = hours * 12 % 2 == 1 ? "74" : "76";
        console.await(
            f ->
                f.path("type").asText().equals("device")
                    && f.path("device").path("last_update").asLong() == T + hours * 12 * 300L
                    && f.path("device").path("last_value").asText().equals(last));
        return problemFrames(console).size() / (double) hours;
      } finally {
        console.closeBlocking();
      }
    } finally {
      runtime.close();
    }
  }
}
