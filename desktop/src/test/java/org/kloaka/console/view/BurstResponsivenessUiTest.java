package org.kloaka.console.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javafx.geometry.Point2D;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.api.Json;
import org.kloaka.console.ConsoleSession;
import org.kloaka.console.ConsoleWindow;
import org.kloaka.console.viewmodel.ConsoleViewModel;
import org.kloaka.console.viewmodel.Selection;
import org.kloaka.console.viewmodel.SensorNode;
import org.kloaka.local.LocalRuntime;
import org.kloaka.model.SensorId;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A burst of 10,000 readings published over MQTT to a REAL local runtime (broker, ingest, SQLite,
 * WebSocket pushes) with 2,000 named sensors, while an operator clicks sensors on the line: every
 * click must be answered — the selection follows — and none lost. Prints the click latency (pointer
 * pressed by the robot until the console selected the sensor).
 *
 * <p>The default deadline per click is generous ({@code kloaka.burst.clickBudgetMs}, 5 s): on this
 * shared machine the load average reaches 15–20 and starves every thread; the console froze for
 * 17–19 s before decision 033. Run with {@code -Dkloaka.burst.clickBudgetMs=200} on a quiet machine
 * to hold it to the target.
 */
@ExtendWith(ApplicationExtension.class)
class BurstResponsivenessUiTest {

  static final int TUBES = 20;
  static final int PER_TUBE = 100;
  static final int READINGS = 10_000;
  static final long BUDGET_MS = Long.getLong("kloaka.burst.clickBudgetMs", 5_000);

  @TempDir static Path data;
  final ObjectMapper json = Json.newMapper();
  ConsoleSession session;
  ConsoleWindow window;

  @Start
  void start(Stage stage) throws Exception {
    session = UiTestSupport.embedded(Files.createTempDirectory(data, "burst"), json(network()));
    window = new ConsoleWindow(session.viewModel(), null, 1440, 900);
    window.show(stage, session.viewModel(), () -> {});
    session.start();
  }

  @AfterEach
  void stop() {
    session.close();
  }

  static Map<String, Object> network() {
    List<Object> tubes = new ArrayList<>();
    for (int t = 0; t < TUBES; t++) {
      List<Object> sensors = new ArrayList<>();
      for (int s = 1; s <= PER_TUBE; s++) {
        Map<String, Object> sensor = new LinkedHashMap<>();
        sensor.put("id", new SensorId(t, s).toString());
        sensor.put("name", "Manhole " + LineBenchmark.STREETS[t] + " " + s);
        sensor.put("lat", 45.80 + t * 0.004);
        sensor.put("lon", 15.95 + s * 0.0008);
        sensors.add(sensor);
      }
      tubes.add(
          Map.of(
              "id",
              Integer.toString(t),
              "name",
              LineBenchmark.STREETS[t] + " trunk",
              "sensors",
              sensors));
    }
    return Map.of("tubes", tubes);
  }

  String json(Object value) throws Exception {
    return json.writeValueAsString(value);
  }

