package org.kloaka.console.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
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
import org.kloaka.console.ConsoleSession;
import org.kloaka.console.ConsoleWindow;
import org.kloaka.console.StubBackend;
import org.kloaka.console.viewmodel.ConsoleViewModel;
import org.kloaka.console.viewmodel.ProblemRow;
import org.kloaka.console.viewmodel.Segment;
import org.kloaka.model.Filling;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemStatus;
import org.kloaka.model.ProblemType;
import org.kloaka.model.SensorId;
import org.kloaka.network.NetworkDescription;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The whole console — view, view models, client — against a backend over real HTTP and WebSocket
 * sockets, driven like an operator does (TestFX; headless Monocle without a display).
 */
@ExtendWith(ApplicationExtension.class)
class ConsoleUiTest {

  StubBackend backend;
  ConsoleSession session;
  ConsoleWindow window;
  ConsoleViewModel console;
  final long now = Clock.systemUTC().instant().getEpochSecond();

  @Start
  void start(Stage stage) throws Exception {
    backend = new StubBackend();
    backend.network =
        new NetworkDescription(
            List.of(
                new NetworkDescription.Tube(
                    "0",
                    "Via Roma trunk",
                    List.of(
                        new NetworkDescription.Sensor("01", "Manhole 14", 41.90, 12.49),
                        new NetworkDescription.Sensor("02", null, 41.901, 12.491),
                        new NetworkDescription.Sensor("03", null, null, null)),
                    null)));
    backend.device("01", 100, now - 60);
    backend.device("02", 100, now - 60);
    backend.device("03", 100, now - 60);
    session =
        new ConsoleSession(
            backend.endpoints(),
            Platform::runLater,
            Clock.systemUTC(),
            ZoneOffset.UTC,
            Duration.ofHours(1),
            Duration.ofSeconds(1));
    console = session.viewModel();
    window = new ConsoleWindow(console, ZoneOffset.UTC, null, 1280, 800);
    window.show(stage, console, () -> {});
    session.start();
  }

  @AfterEach
  void stop() throws Exception {
    session.close();
    backend.close();
  }

  void waitLive() {
    await().atMost(15, TimeUnit.SECONDS).until(() -> console.status().live().get());
  }

  Problem obstruction(String up, String down) {
    return new Problem(
        up + down,
        ProblemType.OBSTRUCTION,
        now,
        ProblemStatus.UNRESOLVED,
        SensorId.parse(up),
        SensorId.parse(down),
        Filling.of(100),
        Filling.of(50),
        true,
        now,
        null,
        null,
        null);
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

  @Test
  void aPushedProblemColoursTheRightSegment(FxRobot robot) throws Exception {
    waitLive();
    await().atMost(10, TimeUnit.SECONDS).until(() -> near(colourOnLine("0102"), "#0072B2"));

    backend.problem(obstruction("01", "02"));

    await().atMost(10, TimeUnit.SECONDS).until(() -> near(colourOnLine("0102"), "#D55E00"));
    assertThat(near(colourOnLine("0203"), "#0072B2"))
        .as("the neighbouring segment stays OK")
        .isTrue();
    assertThat(robot.lookup("#summary").queryAs(Label.class).getText())
        .isEqualTo("1 unresolved problem");
    assertThat(robot.lookup("#problems-table").<ProblemRow>queryTableView().getItems())
        .extracting(ProblemRow::id)
        .containsExactly("0102");
  }

  @Test
  void markResolvedSendsThePatchAndTheRowChanges(FxRobot robot) {
    waitLive();
    backend.problem(obstruction("01", "02"));
    TableView<ProblemRow> table = robot.lookup("#problems-table").queryTableView();
    await().atMost(10, TimeUnit.SECONDS).until(() -> table.getItems().size() == 1);

    robot.clickOn(robot.lookup(".table-row-cell").nth(0).queryAs(javafx.scene.Node.class));
    robot.clickOn("#resolve-note").write("crew sent, grate cleared");
    robot.clickOn("#resolve-button");

    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> table.getItems().get(0).statusText().equals("resolved"));
    assertThat(backend.patches).containsExactly("0102 RESOLVED crew sent, grate cleared");
    assertThat(robot.lookup("#summary").queryAs(Label.class).getText())
        .isEqualTo("All flows normal");
  }

  @Test
  void aDroppedConnectionShowsReconnectingAndResyncsWhenTheBackendIsBack(FxRobot robot)
      throws Exception {
    waitLive();
    Label connection = robot.lookup("#connection").queryAs(Label.class);
    assertThat(connection.getText()).isEqualTo("connected");

    backend.stop();
    await()
        .atMost(15, TimeUnit.SECONDS)
        .until(() -> connection.getText().startsWith("reconnecting"));
    assertThat(console.line().sensorCount()).as("the last known state stays").isEqualTo(3);

    backend.problemQuietly(
        obstruction("02", "03")); // changed while the console was away: no push reaches it
    backend.restart();

    await().atMost(40, TimeUnit.SECONDS).until(() -> connection.getText().equals("connected"));
    await().atMost(10, TimeUnit.SECONDS).until(() -> console.problems().row("0203").isPresent());
    assertThat(near(colourOnLine("0203"), "#D55E00")).isTrue();
  }

  @Test
  void aBadServerAnswerShowsAMessageNotACrash(FxRobot robot) {
    waitLive();
    backend.problem(obstruction("01", "02"));
    TableView<ProblemRow> table = robot.lookup("#problems-table").queryTableView();
    await().atMost(10, TimeUnit.SECONDS).until(() -> table.getItems().size() == 1);
    backend.failStatus = 502;
    backend.failBody = "<html><body><h1>502 Bad Gateway</h1></body></html>";

    robot.clickOn(robot.lookup(".table-row-cell").nth(0).queryAs(javafx.scene.Node.class));
    robot.clickOn("#resolve-button");

    Label message = robot.lookup("#message").queryAs(Label.class);
    await().atMost(10, TimeUnit.SECONDS).until(() -> !message.getText().isEmpty());
    assertThat(message.getText())
        .isEqualTo(
            "Could not resolve 01 → 02: PATCH /problems/0102 failed with HTTP 502: <html><body><h1>502 Bad Gateway</h1></body></html>");
    assertThat(message.isVisible()).isTrue();
    assertThat(table.getItems().get(0).statusText())
        .as("the row goes back")
        .isEqualTo("unresolved");
  }
}
