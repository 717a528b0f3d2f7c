package org.kloaka.console.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kloaka.console.ConsoleSession;
import org.kloaka.console.ConsoleWindow;
import org.kloaka.console.StubBackend;
import org.kloaka.console.viewmodel.ConsoleViewModel;
import org.kloaka.console.viewmodel.ProblemRow;
import org.kloaka.model.Filling;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemStatus;
import org.kloaka.model.ProblemType;
import org.kloaka.model.SensorId;
import org.kloaka.network.NetworkDescription;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The console against a backend that misbehaves in ways the real runtime does not (a proxy's HTML
 * error page): a stub speaking the contract over real HTTP and WebSocket sockets.
 */
@ExtendWith(ApplicationExtension.class)
class BadAnswerUiTest {

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
    window = new ConsoleWindow(console, null, 1280, 800);
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

  @Test
  void aBackendThatAnswersGarbageOnResyncShowsAMessageAndKeepsTheLine(FxRobot robot) {
    waitLive();
    backend.failStatus = 200;
    backend.failBody = "this is not json";

    Platform.runLater(console::resync);

    Label message = robot.lookup("#message").queryAs(Label.class);
    await().atMost(10, TimeUnit.SECONDS).until(() -> !message.getText().isEmpty());
    assertThat(message.getText())
        .startsWith("Could not load the state from the backend: GET /")
        .endsWith("answered with something that is not Kloaka JSON");
    assertThat(console.line().sensorCount()).isEqualTo(3);
  }

  @Test
  void aBadServerAnswerShowsAMessageNotACrash(FxRobot robot) {
    waitLive();
    backend.problem(obstruction("01", "02"));
    TableView<ProblemRow> table = robot.lookup("#problems-table").queryTableView();
    await().atMost(10, TimeUnit.SECONDS).until(() -> table.getItems().size() == 1);
    // Only the PATCH fails: under load the live connection may drop and re-sync meanwhile, and
    // that re-sync's GETs must not be what this test sees.
    backend.failOnlyMethod = "PATCH";
    backend.failStatus = 502;
    backend.failBody = "<html><body><h1>502 Bad Gateway</h1></body></html>";

    console.problems().undoWindow().set(java.time.Duration.ZERO);
    robot.clickOn(UiTestSupport.firstProblemRow(robot));
    robot.clickOn("#resolve-button");
    robot.clickOn("#confirm-resolve-confirm"); // the obstruction is active: asked first

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