  @Test
  void everyClickIsAnsweredDuringABurstOf10000Readings(FxRobot robot) throws Exception {
    ConsoleViewModel console = session.viewModel();
    await().atMost(60, TimeUnit.SECONDS).until(() -> console.status().live().get());
    await().atMost(30, TimeUnit.SECONDS).until(() -> console.line().sensorCount() == 2_000);

    // The marker: the burst's last reading; once the line shows it, the burst is through.
    SensorId marker = new SensorId(7, 50);
    CompletableFuture<Void> published =
        CompletableFuture.runAsync(
            () -> {
              try {
                publishBurst(marker);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });

    List<SensorNode> targets =
        List.of(
            console.line().sensor(new SensorId(2, 20)).orElseThrow(),
            console.line().sensor(new SensorId(15, 80)).orElseThrow());
    AtomicLong answeredAt = new AtomicLong();
    console.selection().addListener((o, was, now) -> answeredAt.set(System.nanoTime()));
    List<Long> latencies = new ArrayList<>();
    int k = 0;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (!(published.isDone() && markerShown(marker)) || latencies.size() < 10) {
      assertThat(System.nanoTime())
          .as("the burst went through within 5 minutes")
          .isLessThan(deadline);
      SensorNode target = targets.get(k++ % 2);
      Point2D at =
          WaitForAsyncUtils.asyncFx(() -> window.view().lineView().screenPointOf(target))
              .get(30, TimeUnit.SECONDS);
      robot.moveTo(at);
      answeredAt.set(0);
      long pressed = System.nanoTime();
      robot.press(MouseButton.PRIMARY).release(MouseButton.PRIMARY);
      await()
          .atMost(BUDGET_MS, TimeUnit.MILLISECONDS)
          .pollInterval(Duration.ofMillis(2))
          .until(
              () ->
                  answeredAt.get() != 0
                      && console.selection().get() instanceof Selection.Sensor s
                      && s.id().equals(target.id()));
      latencies.add(answeredAt.get() - pressed);
    }
    published.get(10, TimeUnit.SECONDS);

    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf(
        Locale.ROOT,
        "%n=== burst of %d readings over MQTT, 2,000 sensors: %d clicks, pressed → selected"
            + " p50 %.1f ms, p99 %.1f ms, max %.1f ms, mean %.1f ms; load average %.2f ===%n",
        READINGS,
        sorted.length,
        sorted[sorted.length / 2] / 1e6,
        sorted[(int) (sorted.length * 0.99)] / 1e6,
        sorted[sorted.length - 1] / 1e6,
        Arrays.stream(sorted).average().orElse(0) / 1e6,
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    assertThat(sorted[sorted.length - 1] / 1_000_000)
        .as("every click answered within the budget")
        .isLessThanOrEqualTo(BUDGET_MS);
  }

  boolean markerShown(SensorId marker) throws Exception {
    return WaitForAsyncUtils.asyncFx(
            () ->
                session
                    .viewModel()
                    .line()
                    .sensor(marker)
                    .map(
                        n -> n.value() != null && n.value().equals(org.kloaka.model.Filling.of(37)))
                    .orElse(false))
        .get(30, TimeUnit.SECONDS);
  }

  /** 10,000 readings as fast as the broker takes them, at most 500 unacknowledged (QoS 1). */
  void publishBurst(SensorId marker) throws Exception {
    LocalRuntime runtime = session.owned(LocalRuntime.class);
    MqttAsyncClient client =
        new MqttAsyncClient(
            runtime.mqttUri().toString(), "burst-" + System.nanoTime(), new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMaxInflight(1_000);
    options.setCleanSession(true);
    client.connect(options).waitForCompletion(30_000);
    Semaphore window = new Semaphore(500);
    IMqttActionListener release =
        new IMqttActionListener() {
          @Override
          public void onSuccess(IMqttToken token) {
            window.release();
          }

          @Override
          public void onFailure(IMqttToken token, Throwable failure) {
            window.release();
          }
        };
    Random random = new Random(11);
    try {
      for (int i = 0; i < READINGS; i++) {
        SensorId id =
            i == READINGS - 1
                ? marker
                : new SensorId(random.nextInt(TUBES), 1 + random.nextInt(PER_TUBE));
        int filling = i == READINGS - 1 ? 37 : random.nextInt(101);
        if (id.equals(marker) && i != READINGS - 1) {
          filling = 90; // the marker's value shows only at the end
        }
        byte[] payload =
            json.writeValueAsString(Map.of("id", id.toString(), "filling", filling))
                .getBytes(StandardCharsets.UTF_8);
        window.acquire();
        client.publish("kloaka_from_device", new MqttMessage(payload), null, release);
      }
      window.acquire(500); // every publish acknowledged
    } finally {
      client.disconnect().waitForCompletion(10_000);
      client.close();
    }
  }
}
