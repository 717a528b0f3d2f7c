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
            window.show(new Stage(), console, () -> {});
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
      FxToolkit.setupFixture(() -> console.details().note().set("Crew 3 dispatched, 14:20"));
      shoot("console-problem.png");

      FxToolkit.setupFixture(() -> window.view().tabs().getSelectionModel().select(1));
      await()
          .atMost(20, TimeUnit.SECONDS)
          .until(() -> window.view().mapView().shownSensors() == 19);
      shoot("console-map.png");

      FxToolkit.setupFixture(() -> window.view().tabs().getSelectionModel().select(2));
      await().atMost(20, TimeUnit.SECONDS).until(() -> console.rejects().rows().size() == 3);
      shoot("console-rejects.png");
      FxToolkit.cleanupStages();
    }
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
