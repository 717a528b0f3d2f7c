package org.kloaka.console.view;

import static org.awaitility.Awaitility.await;

import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.TableRow;
import org.testfx.api.FxRobot;

/** What the console's UI tests share. */
final class UiTestSupport {

  private UiTestSupport() {}

  /** The first row of the problems table, once it is laid out with its item. */
  static Node firstProblemRow(FxRobot robot) {
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () ->
                robot
                    .lookup(".table-row-cell")
                    .match((TableRow<?> row) -> row.getItem() != null)
                    .tryQuery()
                    .isPresent());
    return robot
        .lookup(".table-row-cell")
        .match((TableRow<?> row) -> row.getItem() != null)
        .query();
  }
}
