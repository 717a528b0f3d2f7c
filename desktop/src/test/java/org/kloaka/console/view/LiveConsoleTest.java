package org.kloaka.console.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.geometry.Point2D;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.api.Json;
import org.kloaka.console.ConsoleSession;
import org.kloaka.console.ConsoleWindow;
import org.kloaka.console.Embedded;
import org.kloaka.console.client.BackendClient;
import org.kloaka.console.viewmodel.ConsoleViewModel;
import org.kloaka.console.viewmodel.ProblemRow;
import org.kloaka.console.viewmodel.Segment;
import org.kloaka.local.LocalConfig;
import org.kloaka.local.LocalRuntime;
import org.kloaka.model.ProblemStatus;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The console against a REAL local runtime (SQLite, REST, WebSocket pushes) on free ports in a
 * temporary folder, readings injected through the runtime's ingest pipeline, driven through the UI
 * like an operator does.
 */
@ExtendWith(ApplicationExtension.class)
class LiveConsoleTest {

  static final String NETWORK =
      "{\"tubes\": [{\"id\": \"0\", \"name\": \"Via Roma trunk\", \"sensors\": ["
          + "{\"id\": \"01\", \"name\": \"Manhole 14\"}, {\"id\": \"02\"}, {\"id\": \"03\"}]}]}";

  @TempDir static Path data;
  final ObjectMapper json = Json.newMapper();
  ConsoleSession session;
  ConsoleWindow window;
  ConsoleViewModel console;
  LocalRuntime runtime;

  @Start
  void start(Stage stage) throws Exception {
    Path folder = Files.createTempDirectory(data, "run");
    Path network = Files.writeString(folder.resolve("network.json"), NETWORK);
    LocalConfig config =
        LocalConfig.defaults()
            .withDataDir(folder.resolve("data"))
            .withPorts(0, 0, 0)
            .withNetworkFile(network)
            .withEnv(Map.of());
    session = Embedded.start(config, false, Platform::runLater, Duration.ofHours(1));
    console = session.viewModel();
    runtime = session.owned(LocalRuntime.class);
    window = new ConsoleWindow(console, null, 1280, 800);
    window.show(stage, console, () -> {});
    session.start();
  }

  @AfterEach
  void stop() {
    session.close();
  }

  void reading(LocalRuntime into, String id, int filling) throws Exception {
    into.pipeline()
        .submit(json.writeValueAsBytes(Map.of("id", id, "filling", filling)))
        .get(10, TimeUnit.SECONDS);
  }

  void waitLive() {
    await().atMost(20, TimeUnit.SECONDS).until(() -> console.status().live().get());
  }

  /** The colour the canvas shows 30 % of the way along a segment (clear of its letter badge). */
  Color colourOnLine(String pairId) throws Exception {
    return WaitForAsyncUtils.asyncFx(
            () -> {
              LineView line = window.view().lineView();
              Segment segment = console.line().segment(pairId).orElseThrow();
              Point2D a = line.screenPointOf(segment.upstream());
              Point2D b = line.screenPointOf(segment.downstream());
              Point2D at = line.screenToLocal(a.getX() + (b.getX() - a.getX()) * 0.3, a.getY());
              WritableImage image = line.snapshot(null, null);
              return image.getPixelReader().getColor((int) at.getX(), (int) at.getY());
            })
        .get(10, TimeUnit.SECONDS);
  }

  static boolean near(Color actual, String expected) {
    Color e = Color.web(expected);
    return Math.abs(actual.getRed() - e.getRed()) < 0.08
        && Math.abs(actual.getGreen() - e.getGreen()) < 0.08
        && Math.abs(actual.getBlue() - e.getBlue()) < 0.08;
  }

  boolean segmentShows(String pairId, String colour) {
    try {
      return console.line().segment(pairId).isPresent() && near(colourOnLine(pairId), colour);
    } catch (Exception e) {
      return false;
    }
  }

  void flowingNormally() throws Exception {
    reading(runtime, "01", 100);
    reading(runtime, "02", 100);
    reading(runtime, "03", 100);
    await()
        .atMost(15, TimeUnit.SECONDS)
        .until(() -> segmentShows("0102", "#0072B2") && segmentShows("0203", "#0072B2"));
  }

