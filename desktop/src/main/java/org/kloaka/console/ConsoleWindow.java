package org.kloaka.console;

import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.kloaka.console.view.InsightsTabs;
import org.kloaka.console.view.MainView;
import org.kloaka.console.view.PulseExecutor;
import org.kloaka.console.viewmodel.ConsoleViewModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the window for a view model: the scene, the stylesheet, clocks, title and sound. */
public final class ConsoleWindow {

  private static final Logger log = LoggerFactory.getLogger(ConsoleWindow.class);
  public static final String STYLESHEET = "/org/kloaka/console/view/console.css";

  /** Pushed changes reach the problems table at most this often (decision 033). */
  static final java.time.Duration TABLE_EVERY = java.time.Duration.ofMillis(250);

  /** ... and once a second while pushes arrive as a burst (decision 037). */
  static final java.time.Duration TABLE_EVERY_IN_A_BURST = java.time.Duration.ofSeconds(1);

  private final MainView view;
  private final InsightsTabs insights;
  private final Scene scene;
  private final Timeline clock;
  private final PulseExecutor frames = new PulseExecutor();

  public ConsoleWindow(ConsoleViewModel console, String tileUrl, double width, double height) {
    view = new MainView(console, console.time(), tileUrl);
    insights = new InsightsTabs(view, console);
    scene = new Scene(view, width, height);
    scene.getStylesheets().add(ConsoleWindow.class.getResource(STYLESHEET).toExternalForm());
    int[] seconds = {0};
    clock =
        new Timeline(
            new KeyFrame(
                Duration.seconds(1),
                e -> {
                  console.tick();
                  if (++seconds[0] % 30 == 0) {
                    console.tickSlow();
                    view.problemsView().table().refresh();
                  }
                }));
    clock.setCycleCount(Timeline.INDEFINITE);
    clock.play();
    console
        .problems()
        .announcements()
        .addListener(
            (o, was, now) -> {
              if (console.status().sound().get()) {
                Beep.play();
              }
            });
  }

  public MainView view() {
    return view;
  }

  /** The Hot spots and Shift tabs and the exports. */
  public InsightsTabs insights() {
    return insights;
  }

  public Scene scene() {
    return scene;
  }

  /** Where pushes are drained while the window shows: once per frame. */
  public PulseExecutor frames() {
    return frames;
  }

  /** Shows the window on {@code stage}; closing it runs {@code onClose}. */
  public void show(Stage stage, ConsoleViewModel console, Runnable onClose) {
    stage.titleProperty().bind(console.status().title());
    stage.setScene(scene);
    // Pushes are applied once per frame while the window shows (decision 033).
    frames.start();
    console.drainOn(frames);
    javafx.beans.InvalidationListener pace =
        o ->
            console
                .problems()
                .refreshEvery()
                .set(console.bursting().get() ? TABLE_EVERY_IN_A_BURST : TABLE_EVERY);
    console.bursting().addListener(pace);
    pace.invalidated(null);
    frames.watchInput(scene);
    stage.setOnHidden(
        e -> {
          clock.stop();
          console.bursting().removeListener(pace);
          console.problems().refreshEvery().set(java.time.Duration.ZERO);
          console.drainOn(null);
          frames.close();
          // Resolves still in their undo window are sent, not lost, when the window closes.
          try {
            console.problems().flush().get(3, java.util.concurrent.TimeUnit.SECONDS);
          } catch (java.util.concurrent.ExecutionException
              | java.util.concurrent.TimeoutException ex) {
            log.warn("a resolve sent on closing did not complete: {}", ex.getMessage());
          } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
          }
          onClose.run();
        });
    stage.show();
    view.lineView().requestFocus(); // shortcuts work at once; F goes to the search box
  }

  /** Tells the operator about an unexpected error instead of dying silently. */
  public static void installUncaughtHandler(ConsoleViewModel console) {
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, error) -> {
          log.error("unexpected error on {}", thread.getName(), error);
          Platform.runLater(
              () ->
                  console
                      .status()
                      .show(
                          "Unexpected error: "
                              + error
                              + " — the console keeps running; details are in the log."));
        });
  }
}
