package org.kloaka.console.view;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.event.EventHandler;
import javafx.scene.Scene;
import javafx.scene.input.InputEvent;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;

/**
 * Runs tasks once per frame: at the start of the next pulse (its animation phase, before CSS,
 * layout and rendering), all that were handed over since the last one. The console's push drain
 * runs here (decision 033), so a burst of pushes becomes one model update per frame instead of a
 * queue of {@code Platform.runLater} tasks that input events wait behind.
 *
 * <p>Any thread may call {@link #execute}; {@link #start} and {@link #close} run on the FX thread.
 * Before {@code start} and after {@code close} tasks go to {@code Platform.runLater}, so none is
 * lost.
 */
public final class PulseExecutor implements Executor, AutoCloseable {

  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private volatile boolean running;

  /** An operator's press, key or scroll since the last pulse (FX thread only). */
  private boolean input;

  private boolean yielded;

  private final AnimationTimer timer =
      new AnimationTimer() {
        @Override
        public void handle(long now) {
          if (input && !yielded) {
            // The operator's frame first: what the click or key changed is drawn in this pulse
            // without the pushes' work beside it; they run in the next (decision 037).
            input = false;
            yielded = true;
            return;
          }
          input = false;
          yielded = false;
          runQueued();
        }
      };

  /**
   * From now on a pulse that follows an operator's press, key or scroll leaves the queued tasks to
   * the next pulse (never two pulses in a row), so that the answer to the input comes first.
   */
  public void watchInput(Scene scene) {
    EventHandler<InputEvent> seen = e -> input = true;
    scene.addEventFilter(MouseEvent.MOUSE_PRESSED, seen);
    scene.addEventFilter(MouseEvent.MOUSE_RELEASED, seen);
    scene.addEventFilter(KeyEvent.KEY_PRESSED, seen);
    scene.addEventFilter(ScrollEvent.SCROLL, seen);
  }

  @Override
  public void execute(Runnable task) {
    if (running) {
      tasks.add(task);
    } else {
      Platform.runLater(task);
    }
  }

  /** From now on tasks wait for the next pulse. */
  public void start() {
    running = true;
    timer.start();
  }

  /** Back to {@code Platform.runLater}; what was queued runs at once. */
  @Override
  public void close() {
    running = false;
    timer.stop();
    runQueued();
  }

  /**
   * Only what was queued when the pulse began: a task queued meanwhile (the next drain, while
   * pushes keep coming) waits for the next pulse, or a flood of pushes would keep this one from
   * ever ending.
   */
  private void runQueued() {
    for (int n = tasks.size(); n > 0; n--) {
      Runnable task = tasks.poll();
      if (task == null) {
        return;
      }
      task.run();
    }
  }
}
