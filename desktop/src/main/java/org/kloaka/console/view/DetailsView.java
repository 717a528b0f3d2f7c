package org.kloaka.console.view;

import java.util.ArrayList;
import java.util.List;
import javafx.collections.ListChangeListener;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.kloaka.console.viewmodel.DetailsViewModel;
import org.kloaka.console.viewmodel.DetailsViewModel.Mode;
import org.kloaka.console.viewmodel.HistoryRange;
import org.kloaka.console.viewmodel.TimeText;

/** The bottom pane: the selected sensor's facts and history, or the selected pair's problem. */
public final class DetailsView extends VBox {

  private final DetailsViewModel details;
  private final TimeText time;
  private boolean historyRedrawPending;
  private final HistoryChart chart;
  private final Label chartKey = new Label();
  private final TextField note = new TextField();
  private final Button resolve = new Button("Mark resolved");

  /**
   * The range buttons, the chart's key and its actions: a row that wraps, so that in large text the
   * Export buttons go below instead of squeezing 1 h … 30 d to "…".
   */
  private final javafx.scene.layout.FlowPane rangeRow;

  public DetailsView(DetailsViewModel details, TimeText time) {
    this.details = details;
    this.time = time;
    getStyleClass().add("details-view");

    Label heading = new Label();
    heading.getStyleClass().add("pane-title");
    heading.textProperty().bind(details.heading());
    heading.setWrapText(true);
    Label facts = new Label();
    facts.setId("facts");
    facts.setMinHeight(USE_PREF_SIZE); // the facts never clip; the timeline takes what is left
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

    Label historyState = new Label();
    historyState.getStyleClass().add("chart-state");
    historyState.textProperty().bind(details.historyState());
    historyState.visibleProperty().bind(details.historyState().isNotEmpty());
    historyState.setMouseTransparent(true);
    chart = new HistoryChart(time, time.zone(), historyState);
    StackPane chartBox = chart;
    HBox.setHgrow(chartBox, Priority.ALWAYS);
    chartBox.setMinHeight(150);
    chartKey.getStyleClass().add("chart-key");
    // The lists change together (a click clears all three, an answer fills two): one redraw for
    // them, after the click's own work, not one per list inside it.
    ListChangeListener<Object> redraw = c -> redrawHistorySoon();
    details.history().addListener(redraw);
    details.downstreamHistory().addListener(redraw);
    details.marks().addListener(redraw);

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
    acknowledge.setOnAction(e -> details.acknowledge());
    // A disabled control shows no tooltip of its own: the wrapper carries it.
    javafx.scene.control.Label ackWrap = new javafx.scene.control.Label(null, acknowledge);
    javafx.scene.control.Tooltip ackTip = new javafx.scene.control.Tooltip();
    ackTip
        .textProperty()
        .bind(
            javafx.beans.binding.Bindings.when(details.timeline().mayAct())
                .then(
                    "Acknowledge (A): the record says you are on it; it stays open until resolved")
                .otherwise(
                    "Acknowledging needs an operator's token (GET /me names the caller's role)"));
    note.disableProperty().bind(details.readOnly());
    ackWrap.setTooltip(ackTip);
    HBox resolveBar = new HBox(8, note, ackWrap, resolve);
    resolveBar.setAlignment(Pos.CENTER_LEFT);
    ConfirmBar confirm = new ConfirmBar(details.confirmation(), "confirm-resolve");
    // A viewer's console says why its commands are off, where they would be.
    Label readOnly = new Label();
    readOnly.setId("read-only-note");
    readOnly.getStyleClass().add("hint");
    readOnly.setWrapText(true);
    readOnly.textProperty().bind(details.readOnlyReason());
    readOnly.visibleProperty().bind(details.readOnly());
    readOnly.managedProperty().bind(readOnly.visibleProperty());
    VBox resolveBox = new VBox(6, readOnly, resolveBar, confirm);

    VBox left = new VBox(8, heading, facts);
    VBox timelineBox = timelineBox(details.timeline());
    VBox.setVgrow(timelineBox, Priority.ALWAYS);
    details
        .mode()
        .addListener(
            (o, was, now) -> {
              if (now == Mode.PAIR) {
                left.getChildren().setAll(heading, facts, timelineBox);
              } else {
                left.getChildren().setAll(heading, facts);
              }
            });
    left.setMinWidth(340);
    left.setPrefWidth(430);
    rangeRow = new javafx.scene.layout.FlowPane(12, 4, ranges, chartKey);
    rangeRow.getStyleClass().add("range-row");
    rangeRow.setAlignment(Pos.CENTER_LEFT);
    ranges.setMinWidth(USE_PREF_SIZE);
    chartKey.visibleProperty().bind(details.mode().isEqualTo(Mode.PAIR));
    VBox sensorBox = new VBox(4, rangeRow, chartBox);
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
                chartBox.setMinHeight(150);
                sensorBox.getChildren().setAll(rangeRow, chartBox);
                getChildren().setAll(body);
              } else {
                // The commands first, always in view; the pair's two sensors overlaid below them
                // in the room that is left.
                chartBox.setMinHeight(90);
                sensorBox.getChildren().setAll(resolveBox, rangeRow, chartBox);
                getChildren().setAll(body);
              }
            });
  }

  private void redrawHistorySoon() {
    if (!historyRedrawPending) {
      historyRedrawPending = true;
      javafx.application.Platform.runLater(
          () -> {
            historyRedrawPending = false;
            showHistory();
          });
    }
  }

  private void showHistory() {
    var ids = details.charted().get();
    if (details.historyFrom().get() == null || details.historyUntil().get() == null) {
      return;
    }
    List<HistoryChart.Trace> traces = new ArrayList<>();
    if (ids.length == 2) {
      traces.add(new HistoryChart.Trace("trace-upstream", List.copyOf(details.history())));
      traces.add(
          new HistoryChart.Trace("trace-downstream", List.copyOf(details.downstreamHistory())));
      chartKey.setText(
          "●── upstream " + ids[0] + "    ○- - downstream " + ids[1] + "    ▼ problem began");
    } else {
      traces.add(new HistoryChart.Trace("trace-sensor", List.copyOf(details.history())));
    }
    chart.show(
        details.range().get(),
        details.historyFrom().get(),
        details.historyUntil().get(),
        traces,
        List.copyOf(details.marks()));
  }

  /** The pair's timeline, oldest first, and the comment box under it. */
  private static VBox timelineBox(org.kloaka.console.viewmodel.TimelineViewModel timeline) {
    Label title = new Label("Timeline");
    title.getStyleClass().add("section-title");
    javafx.scene.control.ListView<String> list =
        new javafx.scene.control.ListView<>(timeline.entries());
    list.setId("timeline");
    list.getStyleClass().add("timeline");
    list.setPrefHeight(90);
    list.setMinHeight(48);
    Label empty = new Label();
    empty.textProperty().bind(timeline.state());
    empty.setWrapText(true);
    list.setPlaceholder(empty);
    timeline
        .entries()
        .addListener(
            (ListChangeListener<String>)
                c -> list.scrollTo(Math.max(0, timeline.entries().size() - 1)));
    TextField comment = new TextField();
    comment.setId("comment-field");
    comment.setPromptText("Comment: who was called, what was found…");
    comment.textProperty().bindBidirectional(timeline.comment());
    comment.setOnAction(e -> timeline.addComment());
    comment.disableProperty().bind(timeline.mayAct().not());
    Button add = new Button("Add comment");
    add.setId("comment-button");
    add.setMinWidth(USE_PREF_SIZE);
    add.disableProperty().bind(timeline.canComment().not());
    add.setOnAction(e -> timeline.addComment());
    HBox.setHgrow(comment, Priority.ALWAYS);
    HBox row = new HBox(6, comment, add);
    row.setAlignment(Pos.CENTER_LEFT);
    VBox.setVgrow(list, Priority.ALWAYS);
    return new VBox(4, title, list, row);
  }

  /** The history chart (for tests and screenshots). */
  HistoryChart chart() {
    return chart;
  }

  /** Adds a control at the end of the chart's range row ("Export…"); the row wraps. */
  public void addChartAction(javafx.scene.Node action) {
    rangeRow.getChildren().add(action);
  }

  /** The range buttons' row (for tests). */
  javafx.scene.layout.FlowPane rangeRow() {
    return rangeRow;
  }

  public Button resolveButton() {
    return resolve;
  }

  public TextField noteField() {
    return note;
  }
}
