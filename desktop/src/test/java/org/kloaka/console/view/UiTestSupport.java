package org.kloaka.console.view;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.TableRow;
import org.kloaka.console.ConsoleSession;
import org.kloaka.console.Embedded;
import org.kloaka.local.LocalConfig;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

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
    FxToolkit.toolkitContext().setSetupTimeoutInMillis(60_000);
    LocalConfig config =
        LocalConfig.defaults()
            .withDataDir(folder.resolve("data"))
            .withPorts(0, 0, 0)
            .withoutMqtt()
            .withEnv(Map.of());
    if (network != null) {
      config = config.withNetworkFile(Files.writeString(folder.resolve("network.json"), network));
    }
    return Embedded.start(config, false, Platform::runLater, Duration.ofHours(1));
  }

  /** The first row of the problems table, once it is laid out with its item. */
  static Node firstProblemRow(FxRobot robot) {
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () ->
                robot
                    .lookup(".table-row-cell")
                    .match((TableRow<?> row) -> row.getItem() != null)
                    .tryQuery()
                    .isPresent());
    return robot
        .lookup(".table-row-cell")
        .match((TableRow<?> row) -> row.getItem() != null)
        .query();
  }
}
