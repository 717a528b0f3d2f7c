package org.kloaka.console.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.geometry.Point2D;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
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
import org.kloaka.console.viewmodel.Selection;
import org.kloaka.local.LocalConfig;
import org.kloaka.local.LocalRuntime;
import org.kloaka.model.ProblemStatus;
import org.kloaka.model.SensorId;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
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

  static final Duration UNDO = Duration.ofSeconds(2);

  @TempDir static Path data;
  final ObjectMapper json = Json.newMapper();
  ConsoleSession session;
  ConsoleWindow window;
  ConsoleViewModel console;
  LocalRuntime runtime;

  /**
   * {@link #start} starts a runtime inside TestFX's setup, which on a busy machine (modules and
   * forks side by side, docs/decisions/014) takes longer than TestFX's default wait; the same
   * allowance as {@link UiTestSupport#embedded}.
   */
  @BeforeAll
  static void patientSetup() {
    FxToolkit.toolkitContext().setSetupTimeoutInMillis(60_000);
  }

  @Start
  void start(Stage stage) throws Exception {
    Path folder = Files.createTempDirectory(data, "run");
    Path network = Files.writeString(folder.resolve("network.json"), NETWORK);
    LocalConfig config =
        LocalConfig.defaults()
            .withDataDir(folder.resolve("data"))
            .withPorts(0, 0, 0)
            .withoutMqtt() // readings go through the pipeline; see UiTestSupport.embedded
            .withNetworkFile(network)
            .withEnv(Map.of());
    session = Embedded.start(config, false, Platform::runLater, Duration.ofHours(1));
    console = session.viewModel();
    runtime = session.owned(LocalRuntime.class);
    console.problems().undoWindow().set(UNDO); // short, to keep the tests quick
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
        .isEqualTo("1 active problem");
    TableView<ProblemRow> table = robot.lookup("#problems-table").queryTableView();
    assertThat(table.getItems()).extracting(ProblemRow::pairText).containsExactly("02 → 03");
    assertThat(table.getItems().get(0).fresh()).as("a new problem is highlighted").isTrue();
  }

  /** The colour the line view shows at a screen point (the line and its selection layer). */
  Color colourAt(Point2D screen) throws Exception {
    return WaitForAsyncUtils.asyncFx(
            () -> {
              LineView line = window.view().lineView();
              Point2D at = line.screenToLocal(screen);
              WritableImage image = line.snapshot(null, null);
              return image.getPixelReader().getColor((int) at.getX(), (int) at.getY());
            })
        .get(10, TimeUnit.SECONDS);
  }

  /**
   * A click draws its selection on the selection's own small layer, not by redrawing the whole line
   * (decision 038): the pipe keeps its colour over its halo, the halo shows beside it, and the
   * layer covers only the pipe and its two sensors.
   */
  @Test
  void aClickedPipeIsHighlightedOnItsOwnLayerWithoutRedrawingTheLine(FxRobot robot)
      throws Exception {
    waitLive();
    flowingNormally();
    LineView line = window.view().lineView();
    Point2D[] at = pipePoints(line, "0102");
    Color background = colourAt(at[3]);
    long layer = WaitForAsyncUtils.asyncFx(line::selectionDraws).get(10, TimeUnit.SECONDS);

    robot.clickOn(at[2]);

    // The layer alone was drawn for it (a draw of the whole line counts in draws(), not here).
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> WaitForAsyncUtils.asyncFx(line::selectionDraws).get() > layer);
    assertThat(console.selection().get()).isEqualTo(new Selection.Pair("0102"));
    // The details of the selection may take room from the line, which then fits itself again:
    // the points are read anew until the layer sits on the pipe.
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () -> {
              Point2D[] now = pipePoints(line, "0102");
              javafx.geometry.Bounds box =
                  WaitForAsyncUtils.asyncFx(line::selectionLayerBounds).get(10, TimeUnit.SECONDS);
              return box != null
                  && box.contains(line.screenToLocal(now[0]))
                  && box.contains(line.screenToLocal(now[1]))
                  && !colourAt(now[3]).equals(background);
            });
    Point2D[] now = pipePoints(line, "0102");
    assertThat(near(colourOnLine("0102"), "#0072B2")).as("the pipe over its halo").isTrue();
    double length = now[1].getX() - now[0].getX();
    assertThat(WaitForAsyncUtils.asyncFx(line::selectionLayerBounds).get().getWidth())
        .as("the layer covers the pipe and its sensors, not the line")
        .isLessThan(length + 80);

    robot.clickOn(now[0]);
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> console.selection().get() instanceof Selection.Sensor);
    await()
        .atMost(10, TimeUnit.SECONDS)
        .alias("the pipe's halo is gone with its selection")
        .until(() -> colourAt(pipePoints(line, "0102")[3]).equals(background));
  }

  /**
   * A pipe's upstream and downstream sensors, a point 30 % along it, and one beside it inside its
   * selection halo (18 world units wide, the step between sensors 96), all on the screen.
   */
  Point2D[] pipePoints(LineView line, String pairId) throws Exception {
    Segment segment = console.line().segment(pairId).orElseThrow();
    return WaitForAsyncUtils.asyncFx(
            () -> {
              Point2D a = line.screenPointOf(segment.upstream());
              Point2D b = line.screenPointOf(segment.downstream());
              Point2D along = new Point2D(a.getX() + (b.getX() - a.getX()) * 0.3, a.getY());
              return new Point2D[] {a, b, along, along.add(0, (b.getX() - a.getX()) * 0.065)};
            })
        .get(10, TimeUnit.SECONDS);
  }

  /**
   * Resting the pointer on a sensor shows what it reads, in the scene itself (no tooltip window:
   * decision 037); moving off the line hides it.
   */
  @Test
  void restingOnASensorShowsItsReadingAndLeavingHidesIt(FxRobot robot) throws Exception {
    waitLive();
    flowingNormally();
    LineView line = window.view().lineView();
    Point2D at =
        WaitForAsyncUtils.asyncFx(
                () -> line.screenPointOf(console.line().sensor(new SensorId(0, 1)).orElseThrow()))
            .get(10, TimeUnit.SECONDS);
    robot.moveTo(at);
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () ->
                String.valueOf(WaitForAsyncUtils.asyncFx(line::hoverText).get(10, TimeUnit.SECONDS))
                    .contains("Manhole 14"));
    assertThat(WaitForAsyncUtils.asyncFx(line::hoverText).get(10, TimeUnit.SECONDS))
        .as("its level and value")
        .contains("(100 %)");
    assertThat(robot.listWindows()).as("no popup window for it").hasSize(1);
    robot.moveTo("#summary");
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> WaitForAsyncUtils.asyncFx(line::hoverText).get(10, TimeUnit.SECONDS) == null);
  }

  /**
   * The problems' filter box holds an id or a name, in normal and large text, inside the window.
   */
  @Test
  void theFilterBoxIsWideEnoughInNormalAndLargeText(FxRobot robot) throws Exception {
    waitLive();
    javafx.scene.control.TextField filter = robot.lookup("#filter-text").query();
    java.util.function.DoubleSupplier fontSize = () -> filter.getFont().getSize();
    java.util.concurrent.Callable<Boolean> wideAndInside =
        () ->
            WaitForAsyncUtils.asyncFx(
                    () -> {
                      var b = filter.localToScene(filter.getBoundsInLocal());
                      return filter.getWidth() >= 10 * fontSize.getAsDouble() - 0.5
                          && b.getMaxX() <= filter.getScene().getWidth();
                    })
                .get(10, TimeUnit.SECONDS);
    await().atMost(10, TimeUnit.SECONDS).until(wideAndInside);
    double normal = WaitForAsyncUtils.asyncFx(filter::getWidth).get(10, TimeUnit.SECONDS);
    WaitForAsyncUtils.asyncFx(() -> console.status().largeText().set(true))
        .get(10, TimeUnit.SECONDS);
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () ->
                WaitForAsyncUtils.asyncFx(filter::getWidth).get(10, TimeUnit.SECONDS) > normal
                    && wideAndInside.call());
    WaitForAsyncUtils.asyncFx(() -> console.status().largeText().set(false))
        .get(10, TimeUnit.SECONDS);
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () ->
                Math.abs(
                            WaitForAsyncUtils.asyncFx(filter::getWidth).get(10, TimeUnit.SECONDS)
                                - normal)
                        < 1
                    && wideAndInside.call());
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
    // 02 → 03 still reads 100 → 50: the console asks before resolving a pair that looks faulty.
    Label question = robot.lookup("#confirm-resolve-question").queryAs(Label.class);
    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> robot.lookup("#confirm-resolve").query().isVisible());
    assertThat(question.getText()).startsWith("02 → 03 still looks faulty (OBSTRUCTION");
    robot.clickOn("#confirm-resolve-confirm");
    assertThat(console.details().note().get())
        .as("the note field is cleared for the next problem")
        .isEmpty();
    assertThat(console.selection().get()).as("no other problem open: nothing selected").isNull();
    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> robot.lookup("#undo-text").query().getParent().isVisible());

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
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> console.details().confirmation().asking().get());
    WaitForAsyncUtils.waitForFxEvents();
    robot.type(javafx.scene.input.KeyCode.ENTER); // the confirming button has the focus

    await()
        .atMost(15, TimeUnit.SECONDS)
        .until(() -> table.getItems().get(0).statusText().equals("resolved"));
  }

  @Test
  void undoWithinTheWindowKeepsTheProblemOpenAndSendsNothing(FxRobot robot) throws Exception {
    TableView<ProblemRow> table = anObstructionListed(robot);
    console.problems().undoWindow().set(Duration.ofSeconds(30)); // time enough to press U
    robot.clickOn(UiTestSupport.firstProblemRow(robot));
    robot.clickOn("#resolve-button");
    robot.clickOn("#confirm-resolve-confirm");
    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> table.getItems().get(0).statusText().equals("resolving — undo?"));

    robot.clickOn("#undo-button");

    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> table.getItems().get(0).statusText().equals("unresolved"));
    assertThat(console.selection().get())
        .as("the undone problem is selected again")
        .isEqualTo(new org.kloaka.console.viewmodel.Selection.Pair("0203"));
    var stored =
        BackendClient.create(runtime.httpUri(), runtime.token())
            .problems(null)
            .get(10, TimeUnit.SECONDS);
    assertThat(stored).singleElement().satisfies(p -> assertThat(p.isResolved()).isFalse());
  }

  @Test
  void aNewProblemWaitsInTheStripWhileThePointerIsOnTheTable(FxRobot robot) throws Exception {
    TableView<ProblemRow> table = anObstructionListed(robot);
    robot.moveTo(UiTestSupport.firstProblemRow(robot));
    await().atMost(5, TimeUnit.SECONDS).until(() -> console.problems().hold().get());

    reading(runtime, "01", 0); // 01 empty above a full 02: a PROBLEM on 01 → 02

    await().atMost(15, TimeUnit.SECONDS).until(() -> console.problems().newCount().get() == 1);
    assertThat(table.getItems())
        .as("the row under the pointer did not move")
        .extracting(ProblemRow::pairText)
        .containsExactly("02 → 03");
    assertThat(robot.lookup("#show-new").queryButton().getText())
        .isEqualTo("1 new problem — show ↑");
    assertThat(robot.lookup("#summary").queryAs(Label.class).getText())
        .as("the headline counts it at once")
        .isEqualTo("2 active problems");

    robot.clickOn("#show-new");

    await().atMost(5, TimeUnit.SECONDS).until(() -> table.getItems().size() == 2);
    assertThat(table.getItems()).extracting(ProblemRow::pairText).contains("01 → 02");
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
    Label banner = robot.lookup("#banner-text").queryAs(Label.class);
    javafx.scene.Node bannerBox = robot.lookup("#banner").query();
    await().atMost(5, TimeUnit.SECONDS).until(bannerBox::isVisible);
    assertThat(banner.getText()).startsWith("Offline since ").contains("last known state");
    String since = banner.getText().substring(0, "Offline since 2026-11-28 14:05".length());
    java.time.Instant offlineSince = console.status().offlineSince();
    assertThat(robot.lookup("#retry-now").queryButton().isVisible()).isTrue();

    // While the console is away, the store changes: an obstruction whose push nobody receives.
    try (LocalRuntime elsewhere = LocalRuntime.start(config.withPorts(0, 0, 0))) {
      reading(elsewhere, "03", 50);
    }
    assertThat(console.status().offlineSince())
        .as("'offline since' does not move with the retries")
        .isEqualTo(offlineSince);
    assertThat(banner.getText()).startsWith(since);
    LocalRuntime back = LocalRuntime.start(config.withPorts(0, http, ws));
    session.own(back);
    long clicked = System.nanoTime();
    // The scheduled attempt may win the race to the new runtime; then there is nothing to retry.
    if (robot.lookup("#retry-now").query().isVisible()) {
      robot.clickOn("#retry-now");
    }

    await().atMost(45, TimeUnit.SECONDS).until(() -> connection.getText().equals("connected"));
    System.out.printf(
        "back online %d ms after Retry now%n", (System.nanoTime() - clicked) / 1_000_000);
    await().atMost(5, TimeUnit.SECONDS).until(() -> !bannerBox.isVisible());
    await().atMost(15, TimeUnit.SECONDS).until(() -> console.problems().row("0203").isPresent());
    await().atMost(15, TimeUnit.SECONDS).until(() -> segmentShows("0203", "#D55E00"));
  }

  @Test
  void largeTextWidensTheColumnsAndScalesTheLineAndSwitchesBack(FxRobot robot) throws Exception {
    anObstructionListed(robot);
    TableView<ProblemRow> table = robot.lookup("#problems-table").queryTableView();
    double[] before = table.getColumns().stream().mapToDouble(c -> c.getPrefWidth()).toArray();

    assertThat(columnsFit(table)).as("every column inside the table, normal text").isTrue();
    assertThat(clippedCells(table)).as("cells cut short, normal text").isEmpty();

    robot.clickOn("A+ Large text");
    WaitForAsyncUtils.waitForFxEvents();
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> WaitForAsyncUtils.asyncFx(() -> columnsFit(table)).get(10, TimeUnit.SECONDS));
    for (int i = 0; i < before.length; i++) {
      assertThat(table.getColumns().get(i).getPrefWidth())
          .isCloseTo(
              before[i] * MainView.LARGE_TEXT_FACTOR, org.assertj.core.data.Offset.offset(0.01));
    }
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () -> WaitForAsyncUtils.asyncFx(() -> clippedCells(table)).get(10, TimeUnit.SECONDS),
            List::isEmpty);
    // The chart's range buttons keep their whole text beside the Export buttons: the row wraps.
    WaitForAsyncUtils.asyncFx(() -> console.selection().set(new Selection.Pair("0203")))
        .get(10, TimeUnit.SECONDS);
    WaitForAsyncUtils.waitForFxEvents();
    var rangeButtons = robot.lookup(".range-buttons .toggle-button").queryAllAs(ToggleButton.class);
    assertThat(rangeButtons).hasSize(4);
    for (ToggleButton button : rangeButtons) {
      assertThat(button.isVisible() && button.getScene() != null).isTrue();
      assertThat(button.getWidth())
          .as("%s not squeezed in large text", button.getText())
          .isGreaterThanOrEqualTo(button.prefWidth(-1) - 0.5);
    }
    var exports =
        robot.lookup(".range-row .button").queryAllAs(Button.class).stream()
            .filter(b -> b.isVisible() && b.isManaged())
            .toList();
    assertThat(exports).as("an Export button beside them").isNotEmpty();
    for (Button export : exports) {
      assertThat(export.getWidth())
          .as("%s not squeezed in large text", export.getText())
          .isGreaterThanOrEqualTo(export.prefWidth(-1) - 0.5);
    }

    robot.clickOn("A+ Large text");
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(table.getColumns().stream().mapToDouble(c -> c.getPrefWidth()).toArray())
        .as("widths restored")
        .containsExactly(before, org.assertj.core.data.Offset.offset(0.01));
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> WaitForAsyncUtils.asyncFx(() -> columnsFit(table)).get(10, TimeUnit.SECONDS));
  }

  /**
   * No column is cut off at the table's right edge (behind a horizontal scroll bar): the split pane
   * leaves the list at least its columns' minimum widths.
   */
  /** The cells whose text is drawn cut short ("OBSTRU…"), as "full text → drawn text". */
  private static List<String> clippedCells(TableView<ProblemRow> table) {
    return table.lookupAll(".table-cell").stream()
        .filter(n -> n instanceof javafx.scene.control.TableCell<?, ?> c && c.getText() != null)
        .map(n -> (javafx.scene.control.TableCell<?, ?>) n)
        .filter(c -> c.isVisible() && !c.getText().isEmpty())
        .filter(
            c ->
                c.lookup(".text") instanceof javafx.scene.text.Text drawn
                    && !drawn.getText().equals(c.getText()))
        .map(c -> c.getText() + " → " + ((javafx.scene.text.Text) c.lookup(".text")).getText())
        .toList();
  }

  private static boolean columnsFit(TableView<ProblemRow> table) {
    double columns = table.getColumns().stream().mapToDouble(c -> c.getWidth()).sum();
    return columns <= table.getWidth() + 0.5;
  }
}
