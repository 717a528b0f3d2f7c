package org.kloaka.console.view;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.StackPane;
import javafx.util.StringConverter;
import org.kloaka.console.viewmodel.HistoryRange;
import org.kloaka.console.viewmodel.TimeText;
import org.kloaka.model.Measurement;
import org.kloaka.model.Problem;

/**
 * A filling history over time (decision 029): one sensor, or a pair's two overlaid; a point marker
 * on every reading and a break in the line where readings are missing (a gap must not look like a
 * steady value); the 25 % and 75 % level bands; a marker where a problem began. The time axis ticks
 * on whole hours or days in the operator's zone and names the dates, with the year, below.
 */
final class HistoryChart extends StackPane {

  /** One line: its readings and its style class (its colour and dash in the stylesheet). */
  record Trace(String styleClass, List<Measurement> readings) {}

  /** Beyond this many readings a trace is drawn without point markers (they would be a smear). */
  static final int MAX_SYMBOLS = 400;

  private static final long MINUTE = 60;
  private static final long HOUR = 3600;
  private static final long DAY = 86_400;

  private final TimeText time;
  private final ZoneId zone;
  private final NumberAxis xAxis = new NumberAxis();
  private final NumberAxis yAxis = new NumberAxis(0, 100, 25);
  private final LineChart<Number, Number> chart = new LineChart<>(xAxis, yAxis);
  private HistoryRange range = HistoryRange.DAY;

  /** The 25 % and 75 % level bands, kept from one redraw to the next. */
  private static final int[] LEVELS = {25, 75};

  @SuppressWarnings("unchecked")
  private final XYChart.Series<Number, Number>[] bands = new XYChart.Series[LEVELS.length];

  HistoryChart(TimeText time, ZoneId zone, Label state) {
    this.time = time;
    this.zone = zone;
    xAxis.setForceZeroInRange(false);
    xAxis.setAutoRanging(false);
    xAxis.setMinorTickVisible(false);
    xAxis.setTickLabelFormatter(
        new StringConverter<>() {
          @Override
          public String toString(Number seconds) {
            if ((seconds.longValue() - (long) xAxis.getLowerBound()) % (long) xAxis.getTickUnit()
                != 0) {
              return ""; // the axis's end, between two whole ticks: unlabelled
            }
            String exact = time.exact(Instant.ofEpochSecond(seconds.longValue()));
            // "2026-11-28 14:05": hours for a day or less, month and day beyond; the axis label
            // says the dates with their year.
            return range.span().toHours() <= 24 ? exact.substring(11) : exact.substring(5, 10);
          }

          @Override
          public Number fromString(String text) {
            return 0;
          }
        });
    yAxis.setLabel("filling %");
    yAxis.setMinorTickVisible(false);
    chart.setAnimated(false);
    chart.setLegendVisible(false);
    chart.setCreateSymbols(true);
    chart.getStyleClass().add("history-chart");
    for (int i = 0; i < bands.length; i++) {
      XYChart.Series<Number, Number> band = new XYChart.Series<>();
      band.getData().add(new XYChart.Data<>(0, LEVELS[i]));
      band.getData().add(new XYChart.Data<>(0, LEVELS[i]));
      bands[i] = band;
    }
    chart.getData().setAll(bands);
    getChildren().addAll(chart, state);
  }

  LineChart<Number, Number> chart() {
    return chart;
  }

  NumberAxis timeAxis() {
    return xAxis;
  }

  /** Shows {@code traces} between {@code from} and {@code until}, with problem markers. */
  void show(
      HistoryRange range, Instant from, Instant until, List<Trace> traces, List<Problem> marks) {
    this.range = range;
    long unit = tickUnit(range);
    long lower = alignedStart(from, unit);
    xAxis.setLowerBound(lower);
    xAxis.setUpperBound(until.getEpochSecond());
    xAxis.setTickUnit(unit);
    xAxis.setLabel(time.exact(from) + " – " + time.exact(until) + "  (" + zone.getId() + ")");

    // The level bands stay (their ends move); only the traces and marks are replaced, so that a
    // click on another sensor does not rebuild the whole chart.
    for (XYChart.Series<Number, Number> band : bands) {
      band.getData().get(0).setXValue(lower);
      band.getData().get(1).setXValue(until.getEpochSecond());
    }
    List<XYChart.Series<Number, Number>> all = new ArrayList<>();
    List<Runnable> styling = new ArrayList<>();
    for (Trace trace : traces) {
      boolean symbols = trace.readings().size() <= MAX_SYMBOLS;
      for (List<Measurement> run : runs(trace.readings())) {
        XYChart.Series<Number, Number> series = new XYChart.Series<>();
        List<XYChart.Data<Number, Number>> points = new ArrayList<>(run.size());
        for (Measurement m : run) {
          points.add(new XYChart.Data<>(m.dt(), m.filling().value()));
        }
        series.getData().setAll(points);
        all.add(series);
        styling.add(() -> style(series, trace.styleClass(), symbols));
      }
    }
    if (!marks.isEmpty()) {
      XYChart.Series<Number, Number> problems = new XYChart.Series<>();
      for (Problem p : marks) {
        problems.getData().add(new XYChart.Data<>(p.problemTime(), 100));
      }
      all.add(problems);
      styling.add(
          () -> {
            style(problems, "problem-marks", true);
            for (int i = 0; i < marks.size(); i++) {
              Problem p = marks.get(i);
              Node node = problems.getData().get(i).getNode();
              node.getStyleClass().add(p.problem().name().toLowerCase(java.util.Locale.ROOT));
              explainOnHover(node, p);
            }
          });
    }
    var data = chart.getData();
    if (data.size() > bands.length) {
      data.remove(bands.length, data.size());
    }
    if (!all.isEmpty()) {
      data.addAll(all);
    }
    // The chart renames its series' style classes when series come and go: the bands' again.
    for (XYChart.Series<Number, Number> band : bands) {
      style(band, "level-band", false);
    }
    styling.forEach(Runnable::run);
  }

