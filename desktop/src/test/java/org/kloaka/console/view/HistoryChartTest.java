package org.kloaka.console.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.chart.Axis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kloaka.console.ConsoleWindow;
import org.kloaka.console.viewmodel.HistoryRange;
import org.kloaka.console.viewmodel.TimeText;
import org.kloaka.model.Filling;
import org.kloaka.model.Measurement;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemStatus;
import org.kloaka.model.ProblemType;
import org.kloaka.model.SensorId;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/** The history chart drawn in a real window: ticks, year, dots, gaps, bands and problem marks. */
class HistoryChartTest {

  static final ZoneId ZONE = ZoneId.of("Europe/Zagreb");
  static final Instant UNTIL = Instant.parse("2026-11-28T14:05:00Z");

  @AfterEach
  void close() throws Exception {
    FxToolkit.cleanupStages();
  }

  static List<Measurement> hourly(Instant from, Instant until, long gapFrom, long gapUntil) {
    List<Measurement> readings = new ArrayList<>();
    for (long t = from.getEpochSecond(); t <= until.getEpochSecond(); t += 3600) {
      if (t < gapFrom || t > gapUntil) {
        readings.add(new Measurement(Filling.of(80), t));
      }
    }
    return readings;
  }

  HistoryChart shown(HistoryRange range, List<HistoryChart.Trace> traces, List<Problem> marks)
      throws Exception {
    FxToolkit.registerPrimaryStage();
    return WaitForAsyncUtils.asyncFx(
            () -> {
              HistoryChart chart = new HistoryChart(new TimeText(ZONE), ZONE, new Label());
              Scene scene = new Scene(chart, 1000, 300);
              scene
                  .getStylesheets()
                  .add(ConsoleWindow.class.getResource(ConsoleWindow.STYLESHEET).toExternalForm());
              Stage stage = new Stage();
              stage.setScene(scene);
              stage.show();
              chart.show(range, UNTIL.minus(range.span()), UNTIL, traces, marks);
              chart.layout();
              chart.chart().layout();
              return chart;
            })
        .get(20, TimeUnit.SECONDS);
  }

  @Test
  void sevenDaysTickOnEveryMidnightAndTheAxisNamesTheYear() throws Exception {
    Instant from = UNTIL.minus(HistoryRange.WEEK.span());
    HistoryChart chart =
        shown(
            HistoryRange.WEEK,
            List.of(new HistoryChart.Trace("trace-sensor", hourly(from, UNTIL, 0, -1))),
            List.of());
    WaitForAsyncUtils.waitForFxEvents();
    List<String> labels =
        WaitForAsyncUtils.asyncFx(
                () ->
                    chart.timeAxis().getTickMarks().stream()
                        .map(Axis.TickMark::getValue)
                        .map(chart.timeAxis().getTickLabelFormatter()::toString)
                        .filter(label -> label != null && !label.isEmpty())
                        .toList())
            .get(5, TimeUnit.SECONDS);
    assertThat(labels)
        .containsExactly("11-21", "11-22", "11-23", "11-24", "11-25", "11-26", "11-27", "11-28");
    assertThat(chart.timeAxis().getLabel())
        .isEqualTo("2026-11-21 15:05 – 2026-11-28 15:05  (Europe/Zagreb)");
  }

  @Test
  void everyReadingIsADotAndAPauseBreaksTheLine() throws Exception {
    Instant from = UNTIL.minus(HistoryRange.DAY.span());
    long gapFrom = from.getEpochSecond() + 6 * 3600;
    List<Measurement> readings = hourly(from, UNTIL, gapFrom, gapFrom + 5 * 3600);
    Problem began =
        new Problem(
            "0102",
            ProblemType.OBSTRUCTION,
            from.getEpochSecond() + 3 * 3600,
            ProblemStatus.UNRESOLVED,
            SensorId.parse("01"),
            SensorId.parse("02"),
            Filling.of(100),
            Filling.of(40),
            true,
            UNTIL.getEpochSecond(),
            null,
            null,
            null);
    HistoryChart chart =
        shown(
            HistoryRange.DAY,
            List.of(new HistoryChart.Trace("trace-sensor", readings)),
            List.of(began));

    List<XYChart.Series<Number, Number>> lines =
        chart.chart().getData().stream()
            .filter(s -> s.getNode().getStyleClass().contains("trace-sensor"))
            .toList();
    assertThat(lines).as("one line before the pause, one after").hasSize(2);
    assertThat(lines.get(0).getData().size() + lines.get(1).getData().size())
        .isEqualTo(readings.size());
    assertThat(lines.get(0).getData())
        .allSatisfy(
            d -> {
              assertThat(d.getNode().isVisible()).isTrue();
              assertThat(d.getNode().getStyleClass()).contains("trace-sensor-dot");
            });
    assertThat(
            chart.chart().getData().stream()
                .filter(s -> s.getNode().getStyleClass().contains("level-band"))
                .map(s -> s.getData().get(0).getYValue().intValue())
                .toList())
        .containsExactly(25, 75);
    Node mark =
        chart.chart().getData().stream()
            .filter(s -> s.getNode().getStyleClass().contains("problem-marks"))
            .findFirst()
            .orElseThrow()
            .getData()
            .get(0)
            .getNode();
    assertThat(mark.getStyleClass()).contains("problem-marks-dot", "obstruction");
    assertThat(mark.isVisible()).isTrue();
  }

  @Test
  void runsSplitOnlyWherePausesAreLongerThanUsual() {
    List<Measurement> steady = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      steady.add(new Measurement(Filling.of(50), 1000L + i * 60));
    }
    assertThat(HistoryChart.runs(steady)).hasSize(1);
    steady.add(new Measurement(Filling.of(50), 1000L + 9 * 60 + 3600));
    assertThat(HistoryChart.runs(steady)).hasSize(2);
    assertThat(HistoryChart.runs(List.of())).isEmpty();
    assertThat(HistoryChart.runs(List.of(new Measurement(Filling.of(1), 5)))).hasSize(1);
  }
}
