package org.kloaka.console.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.console.client.BackendClient;
import org.kloaka.local.LocalConfig;
import org.kloaka.local.LocalRuntime;
import org.kloaka.model.Device;
import org.kloaka.model.Problem;
import org.kloaka.model.SensorId;

/** The demo's devices against a real local runtime: the story they tell arrives as told. */
class DemoDevicesTest {

  @TempDir Path data;
  LocalRuntime runtime;
  long runtimeStarted;
  BackendClient client;

  @BeforeEach
  void start() throws Exception {
    Path network = Files.write(data.resolve("demo-network.json"), DemoDevices.networkBytes());
    runtime =
        LocalRuntime.start(
            LocalConfig.defaults()
                .withDataDir(data.resolve("data"))
                .withPorts(0, 0, 0)
                .withNetworkFile(network)
                .withEnv(Map.of()));
    runtimeStarted = System.nanoTime();
    client = BackendClient.create(runtime.httpUri(), runtime.token());
  }

  @AfterEach
  void stop() {
    runtime.close();
  }

  @Test
  void theDemoNetworkIsAValidNetworkFileWithAJunctionAndCoordinates() {
    var tubes = DemoDevices.network().tubes();
    assertThat(tubes).hasSizeBetween(3, 4);
    assertThat(tubes).filteredOn(t -> t.flowsInto() != null).hasSize(1);
    assertThat(tubes)
        .flatMap(t -> t.sensors())
        .allMatch(s -> s.name() != null && s.lat() != null && s.lon() != null);
  }

  @Test
  void aDayOfHistoryWithAnObstructionAClearedProblemAndAStaleSensor() throws Exception {
    long started = Clock.systemUTC().instant().getEpochSecond();
    try (DemoDevices devices =
        new DemoDevices(
            payload -> runtime.pipeline().submit(payload), Clock.systemUTC(), new Random(7))) {
      devices.start(Duration.ofMillis(200), runtime::sweepSilentSensors); // as Embedded does

      await().atMost(60, TimeUnit.SECONDS).until(() -> client.devices().get().size() == 19);
      // Piazza Testaccio is listed silent after the back-fill's own sweep: the runtime's sweeper
      // ran at its start (no devices yet) and runs next 30 s later.
      Duration beforeTheNextSweep =
          Duration.ofSeconds(25).minusNanos(System.nanoTime() - runtimeStarted);
      await()
          .atMost(beforeTheNextSweep)
          .until(
              () ->
                  client.problems(null).get().stream()
                      .anyMatch(
                          p ->
                              p.problemId().equals("33")
                                  && p.problem() == org.kloaka.model.ProblemType.SILENT
                                  && p.active()));
      await()
          .atMost(60, TimeUnit.SECONDS)
          .until(
              () ->
                  client.problems(null).get().stream()
                      .anyMatch(p -> p.problemId().equals("2223") && p.active()));
      await()
          .atMost(60, TimeUnit.SECONDS)
          .until(
              () ->
                  client.problems(null).get().stream()
                      .anyMatch(p -> p.problemId().equals("3132") && !p.active()));
      await().atMost(60, TimeUnit.SECONDS).until(() -> client.rejects(10).get().size() == 3);
    }
    List<Device> all = client.devices().get();
    Device stale =
        all.stream().filter(d -> d.id().equals(SensorId.parse("33"))).findFirst().orElseThrow();
    assertThat(started - stale.lastUpdate())
        .as("silent for about three hours")
        .isBetween(3 * 3600L - 60, 4 * 3600L);
    Device fresh =
        all.stream().filter(d -> d.id().equals(SensorId.parse("13"))).findFirst().orElseThrow();
    assertThat(started - fresh.lastUpdate()).isLessThan(30 * 60);
    assertThat(fresh.signal()).as("TTN radio metadata comes along").isNotNull();
    var history =
        client
            .measurements(
                SensorId.parse("13"),
                java.time.Instant.ofEpochSecond(started - 86400),
                java.time.Instant.ofEpochSecond(started + 60),
                1000)
            .get();
    assertThat(history.size()).as("a day of readings every 20 minutes").isGreaterThanOrEqualTo(70);
    List<Problem> problems = client.problems(null).get();
    assertThat(problems).extracting(Problem::problemId).contains("2223", "3132");
  }

  @Test
  void publishesOverMqttWhenTheRuntimeHasABroker() throws Exception {
    DemoDevices.Publisher mqtt;
    try {
      mqtt = DemoDevices.mqtt(runtime.mqttUri(), new Random(1));
    } catch (MqttException e) {
      Assumptions.abort(
          "the local runtime has no MQTT broker on main yet ("
              + e.getMessage()
              + "): the demo's MQTT path is tested once it lands");
      return;
    }
    try (DemoDevices devices = new DemoDevices(mqtt, Clock.systemUTC(), new Random(7))) {
      devices.start(Duration.ofMillis(200));
      await().atMost(60, TimeUnit.SECONDS).until(() -> client.devices().get().size() == 19);
    }
  }
}
