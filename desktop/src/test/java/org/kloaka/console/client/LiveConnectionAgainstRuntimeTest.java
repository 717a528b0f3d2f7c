package org.kloaka.console.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.api.Json;
import org.kloaka.api.Push;
import org.kloaka.console.client.ConnectionStatus.State;
import org.kloaka.local.LocalConfig;
import org.kloaka.local.LocalRuntime;
import org.kloaka.model.SensorId;

/**
 * The console's real {@link LiveConnection} held against the REAL push server of a local runtime
 * (not a fake): a fake that accepted binary frames hid a keep-alive the real server refuses, and
 * the console dropped its connection every two ping intervals.
 */
class LiveConnectionAgainstRuntimeTest {

  // Long enough that a pong delayed by a busy machine (2 cores shared by whole test suites) is not
  // mistaken for a missing one: a connection is dropped after two intervals without a pong.
  static final Duration PING_EVERY = Duration.ofSeconds(1);

  @TempDir Path data;
  final ObjectMapper json = Json.newMapper();
  final RecordingListener listener = new RecordingListener();
  final List<Push> pushes = listener.pushes;
  final List<ConnectionStatus> statuses = listener.statuses;
  final AtomicInteger opened = listener.opened;
  final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  LocalRuntime runtime;
  LiveConnection connection;

  @AfterEach
  void stop() {
    if (connection != null) {
      connection.close();
    }
    if (runtime != null) {
      runtime.close();
    }
    scheduler.shutdownNow();
  }

  @Test
  void staysConnectedForManyPingIntervalsAndStillGetsPushes() throws Exception {
    runtime =
        LocalRuntime.start(
            LocalConfig.defaults()
                .withDataDir(data.resolve("data"))
                .withPorts(0, 0, 0)
                .withEnv(Map.of()));
    connection =
        new LiveConnection(
            runtime.wsUri(),
            runtime.token(),
            listener,
            new Backoff(Duration.ofMillis(100), Duration.ofMillis(400), () -> 0.5),
            PING_EVERY,
            Clock.systemUTC(),
            scheduler);
    connection.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> opened.get() == 1);
    Instant openedAt = Instant.now();

    // Four pongs take at least four ping intervals: well past the two after which a connection
    // that gets no pong is dropped.
    await().atMost(Duration.ofSeconds(60)).until(() -> connection.pongs() >= 4);

    assertThat(Duration.between(openedAt, Instant.now())).isGreaterThan(PING_EVERY.multipliedBy(2));
    assertThat(connection.drops()).as("connections lost").isZero();
    assertThat(opened.get()).as("opens, each followed by a re-sync").isEqualTo(1);
    assertThat(statuses)
        .extracting(ConnectionStatus::state)
        .doesNotContain(State.RECONNECTING)
        .containsExactly(State.CONNECTING, State.SYNCING);

    runtime
        .pipeline()
        .submit(json.writeValueAsBytes(Map.of("id", "01", "filling", 50)))
        .get(10, TimeUnit.SECONDS);

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                pushes.stream()
                    .anyMatch(
                        p ->
                            p instanceof Push.DevicePush device
                                && device.device().id().equals(SensorId.parse("01"))));
    assertThat(connection.drops()).isZero();
    assertThat(opened.get()).isEqualTo(1);
  }
}
