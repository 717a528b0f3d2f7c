package org.kloaka.console.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.api.Json;
import org.kloaka.console.ConsoleSession;
import org.kloaka.console.Endpoints;
import org.kloaka.console.client.BackendClient;
import org.kloaka.console.viewmodel.ConsoleViewModel;
import org.kloaka.local.LocalRuntime;
import org.kloaka.model.ProblemStatus;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Signed in with a viewer's token (docs/api.md, "Operators and roles") against a real runtime: the
 * console shows the problems but offers no Acknowledge, Resolve or comment, and says why.
 */
@ExtendWith(ApplicationExtension.class)
class ViewerRoleUiTest {

  @TempDir static Path data;
  static final ObjectMapper json = Json.newMapper();
  static ConsoleSession admin;
  static ConsoleSession viewer;
  static LocalRuntime runtime;

  /** The runtime (its own session holds the admin token) and a viewer made through the API. */
  @BeforeAll
  static void runtimeAndViewer() throws Exception {
    admin = UiTestSupport.embedded(data, LiveConsoleTest.NETWORK);
    runtime = admin.owned(LocalRuntime.class);
    HttpResponse<String> created =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(runtime.httpUri() + "/operators"))
                    .header("Authorization", "Bearer " + runtime.token())
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            json.writeValueAsString(Map.of("name", "vera", "role", "viewer"))))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String token = json.readTree(created.body()).path("token").asText();
    viewer =
        new ConsoleSession(
            new Endpoints(runtime.httpUri(), runtime.wsUri(), runtime.mqttUri(), token),
            Platform::runLater,
            Clock.systemUTC(),
            ZoneOffset.UTC,
            Duration.ofHours(1),
            Duration.ofSeconds(20));
  }

  @Start
  void start(Stage stage) {
    UiTestSupport.show(stage, viewer, 1280, 860);
  }

  @AfterAll
  static void stop() throws Exception {
    UiTestSupport.closeAll(viewer, admin);
  }

  @Test
  void aViewerSeesTheProblemButCannotActAndIsToldWhy(FxRobot robot) throws Exception {
    ConsoleViewModel console = viewer.viewModel();
    await().atMost(30, TimeUnit.SECONDS).until(() -> console.status().live().get());
    Label signedIn = robot.lookup("#signed-in").queryAs(Label.class);
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> signedIn.getText().equals("signed in: vera · viewer"));

    UiTestSupport.reading(runtime, "01", 100);
    UiTestSupport.reading(runtime, "02", 100);
    UiTestSupport.reading(runtime, "03", 40); // an obstruction on 02 → 03
    await().atMost(15, TimeUnit.SECONDS).until(() -> console.problems().activeCount().get() == 1);
    robot.clickOn(UiTestSupport.firstProblemRow(robot));
    Label why = robot.lookup("#read-only-note").queryAs(Label.class);
    await().atMost(10, TimeUnit.SECONDS).until(why::isVisible);

    assertThat(why.getText())
        .isEqualTo(
            "View only: signed in as vera (viewer). Acknowledging, resolving and comments need an"
                + " operator's token.");
    Button resolve = robot.lookup("#resolve-button").queryButton();
    Button acknowledge = robot.lookup("#acknowledge-button").queryButton();
    assertThat(resolve.isDisabled()).as("Resolve").isTrue();
    assertThat(acknowledge.isDisabled()).as("Acknowledge").isTrue();
    assertThat(robot.lookup("#comment-field").query().isDisabled()).as("comment field").isTrue();
    assertThat(robot.lookup("#comment-button").query().isDisabled()).as("Add comment").isTrue();
    assertThat(robot.lookup("#resolve-note").query().isDisabled()).as("note field").isTrue();
    assertThat(robot.lookup("#resolve-cleared").query().isDisabled()).as("bulk resolve").isTrue();

    // The keys do nothing either: the record stays open and unacknowledged on the backend.
    robot.clickOn("#facts").type(KeyCode.R).type(KeyCode.A);
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(console.problems().row("0203").orElseThrow().pending())
        .as("no resolve waiting out its undo window")
        .isFalse();
    assertThat(
            BackendClient.create(runtime.httpUri(), runtime.token())
                .problems(null)
                .get(10, TimeUnit.SECONDS))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.problemStatus()).isEqualTo(ProblemStatus.UNRESOLVED);
              assertThat(p.isAcknowledged()).isFalse();
            });
    assertThat(console.details().confirmation().asking().get())
        .as("no 'resolve anyway?' question either")
        .isFalse();
  }
}
