package org.kloaka.console.view;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.kloaka.console.ConsoleSession;
import org.kloaka.console.ConsoleWindow;
import org.kloaka.console.Embedded;
import org.kloaka.console.demo.DemoDevices;
import org.kloaka.console.viewmodel.ConsoleViewModel;
import org.kloaka.console.viewmodel.Selection;
import org.kloaka.local.LocalConfig;
import org.kloaka.model.SensorId;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Not a test (Surefire skips it by name): the README's screenshots, taken from the real console
 * running the embedded runtime with the demo devices. Writes {@code docs/screenshots/*.png}:
 *
 * <pre>
 * mvn -B -pl desktop -am test -Dtest=ConsoleScreenshots -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class ConsoleScreenshots {

  static final Path OUT = Path.of(System.getProperty("screenshots.dir", "../docs/screenshots"));

  ConsoleWindow window;
  Stage stage;
  ConsoleViewModel console;

  @Test
  void takeTheReadmeScreenshots() throws Exception {
    FxToolkit.registerPrimaryStage();
    Path data = Files.createTempDirectory("kloaka-screenshots-");
    Path network = Files.write(data.resolve("demo-network.json"), DemoDevices.networkBytes());
    LocalConfig config =
        LocalConfig.defaults()
            .withDataDir(data.resolve("data"))
            .withPorts(0, 0, 0)
            .withNetworkFile(network)
            .withEnv(Map.of());
    ConsoleSession session = Embedded.start(config, true, Platform::runLater, Duration.ofHours(1));
    console = session.viewModel();
    try (session) {
      FxToolkit.setupFixture(
          () -> {
            window = new ConsoleWindow(console, null, 1440, 900);
            stage = new Stage();
            window.show(stage, console, () -> {});
            session.start();
          });
      await()
          .atMost(60, TimeUnit.SECONDS)
          .until(
              () ->
                  console.status().live().get()
                      && console.line().sensorCount() == 19
                      && console.problems().rows().size() >= 2);
      await().atMost(60, TimeUnit.SECONDS).until(() -> console.status().lastEvent().get() != null);
      Files.createDirectories(OUT);

      select(new Selection.Sensor(SensorId.parse("23")));
      await().atMost(20, TimeUnit.SECONDS).until(() -> console.details().history().size() > 50);
      shoot("console-line.png");

      select(new Selection.Pair("2223"));
      // The operator's workflow: acknowledged, a comment on the timeline, the note for resolving.
      await().atMost(20, TimeUnit.SECONDS).until(() -> console.details().canAcknowledge().get());
      FxToolkit.setupFixture(() -> console.details().acknowledge());
      await()
          .atMost(20, TimeUnit.SECONDS)
          .until(
              () ->
                  console
                      .problems()
                      .row("2223")
                      .map(r -> r.problem().isAcknowledged())
                      .orElse(false));
      FxToolkit.setupFixture(
          () -> {
            console.details().timeline().comment().set("Crew 3 dispatched, 14:20");
            console.details().timeline().addComment();
          });
      await()
          .atMost(20, TimeUnit.SECONDS)
          .until(
              () ->
                  console.details().timeline().entries().stream()
                      .anyMatch(e -> e.endsWith("Crew 3 dispatched, 14:20")));
      await().atMost(20, TimeUnit.SECONDS).until(() -> console.details().history().size() > 10);
      FxToolkit.setupFixture(() -> console.details().note().set("Grate cleared"));
      shoot("console-problem.png");

      FxToolkit.setupFixture(() -> window.view().tabs().getSelectionModel().select(1));
      await()
          .atMost(20, TimeUnit.SECONDS)
          .until(() -> window.view().mapView().shownSensors() == 19);
      shoot("console-map.png");

      FxToolkit.setupFixture(() -> window.view().tabs().getSelectionModel().select(2));
      await().atMost(20, TimeUnit.SECONDS).until(() -> console.rejects().rows().size() == 3);
      FxToolkit.setupFixture(
          () -> console.rejects().selected().set(console.rejects().rows().get(2)));
      shoot("console-rejects.png");

      FxToolkit.setupFixture(
          () -> {
            window.view().tabs().getSelectionModel().select(0);
            console.status().largeText().set(true);
            // Large text is for a wall screen: shown at full HD.
            stage.setWidth(1920);
            stage.setHeight(1080);
          });
      select(new Selection.Pair("2223"));
      shoot("console-large-text.png");
      FxToolkit.cleanupStages();
    }
    cityOf2000Sensors();
  }

  /** Readings that agree along each tube, except where the screenshot's problems are. */
  static long f(int tube, int sensor) {
    return (tube == 3 && sensor == 23) || (tube == 11 && sensor == 71) ? 50 : 90;
  }

  /** 20 tubes × 100 named sensors with coordinates, a few problems: the fitted overview. */
  void cityOf2000Sensors() throws Exception {
    long now = java.time.Instant.now().getEpochSecond();
    java.util.List<org.kloaka.network.NetworkDescription.Tube> tubes = new java.util.ArrayList<>();
    java.util.List<org.kloaka.model.Device> devices = new java.util.ArrayList<>();
    for (int t = 0; t < LineBenchmark.TUBES; t++) {
      java.util.List<org.kloaka.network.NetworkDescription.Sensor> sensors =
          new java.util.ArrayList<>();
      String street = LineBenchmark.STREETS[t];
      for (int s = 1; s <= LineBenchmark.PER_TUBE; s++) {
        SensorId id = new SensorId(t, s);
        sensors.add(
            new org.kloaka.network.NetworkDescription.Sensor(
                id.toString(), "Manhole " + street + " " + s, 45.8 + t * 0.004, 15.95 + s * 8e-4));
        boolean silent = t == 7 && s == 40;
        devices.add(
            new org.kloaka.model.Device(
                id,
                org.kloaka.model.Filling.of(f(t, s)),
                silent ? now - 4 * 3600 : now - 60,
                null,
                null));
      }
      tubes.add(
          new org.kloaka.network.NetworkDescription.Tube(
              Integer.toString(t), street + " trunk", sensors, null));
    }
    java.util.List<org.kloaka.model.Problem> problems = new java.util.ArrayList<>();
    int[][] faults = {{3, 22}, {3, 23}, {11, 70}, {16, 5}, {18, 88}};
    for (int[] f : faults) {
      SensorId up = new SensorId(f[0], f[1]);
      SensorId down = new SensorId(f[0], f[1] + 1);
      problems.add(
          new org.kloaka.model.Problem(
              org.kloaka.model.Problem.idOf(up, down),
              f[0] == 16
                  ? org.kloaka.model.ProblemType.PROBLEM
                  : org.kloaka.model.ProblemType.OBSTRUCTION,
              now - 600L * f[0],
              org.kloaka.model.ProblemStatus.UNRESOLVED,
              up,
              down,
              org.kloaka.model.Filling.of(100),
              org.kloaka.model.Filling.of(40),
              f[0] != 18,
              now - 30,
              null,
              null,
              null));
    }
    LineBenchmark.InMemory backend =
        new LineBenchmark.InMemory(
            new org.kloaka.network.NetworkDescription(tubes), devices, problems);
    ConsoleViewModel city =
        new ConsoleViewModel(
            backend,
            Platform::runLater,
            java.time.Clock.systemUTC(),
            java.time.ZoneId.systemDefault(),
            Duration.ofHours(1));
    FxToolkit.setupFixture(
        () -> {
          window = new ConsoleWindow(city, null, 1440, 900);
          window.show(new Stage(), city, () -> {});
          city.liveListener()
              .status(
                  org.kloaka.console.client.ConnectionStatus.of(
                      org.kloaka.console.client.ConnectionStatus.State.SYNCING,
                      java.time.Instant.now()));
          city.liveListener().opened();
        });
    await().atMost(30, TimeUnit.SECONDS).until(() -> city.line().sensorCount() == 2000);
    FxToolkit.setupFixture(
        () ->
            city.selection()
                .set(
                    new Selection.Pair(
                        org.kloaka.model.Problem.idOf(new SensorId(3, 22), new SensorId(3, 23)))));
    shoot("console-2000-sensors.png");
    // The same city on the map, zoomed out: sensors clustered with their counts, problems on top.
    FxToolkit.setupFixture(() -> window.view().tabs().getSelectionModel().select(1));
    await()
        .atMost(120, TimeUnit.SECONDS)
        .until(() -> window.view().mapView().shownSensors() == 2000);
    // The whole city (fitted), where the sensors are clustered: the selection may have panned it.
    FxToolkit.setupFixture(
        () -> window.view().mapView().webView().getEngine().executeScript("kloaka.refit()"));
    await()
        .atMost(60, TimeUnit.SECONDS)
        .until(
            () ->
                !"[]"
                    .equals(
                        String.valueOf(
                            WaitForAsyncUtils.asyncFx(window.view().mapView()::clusterSizes)
                                .get(10, TimeUnit.SECONDS))));
    shoot("console-map-2000.png");
    FxToolkit.cleanupStages();
  }

  void select(Selection selection) throws Exception {
    FxToolkit.setupFixture(() -> console.selection().set(selection));
  }

  void shoot(String name) throws Exception {
    WaitForAsyncUtils.sleep(
        1500, TimeUnit.MILLISECONDS); // let the canvas, chart and WebView settle
    var image =
        WaitForAsyncUtils.asyncFx(() -> window.scene().snapshot(null)).get(20, TimeUnit.SECONDS);
    ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", OUT.resolve(name).toFile());
    System.out.println("wrote " + OUT.resolve(name).toAbsolutePath().normalize());
  }
}
