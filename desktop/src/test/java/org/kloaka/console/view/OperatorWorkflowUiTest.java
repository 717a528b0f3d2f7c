package org.kloaka.console.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCode;
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
import org.kloaka.console.viewmodel.ProblemRow;
import org.kloaka.local.LocalRuntime;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The operator's workflow against a real runtime: who is signed in, Acknowledge by key, a comment,
 * and the pair's timeline showing both.
 */
@ExtendWith(ApplicationExtension.class)
class OperatorWorkflowUiTest {

  @TempDir static Path data;
  static final ObjectMapper json = Json.newMapper();
  static ConsoleSession session;
  static ConsoleViewModel console;
  static LocalRuntime runtime;
  ConsoleWindow window;

  /** Started off the FX thread: on a busy machine the runtime takes longer than TestFX's setup. */
  @BeforeAll
  static void runtime() throws Exception {
    session = UiTestSupport.embedded(data, LiveConsoleTest.NETWORK);
    console = session.viewModel();
    runtime = session.owned(LocalRuntime.class);
  }

  @Start
  void start(Stage stage) {
    window = new ConsoleWindow(console, null, 1280, 860);
    window.show(stage, console, () -> {});
    session.start();
  }

  @AfterAll
  static void stop() throws Exception {
    session.close();
    FxToolkit.cleanupStages(); // the next test class's lookups must not find this window
  }

  static void reading(String id, int filling) throws Exception {
    runtime
        .pipeline()
        .submit(json.writeValueAsBytes(Map.of("id", id, "filling", filling)))
        .get(10, TimeUnit.SECONDS);
  }

  @Test
  void signedInAcknowledgedByKeyCommentedAndAllOnTheTimeline(FxRobot robot) throws Exception {
    await().atMost(30, TimeUnit.SECONDS).until(() -> console.status().live().get());
    Label signedIn = robot.lookup("#signed-in").queryAs(Label.class);
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> signedIn.getText().equals("signed in: admin · admin"));

    reading("01", 100);
    reading("02", 100);
    reading("03", 40); // an obstruction on 02 → 03
    await().atMost(15, TimeUnit.SECONDS).until(() -> console.problems().activeCount().get() == 1);
    robot.clickOn(UiTestSupport.firstProblemRow(robot));
    Button acknowledge = robot.lookup("#acknowledge-button").queryButton();
    await().atMost(10, TimeUnit.SECONDS).until(() -> !acknowledge.isDisabled());

    robot.clickOn("#facts").type(KeyCode.A); // A from anywhere but a text field
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () ->
                console
                    .problems()
                    .row("0203")
                    .map(ProblemRow::problem)
                    .map(p -> "admin".equals(p.acknowledgedBy()))
                    .orElse(false));
    assertThat(console.problems().row("0203").orElseThrow().statusText()).endsWith("· ack admin");
    await().atMost(5, TimeUnit.SECONDS).until(acknowledge::isDisabled);

    robot.clickOn("#comment-field").write("crew 3 on the way").type(KeyCode.ENTER);
    @SuppressWarnings("unchecked")
    ListView<String> timeline = robot.lookup("#timeline").queryAs(ListView.class);
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () ->
                timeline.getItems().stream()
                    .anyMatch(e -> e.endsWith("admin  comment: crew 3 on the way")));
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(timeline.getItems()).anyMatch(e -> e.contains("system  opened: OBSTRUCTION"));
    assertThat(timeline.getItems()).anyMatch(e -> e.endsWith("admin  acknowledged"));
    assertThat(robot.lookup("#comment-field").queryTextInputControl().getText()).isEmpty();
    assertThat(console.details().facts().get()).contains("Open for: ").contains("Acknowledged: ");
  }
}
