package org.kloaka.console.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javafx.application.Platform;
import javafx.geometry.Point2D;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
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
 * 2,000 named sensors with coordinates on a REAL local runtime (broker, ingest, SQLite, WebSocket
 * pushes). First the map: zoomed out, neighbouring sensors share a cluster with their count, every
 * sensor is in one; the problem's badge stays unclustered above them; zoomed in, no clusters.
 *
 * <p>Then a burst of 10,000 readings published over MQTT to a REAL local runtime (broker, ingest,
 * SQLite, WebSocket pushes) with 2,000 named sensors, while an operator clicks sensors on the line:
 * every click must be answered — the selection follows — and none lost. Prints the click latency
 * (pointer pressed by the robot until the console selected the sensor).
 *
 * <p>By default the test holds the console to "no click lost" (each answered within {@code
 * kloaka.burst.clickBudgetMs}, 60 s): the runtime and the console share the JVM, and on this shared
 * 2-core machine at load averages of 20–30 a click during the burst took 12–23 s, the JVM getting a
 * small share of the cores (decision 033). Run with {@code -Dkloaka.burst.clickBudgetMs=200} on a
 * quiet machine to hold it to the target.
 */
@ExtendWith(ApplicationExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CityScaleUiTest {

  static final int TUBES = 20;
  static final int PER_TUBE = 100;
  static final int READINGS = 10_000;
  static final long BUDGET_MS = Long.getLong("kloaka.burst.clickBudgetMs", 5_000);
  static final int RATE = 1_000;
  static final Duration BURST_DEADLINE = Duration.ofMinutes(3);
  static final long PAUSE_MS = 100;

  @TempDir static Path data;
  final ObjectMapper json = Json.newMapper();
  static ConsoleSession session;
  static ConsoleWindow window;

  /** Off the FX thread: on a busy machine the runtime takes longer than TestFX's setup may. */
  @BeforeAll
  static void runtime() throws Exception {
    session = UiTestSupport.embedded(data, Json.newMapper().writeValueAsString(network()), true);
  }

  /** A window for each test (TestFX hides the last one's), the session started once. */
  @Start
  void start(Stage stage) {
    if (window == null) {
      window = UiTestSupport.show(stage, session, 1440, 900);
    } else {
      window = new ConsoleWindow(session.viewModel(), null, 1440, 900);
      window.show(stage, session.viewModel(), () -> {});
    }
  }

  @AfterAll
  static void stop() throws Exception {
    UiTestSupport.closeAll(session);
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

  <T> T fx(Callable<T> call) throws Exception {
    return WaitForAsyncUtils.asyncFx(call).get(30, TimeUnit.SECONDS);
  }

  Object page(String script) throws Exception {
    return fx(() -> window.view().mapView().webView().getEngine().executeScript(script));
  }

  List<Integer> clusters() throws Exception {
    return json.readerForListOf(Integer.class)
        .readValue(String.valueOf(fx(window.view().mapView()::clusterSizes)));
  }

  @Test
  @Order(1)
  void zoomedOutSensorsAreClusteredWithCountsAndTheProblemStaysOnTop(FxRobot robot)
      throws Exception {
    var console = session.viewModel();
    await().atMost(60, TimeUnit.SECONDS).until(() -> console.status().live().get());
    LocalRuntime runtime = session.owned(LocalRuntime.class);
    UiTestSupport.reading(runtime, "3-10", 100);
    UiTestSupport.reading(runtime, "3-11", 40);
    await().atMost(15, TimeUnit.SECONDS).until(() -> console.problems().activeCount().get() == 1);

    robot.clickOn("Map");
    MapView map = window.view().mapView();
    // Leaflet in WebKit with 2,000 sensors takes a while on a busy machine.
    await().atMost(120, TimeUnit.SECONDS).until(() -> fx(map::shownSensors) == 2_000);
    await().atMost(30, TimeUnit.SECONDS).until(() -> !clusters().isEmpty());

    List<Integer> sizes = clusters();
    int clustered = sizes.stream().mapToInt(Integer::intValue).sum();
    int singles =
        ((Number)
                page(
                    "(function () { var n = 0; sensorLayer.eachLayer(function (l) {"
                        + " if (l.kloaka) { n++; } }); return n; })()"))
            .intValue();
    assertThat(clustered + singles)
        .as("every sensor is drawn once, alone or in a cluster")
        .isEqualTo(2_000);
    assertThat(sizes.size() + singles).as("far fewer marks than sensors").isLessThan(500);
    assertThat(
            page(
                "Array.from(document.querySelectorAll('.kloaka-cluster')).map(function (c) {"
                    + " return c.textContent; }).join(',')"))
        .as("each cluster says how many")
        .isEqualTo(sizes.stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElse(""));
    assertThat(page("document.querySelectorAll('.kloaka-badge').length"))
        .as("the obstruction's badge is not clustered away")
        .isEqualTo(1);
    assertThat(
            ((Number)
                    page(
                        "Number(map.getPane('problems').style.zIndex)"
                            + " - Number(map.getPane('clusters').style.zIndex)"))
                .intValue())
        .as("problems above clusters")
        .isPositive();

    SensorId one = new SensorId(3, 10);
    page("map.setView([45.812, " + (15.95 + 10 * 0.0008) + "], 18, {animate: false})");
    await().atMost(30, TimeUnit.SECONDS).until(() -> clusters().isEmpty());
    assertThat(console.line().sensor(one)).isPresent();
    robot.clickOn("Line");
  }

  @Test
  @Order(2)
  void everyClickIsAnsweredDuringABurstOf10000Readings() throws Exception {
    ConsoleViewModel console = session.viewModel();
    await().atMost(60, TimeUnit.SECONDS).until(() -> console.status().live().get());
    await().atMost(30, TimeUnit.SECONDS).until(() -> console.line().sensorCount() == 2_000);

    // The line fitted and drawn in its final size (after the map's test it was hidden): the
    // points clicked below are where its sensors are drawn.
    LineView line = window.view().lineView();
    long drawn = fxValue(line::draws);
    WaitForAsyncUtils.asyncFx(line::fit).get(30, TimeUnit.SECONDS);
    await().atMost(30, TimeUnit.SECONDS).until(() -> fxValue(line::draws) > drawn);

    // A click is answered when the frame that shows its selection has been laid out: the
    // selection changed (the handler ran) and a pulse went through after it (the line drew it).
    AtomicLong selectedAt = new AtomicLong();
    AtomicLong shownAt = new AtomicLong();
    // The details' chart is drawn with the sensor's history when the history came back from the
    // runtime (its state leaves "loading…"), the chart's redraw after it ran, and a pulse went by.
    AtomicLong historyAt = new AtomicLong();
    AtomicLong chartAt = new AtomicLong();
    javafx.scene.robot.Robot clicker = fx(javafx.scene.robot.Robot::new);
    fx(
        () -> {
          console.selection().addListener((o, was, now) -> selectedAt.set(System.nanoTime()));
          console
              .details()
              .historyState()
              .addListener(
                  (o, was, now) -> {
                    if (selectedAt.get() != 0 && !"loading…".equals(now)) {
                      // queued behind the chart's redraw, which the new history scheduled
                      Platform.runLater(() -> historyAt.compareAndSet(0, System.nanoTime()));
                    }
                  });
          window
              .scene()
              .addPostLayoutPulseListener(
                  () -> {
                    if (selectedAt.get() != 0 && shownAt.get() == 0) {
                      shownAt.set(System.nanoTime());
                    }
                    if (historyAt.get() != 0 && chartAt.get() == 0) {
                      chartAt.set(System.nanoTime());
                    }
                  });
          return null;
        });
    List<SensorNode> targets =
        List.of(
            console.line().sensor(new SensorId(2, 20)).orElseThrow(),
            console.line().sensor(new SensorId(15, 80)).orElseThrow());
    Clicks idle = new Clicks();
    Clicks during = new Clicks();
    Clicks after = new Clicks();
    Clicks charts = new Clicks();
    Clicks chartsDuring = new Clicks();
    boolean[] bursting = {false};
    long[] slowest = {0, 0, 0};
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    long fxThread = fx(() -> Thread.currentThread().getId());
    int[] k = {0};
    Callable<Long> click =
        () -> {
          SensorNode target = targets.get(k[0]++ % 2);
          Point2D at = fxValue(() -> window.view().lineView().screenPointOf(target));
          // Not timed: the pointer moves there (one move, not TestFX's animated path of up to
          // 200 moves), and the FX thread has handled it.
          fx(
              () -> {
                clicker.mouseMove(at);
                return null;
              });
          fx(() -> null);
          selectedAt.set(0);
          shownAt.set(0);
          historyAt.set(0);
          chartAt.set(0);
          long gcBefore = gcPauses();
          long cpuBefore = threads.getThreadCpuTime(fxThread);
          long pressed = System.nanoTime();
          Platform.runLater(
              () -> {
                clicker.mousePress(MouseButton.PRIMARY);
                clicker.mouseRelease(MouseButton.PRIMARY);
              });
          await()
              .atMost(BUDGET_MS + 30_000, TimeUnit.MILLISECONDS)
              .pollInterval(Duration.ofMillis(2))
              .alias("click on " + target.id() + " at " + at + " answered")
              .until(
                  () ->
                      shownAt.get() != 0
                          && console.selection().get() instanceof Selection.Sensor s
                          // fitted, sensors are less than a pixel apart: a neighbour is as good
                          && s.id().tube() == target.id().tube());
          long latency = shownAt.get() - pressed;
          if (bursting[0] && latency > slowest[0]) {
            // where the slowest click's time went: the FX thread's own work, or collections
            slowest[0] = latency;
            slowest[1] = threads.getThreadCpuTime(fxThread) - cpuBefore;
            slowest[2] = (gcPauses() - gcBefore) * 1_000_000;
          }
          await()
              .atMost(BUDGET_MS + 30_000, TimeUnit.MILLISECONDS)
              .pollInterval(Duration.ofMillis(2))
              .alias("the chart of " + target.id() + " drawn with its history")
              .until(() -> chartAt.get() != 0);
          charts.add(chartAt.get() - pressed);
          if (bursting[0]) {
            chartsDuring.add(chartAt.get() - pressed);
          }
          Thread.sleep(PAUSE_MS); // an operator's pace between clicks, not a wait for work
          return latency;
        };
    for (int i = 0; i < 5; i++) {
      idle.add(click.call());
    }

    // The marker: the burst's last reading; once the line shows it, the burst is through.
    SensorId marker = new SensorId(7, 50);
    long started = System.nanoTime();
    CompletableFuture<Void> published =
        CompletableFuture.runAsync(
            () -> {
              try {
                publishBurst(marker);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    long deadline = started + BURST_DEADLINE.toNanos();
    bursting[0] = true;
    long through = 0;
    while (through == 0) {
      if (published.isCompletedExceptionally()) {
        published.join(); // the publisher's failure, not a wait for a burst never sent
      }
      if (published.isDone() && markerShown(marker)) {
        through = System.nanoTime();
        break;
      }
      assertThat(System.nanoTime())
          .as(
              "the burst went through within %s (clicks during it so far: %s)",
              BURST_DEADLINE, during)
          .isLessThan(deadline);
      during.add(click.call());
    }
    bursting[0] = false;
    for (int i = 0; i < 5; i++) {
      after.add(click.call());
    }
    Clicks all = new Clicks();
    all.addAll(idle);
    all.addAll(during);
    all.addAll(after);
    System.out.printf(
        Locale.ROOT,
        "%n=== burst of %d readings over MQTT (at most %d/s), 2,000 sensors: through in %.1f s"
            + " (%d problem records); robot click -> selection drawn: before %s; during %s;"
            + " after %s; all %s; budget %d ms; robot click -> the details' chart drawn with the"
            + " sensor's history from the runtime: during %s, all %s; the slowest click during the"
            + " burst %.0f ms, of which the FX thread ran %.0f ms and collections paused %.0f ms;"
            + " load average %.2f ===%n",
        READINGS,
        RATE,
        (through - started) / 1e9,
        fxValue(() -> console.problems().rows().size()),
        idle,
        during,
        after,
        all,
        BUDGET_MS,
        chartsDuring,
        charts,
        slowest[0] / 1e6,
        slowest[1] / 1e6,
        slowest[2] / 1e6,
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    assertThat(during.size()).as("clicks made during the burst").isGreaterThanOrEqualTo(3);
    assertThat(all.max()).as("every click answered within the budget").isLessThan(BUDGET_MS);
  }

  /** Milliseconds the collectors paused the JVM so far (young and old, not concurrent work). */
  static long gcPauses() {
    return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
        .filter(gc -> !gc.getName().contains("Concurrent"))
        .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime)
        .sum();
  }

  /** Click latencies in nanoseconds, printed as p50 / p99 / max in milliseconds. */
  static final class Clicks extends ArrayList<Long> {
    long max() {
      return stream().mapToLong(Long::longValue).max().orElse(0) / 1_000_000;
    }

    @Override
    public String toString() {
      long[] sorted = stream().mapToLong(Long::longValue).sorted().toArray();
      if (sorted.length == 0) {
        return "no clicks";
      }
      return String.format(
          Locale.ROOT,
          "n=%d p50 %.0f ms, p99 %.0f ms, max %.0f ms",
          sorted.length,
          sorted[sorted.length / 2] / 1e6,
          sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)] / 1e6,
          sorted[sorted.length - 1] / 1e6);
    }
  }

  static <T> T fxValue(Callable<T> read) throws Exception {
    return WaitForAsyncUtils.asyncFx(read).get(30, TimeUnit.SECONDS);
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

  /**
   * 10,000 readings at most {@link #RATE} a second (as a gateway's backlog arrives, and the test's
   * time stays bounded), at most 500 unacknowledged (QoS 1).
   */
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
    long paced = System.nanoTime();
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
        long due = paced + i * 1_000_000_000L / RATE;
        long early = due - System.nanoTime();
        if (early > 0) {
          TimeUnit.NANOSECONDS.sleep(early); // the publishing rate, not a wait for work
        }
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
