package org.kloaka.console.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableRow;
import javafx.scene.input.Clipboard;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.console.ConsoleSession;
import org.kloaka.console.ConsoleWindow;
import org.kloaka.console.viewmodel.ConsoleViewModel;
import org.kloaka.console.viewmodel.RejectsViewModel;
import org.kloaka.local.LocalRuntime;
import org.kloaka.model.Reject;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The Rejected messages tab against a real runtime: empty, live, read in full and copied. */
@ExtendWith(ApplicationExtension.class)
class RejectsUiTest {

  /** The poll interval and some slack for a busy machine. */
  static final long LIVE_SECONDS = RejectsViewModel.POLL_EVERY.toSeconds() + 15;

  @TempDir static Path data;
  static ConsoleSession session;
  ConsoleWindow window;
  static ConsoleViewModel console;
  static LocalRuntime runtime;

  /** Started off the FX thread: on a busy machine the runtime takes longer than TestFX's setup. */
  @BeforeAll
  static void runtime() throws Exception {
    session = UiTestSupport.embedded(data, null);
    console = session.viewModel();
    runtime = session.owned(LocalRuntime.class);
  }

  @Start
  void start(Stage stage) {
    window = new ConsoleWindow(console, null, 1280, 800);
    window.show(stage, console, () -> {});
    session.start();
  }

  @AfterAll
  static void stop() throws Exception {
    session.close();
    FxToolkit.cleanupStages(); // the next test class's lookups must not find this window
  }

  void send(String payload) throws Exception {
    runtime.pipeline().submit(payload.getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
  }

  @Test
  void theEmptyTabSaysSoOnceThenNewRejectsAppearAndReadInFullAndCopy(FxRobot robot)
      throws Exception {
    await().atMost(20, TimeUnit.SECONDS).until(() -> console.status().live().get());
    // The tab of this test's window (another test's window may still be closing in this JVM).
    robot.clickOn(
        robot
            .from(window.scene().getRoot())
            .lookup(".tab-label")
            .match((Label l) -> "Rejected messages".equals(l.getText()))
            .queryAs(Label.class));
    await()
        .atMost(30, TimeUnit.SECONDS)
        .until(() -> console.rejects().empty().get().startsWith("No rejected messages —"));
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(
            robot.lookup(".label").queryAllAs(Label.class).stream()
                .filter(l -> l.isVisible() && l.getText() != null)
                .filter(l -> l.getText().startsWith("No rejected messages")))
        .as("the empty message, once")
        .hasSize(1);
    Button refresh = robot.lookup("#rejects-refresh").queryButton();
    assertThat(refresh.getWidth())
        .as("Refresh is not squeezed")
        .isGreaterThanOrEqualTo(refresh.prefWidth(-1) - 0.5);

    // Sent while the tab is shown, read without pressing Refresh.
    String tail = "x".repeat(900) + "END-OF-PAYLOAD";
    send("{\"id\": \"01\", \"filling\": \"full\", \"comment\": \"" + tail + "\"}");
    await()
        .atMost(LIVE_SECONDS, TimeUnit.SECONDS)
        .until(() -> console.rejects().rows().size() == 1);

    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () ->
                robot
                    .lookup(".table-row-cell")
                    .match((TableRow<?> r) -> r.getItem() instanceof Reject)
                    .tryQuery()
                    .isPresent());
    Node row =
        robot
            .lookup(".table-row-cell")
            .match((TableRow<?> r) -> r.getItem() instanceof Reject)
            .query();
    robot.clickOn(row);
    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(
            () ->
                robot
                    .lookup("#reject-detail")
                    .queryTextInputControl()
                    .getText()
                    .contains("END-OF-PAYLOAD"));
    String detail = robot.lookup("#reject-detail").queryTextInputControl().getText();
    assertThat(detail).startsWith("Why: ").contains(console.rejects().rows().get(0).reason());

    robot.clickOn("#reject-copy");
    String copied =
        WaitForAsyncUtils.asyncFx(() -> Clipboard.getSystemClipboard().getString())
            .get(5, TimeUnit.SECONDS);
    assertThat(copied).isEqualTo(detail);

    // A second one arrives: the first stays selected and readable.
    send("not json at all");
    await()
        .atMost(LIVE_SECONDS, TimeUnit.SECONDS)
        .until(() -> console.rejects().rows().size() == 2);
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(robot.lookup("#reject-detail").queryTextInputControl().getText())
        .contains("END-OF-PAYLOAD");
  }
}
