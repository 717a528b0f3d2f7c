package org.kloaka.console.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.api.Json;
import org.kloaka.console.ConsoleSession;
import org.kloaka.console.ConsoleWindow;
import org.kloaka.console.viewmodel.ConsoleViewModel;
import org.kloaka.console.viewmodel.Selection;
import org.kloaka.local.LocalRuntime;
import org.kloaka.model.SensorId;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The map tab against a real runtime: selection both ways, lettered problem marks above the
 * sensors, a note when tiles cannot load, and the whole pane used.
 */
@ExtendWith(ApplicationExtension.class)
class MapUiTest {

  static final String NETWORK =
      "{\"tubes\": [{\"id\": \"0\", \"name\": \"Via Roma trunk\", \"sensors\": ["
          + "{\"id\": \"01\", \"name\": \"Manhole 14\", \"lat\": 45.800, \"lon\": 15.950},"
          + "{\"id\": \"02\", \"lat\": 45.801, \"lon\": 15.952},"
          + "{\"id\": \"03\", \"lat\": 45.802, \"lon\": 15.955}]}]}";

  @TempDir static Path data;
  final ObjectMapper json = Json.newMapper();
  static ConsoleSession session;
  ConsoleWindow window;
  static ConsoleViewModel console;
  static LocalRuntime runtime;

  /** Started off the FX thread: on a busy machine the runtime takes longer than TestFX's setup. */
  @BeforeAll
  static void runtime() throws Exception {
    session = UiTestSupport.embedded(data, NETWORK);
    console = session.viewModel();
    runtime = session.owned(LocalRuntime.class);
  }

  @Start
  void start(Stage stage) {
    // Nothing listens on port 1: every tile fails, as without network.
    window = new ConsoleWindow(console, "http://127.0.0.1:1/{z}/{x}/{y}.png", 1280, 800);
    window.show(stage, console, () -> {});
    session.start();
  }

  @AfterAll
  static void stop() throws Exception {
    session.close();
    FxToolkit.cleanupStages(); // the next test class's lookups must not find this window
  }

  void reading(String id, int filling) throws Exception {
    runtime
        .pipeline()
        .submit(json.writeValueAsBytes(Map.of("id", id, "filling", filling)))
        .get(10, TimeUnit.SECONDS);
  }

  <T> T fx(Callable<T> call) throws Exception {
    return WaitForAsyncUtils.asyncFx(call).get(10, TimeUnit.SECONDS);
  }

  Object page(String script) throws Exception {
    return fx(() -> window.view().mapView().webView().getEngine().executeScript(script));
  }

  @Test
  void selectionGoesBothWaysProblemsAreLetteredOnTopAndMissingTilesAreSaid(FxRobot robot)
      throws Exception {
    await().atMost(20, TimeUnit.SECONDS).until(() -> console.status().live().get());
    reading("01", 100);
    reading("02", 100);
    reading("03", 40); // 02 full, 03 low: an obstruction on 02 → 03
    await().atMost(15, TimeUnit.SECONDS).until(() -> console.problems().activeCount().get() == 1);
    robot.clickOn("Map");
    MapView map = window.view().mapView();
    // Loading Leaflet into WebKit takes a while on a busy machine.
    await().atMost(90, TimeUnit.SECONDS).until(() -> fx(map::shownSensors) == 3);

    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () ->
                "O"
                    .equals(
                        page(
                            "Array.from(document.querySelectorAll('.kloaka-badge')).map(function (b) { return b.textContent; }).join(',')")));
    assertThat(
            ((Number)
                    page(
                        "Number(map.getPane('problems').style.zIndex) - Number(map.getPane('sensors').style.zIndex)"))
                .intValue())
        .as("problem marks are drawn above the sensors")
        .isPositive();

    // The console's selection shows on the map…
    fx(
        () -> {
          console.selection().set(new Selection.Pair("0203"));
          return null;
        });
    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> "{\"pair\":\"0203\"}".equals(fx(map::pageSelection)));

    // …and a click on the map selects in the console (the line and the list follow it).
    fx(
        () -> {
          map.clickOnPage("sensor", "01");
          return null;
        });
    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> new Selection.Sensor(SensorId.parse("01")).equals(console.selection().get()));
    fx(
        () -> {
          map.clickOnPage("pair", "0203");
          return null;
        });
    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> new Selection.Pair("0203").equals(console.selection().get()));
    assertThat(
            fx(
                () ->
                    window
                        .view()
                        .problemsView()
                        .table()
                        .getSelectionModel()
                        .getSelectedItem()
                        .id()))
        .isEqualTo("0203");

    // A selection made while the map is hidden is not fed to it then, and shows once it is back.
    robot.clickOn("Line");
    fx(
        () -> {
          console.selection().set(new Selection.Sensor(SensorId.parse("03")));
          return null;
        });
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(fx(map::pageSelection))
        .as("the hidden map is left alone")
        .isEqualTo("{\"pair\":\"0203\"}");
    robot.clickOn("Map");
    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> "{\"sensor\":\"03\"}".equals(fx(map::pageSelection)));

    await()
        .atMost(20, TimeUnit.SECONDS)
        .until(() -> String.valueOf(fx(map::note)).startsWith("Map tiles unavailable"));

    String size = (String) fx(map::pageSize);
    double width = fx(() -> map.webView().getWidth());
    double height = fx(() -> map.webView().getHeight());
    assertThat(size).as("the map fills its pane").isEqualTo((int) width + "x" + (int) height);
  }
}