  /**
   * A problem mark's tooltip, made when the pointer first comes to it: a tooltip is a popup with
   * its own scene, too heavy to make for every mark on every redraw.
   */
  private void explainOnHover(Node mark, Problem p) {
    mark.addEventHandler(
        javafx.scene.input.MouseEvent.MOUSE_ENTERED,
        new javafx.event.EventHandler<>() {
          @Override
          public void handle(javafx.scene.input.MouseEvent e) {
            mark.removeEventHandler(javafx.scene.input.MouseEvent.MOUSE_ENTERED, this);
            Tooltip.install(mark, new Tooltip(markText(p)));
          }
        });
  }

  /** What a problem mark says: "OBSTRUCTION 01 → 02 began 2026-11-28 14:05". */
  String markText(Problem p) {
    return p.problem()
        + " "
        + p.upstreamId()
        + " → "
        + p.downstreamId()
        + " began "
        + time.exact(TimeText.epoch(p.problemTime()));
  }

  /** Style class on the series' line and its point markers; markers hidden when not wanted. */
  private static void style(
      XYChart.Series<Number, Number> series, String styleClass, boolean dots) {
    if (series.getNode() != null && !series.getNode().getStyleClass().contains(styleClass)) {
      series.getNode().getStyleClass().add(styleClass);
    }
    for (XYChart.Data<Number, Number> point : series.getData()) {
      Node node = point.getNode();
      if (node != null) {
        if (!node.getStyleClass().contains(styleClass + "-dot")) {
          node.getStyleClass().add(styleClass + "-dot");
        }
        node.setVisible(dots);
        node.setManaged(dots);
      }
    }
  }

  /**
   * The readings split where they stop: a pause longer than four times the usual interval (and at
   * least 15 minutes) ends one line and starts the next, so that a silent sensor shows as a gap.
   */
  static List<List<Measurement>> runs(List<Measurement> readings) {
    List<List<Measurement>> runs = new ArrayList<>();
    if (readings.isEmpty()) {
      return runs;
    }
    long[] steps = new long[Math.max(0, readings.size() - 1)];
    for (int i = 1; i < readings.size(); i++) {
      steps[i - 1] = readings.get(i).dt() - readings.get(i - 1).dt();
    }
    long usual = 0;
    if (steps.length > 0) {
      long[] sorted = steps.clone();
      java.util.Arrays.sort(sorted);
      usual = sorted[sorted.length / 2];
    }
    long gap = Math.max(15 * MINUTE, 4 * usual);
    List<Measurement> run = new ArrayList<>();
    run.add(readings.get(0));
    for (int i = 1; i < readings.size(); i++) {
      if (steps[i - 1] > gap) {
        runs.add(run);
        run = new ArrayList<>();
      }
      run.add(readings.get(i));
    }
    runs.add(run);
    return runs;
  }

  /** Ticks: 10 min for an hour, 3 h for a day, every day for 7 d, every 5 days for 30 d. */
  static long tickUnit(HistoryRange range) {
    return switch (range) {
      case HOUR -> 10 * MINUTE;
      case DAY -> 3 * HOUR;
      case WEEK -> DAY;
      case MONTH -> 5 * DAY;
    };
  }

  /** The axis starts on a whole tick in the operator's zone (midnight for days), at or before. */
  long alignedStart(Instant from, long unit) {
    ZonedDateTime at = from.atZone(zone);
    ZonedDateTime start =
        unit >= DAY
            ? at.truncatedTo(ChronoUnit.DAYS)
            : unit >= HOUR
                ? at.truncatedTo(ChronoUnit.HOURS)
                    .withHour(at.getHour() - at.getHour() % (int) (unit / HOUR))
                : at.truncatedTo(ChronoUnit.MINUTES)
                    .withMinute(at.getMinute() - at.getMinute() % (int) (unit / MINUTE));
    return start.toEpochSecond();
  }
}