  @Test
  void aPushedProblemColoursTheRightSegment(FxRobot robot) throws Exception {
    waitLive();
    flowingNormally();

    reading(runtime, "03", 50); // 02 full, 03 low: an obstruction between them, nowhere else

    await().atMost(15, TimeUnit.SECONDS).until(() -> segmentShows("0203", "#D55E00"));
    assertThat(segmentShows("0102", "#0072B2")).as("the upstream segment stays OK").isTrue();
    assertThat(robot.lookup("#summary").queryAs(Label.class).getText())
        .isEqualTo("1 unresolved problem");
    TableView<ProblemRow> table = robot.lookup("#problems-table").queryTableView();
    assertThat(table.getItems()).extracting(ProblemRow::pairText).containsExactly("02 → 03");
    assertThat(table.getItems().get(0).fresh()).as("a new problem is highlighted").isTrue();
  }

  /** Flow normal, then 03 drops: one obstruction (02 → 03), listed in the table. */
  TableView<ProblemRow> anObstructionListed(FxRobot robot) throws Exception {
    waitLive();
    flowingNormally();
    reading(runtime, "03", 50);
    TableView<ProblemRow> table = robot.lookup("#problems-table").queryTableView();
    await().atMost(15, TimeUnit.SECONDS).until(() -> table.getItems().size() == 1);
    return table;
  }

  @Test
  void markResolvedSendsThePatchAndTheRowChanges(FxRobot robot) throws Exception {
    TableView<ProblemRow> table = anObstructionListed(robot);

    robot.clickOn(UiTestSupport.firstProblemRow(robot));
    robot.clickOn("#resolve-note").write("crew sent, grate cleared");
    robot.clickOn("#resolve-button");

    await()
        .atMost(15, TimeUnit.SECONDS)
        .until(() -> table.getItems().get(0).statusText().equals("resolved"));
    var stored =
        BackendClient.create(runtime.httpUri(), runtime.token())
            .problems(null)
            .get(10, TimeUnit.SECONDS);
    assertThat(stored)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.problemStatus()).isEqualTo(ProblemStatus.RESOLVED);
              assertThat(p.note()).isEqualTo("crew sent, grate cleared");
            });
    assertThat(robot.lookup("#summary").queryAs(Label.class).getText())
        .isEqualTo("All flows normal");
  }

  @Test
  void theKeyboardFindsASensorMovesToAProblemAndResolvesIt(FxRobot robot) throws Exception {
    TableView<ProblemRow> table = anObstructionListed(robot);
    robot.clickOn(
        window.view().lineView(),
        javafx.scene.input.MouseButton.SECONDARY); // focus the window, not a field

    robot
        .type(javafx.scene.input.KeyCode.F)
        .write("manhole")
        .type(javafx.scene.input.KeyCode.ENTER);
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () ->
                console.selection().get() instanceof org.kloaka.console.viewmodel.Selection.Sensor s
                    && s.id().toString().equals("01"));

    robot.clickOn(window.view().lineView(), javafx.scene.input.MouseButton.SECONDARY);
    robot.type(javafx.scene.input.KeyCode.DOWN);
    await().atMost(10, TimeUnit.SECONDS).until(() -> console.details().canResolve().get());
    robot.type(javafx.scene.input.KeyCode.R);

    await()
        .atMost(15, TimeUnit.SECONDS)
        .until(() -> table.getItems().get(0).statusText().equals("resolved"));
  }

  @Test
  void aDroppedConnectionShowsReconnectingAndResyncsWhenTheBackendIsBack(FxRobot robot)
      throws Exception {
    waitLive();
    flowingNormally();
    Label connection = robot.lookup("#connection").queryAs(Label.class);
    LocalConfig config = runtime.config();
    int http = runtime.httpUri().getPort();
    int ws = runtime.wsUri().getPort();

    runtime.close();
    await()
        .atMost(20, TimeUnit.SECONDS)
        .until(() -> connection.getText().startsWith("reconnecting"));
    assertThat(console.line().sensorCount())
        .as("the last known state stays on screen")
        .isEqualTo(3);

    // While the console is away, the store changes: an obstruction whose push nobody receives.
    try (LocalRuntime elsewhere = LocalRuntime.start(config.withPorts(0, 0, 0))) {
      reading(elsewhere, "03", 50);
    }
    LocalRuntime back = LocalRuntime.start(config.withPorts(0, http, ws));
    session.own(back);

    await().atMost(45, TimeUnit.SECONDS).until(() -> connection.getText().equals("connected"));
    await().atMost(15, TimeUnit.SECONDS).until(() -> console.problems().row("0203").isPresent());
    await().atMost(15, TimeUnit.SECONDS).until(() -> segmentShows("0203", "#D55E00"));
  }
}
