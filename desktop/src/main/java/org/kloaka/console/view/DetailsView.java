package org.kloaka.console.view;

import javafx.collections.ListChangeListener;
import javafx.geometry.Pos;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.kloaka.console.viewmodel.DetailsViewModel;
import org.kloaka.console.viewmodel.DetailsViewModel.Mode;
import org.kloaka.console.viewmodel.HistoryRange;
import org.kloaka.console.viewmodel.TimeText;
import org.kloaka.model.Measurement;

/** The bottom pane: the selected sensor's facts and history, or the selected pair's problem. */
public final class DetailsView extends VBox {

  private final DetailsViewModel details;
  private final TimeText time;
  private final NumberAxis xAxis = new NumberAxis();
  private final NumberAxis yAxis = new NumberAxis(0, 100, 25);
  private final LineChart<Number, Number> chart = new LineChart<>(xAxis, yAxis);
  private final XYChart.Series<Number, Number> series = new XYChart.Series<>();
  private final TextField note = new TextField();
  private final Button resolve = new Button("Mark resolved");

  public DetailsView(DetailsViewModel details, TimeText time) {
    this.details = details;
    this.time = time;
    getStyleClass().add("details-view");

    Label heading = new Label();
    heading.getStyleClass().add("pane-title");
    heading.textProperty().bind(details.heading());
    heading.setWrapText(true);
    Label facts = new Label();
    facts.getStyleClass().add("facts");
    facts.textProperty().bind(details.facts());
    facts.setWrapText(true);

    HBox ranges = new HBox(4);
    ranges.getStyleClass().add("range-buttons");
    ToggleGroup group = new ToggleGroup();
    for (HistoryRange range : HistoryRange.values()) {
      ToggleButton button = new ToggleButton(range.toString());
      button.setToggleGroup(group);
      button.setUserData(range);
      button.setSelected(range == details.range().get());
      ranges.getChildren().add(button);
    }
    group
        .selectedToggleProperty()
        .addListener(
            (o, was, now) -> {
              if (now == null) {
                group.selectToggle(was); // one range is always chosen
              } else {
                details.range().set((HistoryRange) now.getUserData());
              }
            });

    xAxis.setForceZeroInRange(false);
    xAxis.setAutoRanging(false);
    xAxis.setTickLabelFormatter(
        new StringConverter<>() {
          @Override
          public String toString(Number seconds) {
            String exact = time.exact(java.time.Instant.ofEpochSecond(seconds.longValue()));
            // "2026-11-28 14:05": hours for a day or less, dates beyond.
            return details.range().get().span().toHours() <= 24
                ? exact.substring(11)
                : exact.substring(5, 10);
          }

          @Override
          public Number fromString(String text) {
            return 0;
          }
        });
    details
        .historyUntil()
        .addListener(
            (o, was, until) -> {
              if (until != null && details.historyFrom().get() != null) {
                long from = details.historyFrom().get().getEpochSecond();
                xAxis.setLowerBound(from);
                xAxis.setUpperBound(until.getEpochSecond());
                xAxis.setTickUnit((until.getEpochSecond() - from) / 6.0);
              }
            });
    yAxis.setLabel("filling %");
    chart.setAnimated(false);
    chart.setLegendVisible(false);
    chart.setCreateSymbols(false);
    chart.getData().add(series);
    chart.getStyleClass().add("history-chart");
    Label historyState = new Label();
    historyState.getStyleClass().add("chart-state");
    historyState.textProperty().bind(details.historyState());
    historyState.visibleProperty().bind(details.historyState().isNotEmpty());
    StackPane chartBox = new StackPane(chart, historyState);
    HBox.setHgrow(chartBox, Priority.ALWAYS);
    chartBox.setMinHeight(150);
    details.history().addListener((ListChangeListener<Measurement>) c -> showHistory());

    note.setPromptText("Note (optional): what was found, who was sent…");
    note.setId("resolve-note");
    note.textProperty().bindBidirectional(details.note());
    note.setOnAction(e -> details.resolve());
    resolve.setId("resolve-button");
    resolve.getStyleClass().add("accent");
    resolve.disableProperty().bind(details.canResolve().not());
    resolve.setOnAction(e -> details.resolve());
    resolve.setMinWidth(USE_PREF_SIZE);
    Button acknowledge = new Button("Acknowledge");
    acknowledge.setId("acknowledge-button");
    acknowledge.disableProperty().bind(details.canAcknowledge().not());
    acknowledge.setMinWidth(USE_PREF_SIZE);
    // A disabled control shows no tooltip of its own: the wrapper carries it.
    javafx.scene.control.Label ackWrap = new javafx.scene.control.Label(null, acknowledge);
    ackWrap.setTooltip(
        new javafx.scene.control.Tooltip(
            "Acknowledge (someone is on it) needs a backend that offers it; this one does not yet"));
    HBox.setHgrow(note, Priority.ALWAYS);
    HBox resolveBar = new HBox(8, note, ackWrap, resolve);
    resolveBar.setAlignment(Pos.CENTER_LEFT);
    ConfirmBar confirm = new ConfirmBar(details.confirmation(), "confirm-resolve");
    VBox resolveBox = new VBox(6, resolveBar, confirm);

    VBox left = new VBox(8, heading, facts);
    left.setMinWidth(320);
    left.setPrefWidth(380);
    VBox sensorBox = new VBox(4, ranges, chartBox);
    HBox.setHgrow(sensorBox, Priority.ALWAYS);
    VBox.setVgrow(chartBox, Priority.ALWAYS);
    HBox body = new HBox(16, left, sensorBox);
    VBox.setVgrow(body, Priority.ALWAYS);
    Label empty = new Label("Select a sensor or a pipe on the line, or a problem in the list.");
    empty.getStyleClass().add("empty-state");

    getChildren().setAll(empty);
    details
        .mode()
        .addListener(
            (o, was, now) -> {
              if (now == Mode.NONE) {
                getChildren().setAll(empty);
              } else if (now == Mode.SENSOR) {
                sensorBox.getChildren().setAll(ranges, chartBox);
                getChildren().setAll(body);
              } else {
                sensorBox.getChildren().setAll(resolveBox);
                getChildren().setAll(body);
              }
            });
  }

  private void showHistory() {
    var points = new java.util.ArrayList<XYChart.Data<Number, Number>>(details.history().size());
    for (Measurement m : details.history()) {
      points.add(new XYChart.Data<>(m.dt(), m.filling().value()));
    }
    series.getData().setAll(points);
  }

  public Button resolveButton() {
    return resolve;
  }

  public TextField noteField() {
    return note;
  }
}
