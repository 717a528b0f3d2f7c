package org.kloaka.console;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import javafx.application.Platform;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.kloaka.console.viewmodel.ConsoleViewModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The window from the first moment (decision 029): a plain "Starting…" / "Connecting…" scene while
 * the backend is reached or the embedded runtime starts on another thread, then the console in the
 * same window. Logs when each was first on screen and when the content came, counted from the JVM's
 * start.
 */
public final class StartupWindow {

  private static final Logger log = LoggerFactory.getLogger(StartupWindow.class);

  /** Milliseconds since the JVM started: when each step was first laid out on screen. */
  public record Times(long waitingShown, long consoleShown, long contentShown) {}

  private final Stage stage;
  private final Label text = new Label();
  private long waitingShown = -1;
  private long consoleShown = -1;
  private final CompletableFuture<Times> times = new CompletableFuture<>();

  private StartupWindow(Stage stage) {
    this.stage = stage;
  }

  /**
   * Shows {@code waiting} in {@code stage} at once; when {@code session} completes, starts the
   * session, builds the console's window with {@code build} and shows it in the same stage. Call on
   * the FX thread. A failed session leaves its message in the window (the caller reports it too).
   *
   * @return when the waiting scene, the console and its first content were on screen
   */
  public static CompletableFuture<Times> show(
      Stage stage,
      String waiting,
      double width,
      double height,
      CompletableFuture<ConsoleSession> session,
      Function<ConsoleSession, ConsoleWindow> build,
      Runnable onClose) {
    StartupWindow window = new StartupWindow(stage);
    window.waiting(waiting, width, height);
    session.whenCompleteAsync(
        (opened, failure) -> {
          if (failure != null) {
            Throwable why =
                failure instanceof java.util.concurrent.CompletionException
                        && failure.getCause() != null
                    ? failure.getCause()
                    : failure;
            window.text.setText("Could not start: " + why.getMessage());
            window.times.completeExceptionally(failure);
          } else {
            // The first state is asked for before the window is built: the backend's answers
            // arrive (on this thread, after this task) while the window is built and laid out,
            // instead of after it (decision 037).
            opened.start();
            window.console(opened, build.apply(opened), onClose);
          }
        },
        Platform::runLater);
    return window.times;
  }

  private void waiting(String waiting, double width, double height) {
    Label brand = new Label("KLOAKA");
    brand.getStyleClass().add("brand");
    text.setText(waiting);
    text.setId("startup-text");
    text.getStyleClass().add("startup-text");
    text.setWrapText(true);
    VBox box = new VBox(16, brand, text);
    box.setAlignment(Pos.CENTER);
    box.getStyleClass().add("startup-view");
    Scene scene = new Scene(box, width, height);
    scene
        .getStylesheets()
        .add(StartupWindow.class.getResource(ConsoleWindow.STYLESHEET).toExternalForm());
    onFirstLayout(
        scene,
        () -> {
          waitingShown = uptime();
          log.info(
              "startup: first frame (\"{}\") {} ms after the JVM started", waiting, waitingShown);
          if (WARM_UP) {
            // After the waiting text is on screen, while the backend is not there yet.
            Platform.runLater(() -> warmUp(width, height));
          }
        });
    stage.setTitle("Kloaka — " + waiting);
    stage.setScene(scene);
    stage.show();
  }

  /**
   * Whether the console's window is built once for nothing while the backend starts ({@link
   * WarmUp}); {@code -Dkloaka.console.warmUp=false} leaves it out, to measure what it saves.
   */
  static final boolean WARM_UP =
      Boolean.parseBoolean(System.getProperty("kloaka.console.warmUp", "true"));

  private void warmUp(double width, double height) {
    if (consoleShown >= 0 || times.isDone()) {
      return; // the console came first
    }
    long start = uptime();
    try {
      WarmUp.run(width, height);
      log.info("startup: console warmed up in {} ms", uptime() - start);
    } catch (RuntimeException e) {
      log.warn("startup: warming the console up failed (it starts anyway)", e);
    }
  }

  private void console(ConsoleSession session, ConsoleWindow window, Runnable onClose) {
    ConsoleViewModel console = session.viewModel();
    onFirstLayout(window.scene(), () -> consoleShown = uptime());
    console
        .status()
        .live()
        .addListener(
            (o, was, now) -> {
              if (now && !times.isDone()) {
                // The next pulse lays out what the first sync loaded.
                onFirstLayout(
                    window.scene(),
                    () -> {
                      long content = uptime();
                      log.info(
                          "startup: console on screen {} ms, its content {} ms after the JVM"
                              + " started",
                          consoleShown,
                          content);
                      times.complete(new Times(waitingShown, consoleShown, content));
                    });
              }
            });
    stage.titleProperty().unbind();
    window.show(stage, console, onClose);
  }

  /** Runs {@code action} once, after the next pulse has laid {@code scene} out. */
  static void onFirstLayout(Scene scene, Runnable action) {
    Runnable[] once = new Runnable[1];
    boolean[] ran = {false};
    once[0] =
        () -> {
          if (!ran[0]) {
            ran[0] = true;
            action.run();
            // Not from inside the scene's own loop over its listeners.
            Platform.runLater(() -> scene.removePostLayoutPulseListener(once[0]));
          }
        };
    scene.addPostLayoutPulseListener(once[0]);
    Platform.requestNextPulse();
  }

  private static long uptime() {
    return ManagementFactory.getRuntimeMXBean().getUptime();
  }
}
