package org.kloaka.console.view;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Platform;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.control.TableRow;
import org.kloaka.console.ConsoleSession;
import org.kloaka.console.Embedded;
import org.kloaka.local.LocalConfig;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/** What the console's UI tests share. */
final class UiTestSupport {

  private UiTestSupport() {}

  /**
   * A real local runtime on free ports in {@code folder} (with {@code network}, a network file's
   * JSON, or none) and a console session for it, reporting to the FX thread. Call off the FX
   * thread: on a busy machine it takes longer than TestFX's setup may, which this raises.
   *
   * <p>Without the MQTT broker: these tests feed readings through the runtime's pipeline and the
   * console talks REST and WebSocket only, while each broker costs a start and ~4 s of stop that
   * the next one in the JVM waits for (docs/decisions/014). The console against a runtime with its
   * broker is {@code StartupWindowTest}, {@code RunningRuntimeTest} and {@code DemoDevicesTest}.
   */
  static ConsoleSession embedded(Path folder, String network) throws java.io.IOException {
    return embedded(folder, network, false);
  }

  /** As {@link #embedded(Path, String)}, with the MQTT broker if {@code mqtt}. */
  static ConsoleSession embedded(Path folder, String network, boolean mqtt)
      throws java.io.IOException {
    FxToolkit.toolkitContext().setSetupTimeoutInMillis(60_000);
    LocalConfig config =
        LocalConfig.defaults()
            .withDataDir(folder.resolve("data"))
            .withPorts(0, 0, 0)
            .withMqtt(mqtt)
            .withEnv(Map.of());
    if (network != null) {
      config = config.withNetworkFile(Files.writeString(folder.resolve("network.json"), network));
    }
    return Embedded.start(config, false, Platform::runLater, Duration.ofHours(1));
  }

  /** A console window for {@code session} on {@code stage}, and the session started. */
  static org.kloaka.console.ConsoleWindow show(
      javafx.stage.Stage stage, ConsoleSession session, double width, double height) {
    var window = new org.kloaka.console.ConsoleWindow(session.viewModel(), null, width, height);
    window.show(stage, session.viewModel(), () -> {});
    session.start();
    return window;
  }

  /** Closes the sessions, and the windows: the next test class's lookups must find only its own. */
  static void closeAll(ConsoleSession... sessions) throws java.util.concurrent.TimeoutException {
    for (ConsoleSession session : sessions) {
      session.close();
    }
    FxToolkit.cleanupStages();
  }

  /** A reading through the runtime's ingest pipeline, as if a device had published it. */
  static void reading(org.kloaka.local.LocalRuntime runtime, String id, int filling)
      throws Exception {
    runtime
        .pipeline()
        .submit(
            org.kloaka.api.Json.newMapper().writeValueAsBytes(Map.of("id", id, "filling", filling)))
        .get(10, TimeUnit.SECONDS);
  }

  /**
   * The screen point of the first row of the problems table, once it is laid out with its item. A
   * point, not the row: the table may replace its row cells between a lookup and a click (it
   * re-lays them as pushes arrive), and a click on a discarded cell fails, though the row is there.
   */
  static Point2D firstProblemRow(FxRobot robot) {
    AtomicReference<Point2D> at = new AtomicReference<>();
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () -> {
              at.set(
                  WaitForAsyncUtils.asyncFx(
                          () ->
                              robot
                                  .lookup(".table-row-cell")
                                  .match(
                                      (TableRow<?> row) ->
                                          row.getItem() != null
                                              && row.getIndex() == 0
                                              && row.getScene() != null
                                              && row.getScene().getWindow() != null
                                              && row.getScene().getWindow().isShowing())
                                  .tryQuery()
                                  .map(
                                      row -> {
                                        Bounds b = row.localToScreen(row.getBoundsInLocal());
                                        return new Point2D(b.getMinX() + 40, b.getCenterY());
                                      })
                                  .orElse(null))
                      .get(10, TimeUnit.SECONDS));
              return at.get() != null;
            });
    return at.get();
  }
}
