package org.kloaka.console.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/** Which labels the line draws: never reaching into the next row's tube name. */
class LinePainterTest {

  @BeforeAll
  static void toolkit() throws Exception {
    FxToolkit.registerPrimaryStage(); // fonts and the legend need JavaFX
  }

  static boolean[] shown(double textScale, double scale, double rowScale) throws Exception {
    return WaitForAsyncUtils.asyncFx(
            () -> {
              LinePainter painter = new LinePainter(new Legend());
              painter.textScale(textScale);
              return painter.labelsShown(new LinePainter.Viewport(scale, rowScale, 0, 0));
            })
        .get(10, TimeUnit.SECONDS);
  }

  @Test
  void atFullSizeEverySensorHasItsIdAndName() throws Exception {
    assertThat(shown(1, 1, 1)).containsExactly(true, true);
    assertThat(shown(MainView.LARGE_TEXT_FACTOR, 1, 1)).containsExactly(true, true);
  }

  @Test
  void rowsSqueezedToFitDropNamesFirstThenIds() throws Exception {
    // The demo's four tubes fitted into a short pane: rows 120 * 0.45 = 54 px apart.
    assertThat(shown(1, 0.45, 0.45)).containsExactly(true, false);
    // The same in large text: the ids would touch the next tube's name, as they did.
    assertThat(shown(MainView.LARGE_TEXT_FACTOR, 0.45, 0.45)).containsExactly(false, false);
    // Rows spread over the height (the overview's row scale) leave room again.
    assertThat(shown(MainView.LARGE_TEXT_FACTOR, 0.45, 0.9)).containsExactly(true, true);
  }
}
