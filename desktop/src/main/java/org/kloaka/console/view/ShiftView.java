package org.kloaka.console.view;

import java.util.function.Consumer;
import java.util.function.Function;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.kloaka.console.viewmodel.ShiftViewModel;

/**
 * The shift handover: a span (last 8 h, last 12 h, since yesterday 06:00, or typed), one summary
 * line — what opened, was acknowledged, commented on, resolved, and by whom — and the events oldest
 * first. A double click opens the pair on the line.
 */
public final class ShiftView extends VBox {

  private final TableView<ShiftViewModel.Row> table;
  private final HBox bar;

  public ShiftView(ShiftViewModel shift, Consumer<String> open) {
    getStyleClass().add("shift-view");
    ChoiceBox<ShiftViewModel.Span> span = new ChoiceBox<>();
    span.setId("shift-span");
    span.getItems().setAll(ShiftViewModel.Span.values());
    span.valueProperty().bindBidirectional(shift.span());
    span.setMinWidth(USE_PREF_SIZE);
    TextField from = field("shift-from", shift.from().get());
    from.textProperty().bindBidirectional(shift.from());
    TextField until = field("shift-until", shift.until().get());
    until.textProperty().bindBidirectional(shift.until());
    Button show = new Button("Show");
    show.setId("shift-show");
    show.setMinWidth(USE_PREF_SIZE);
    show.setTooltip(new Tooltip("Load the span: a preset ends now, custom uses From and Until"));
    show.setOnAction(e -> shift.load());
    // Typing a time makes the span custom; Enter loads it.
    for (TextField f : new TextField[] {from, until}) {
      f.setOnKeyTyped(e -> shift.span().set(ShiftViewModel.Span.CUSTOM));
      f.setOnAction(e -> shift.load());
    }
    Label state = new Label();
    state.setId("shift-state");
    state.getStyleClass().add("hint");
    state.setMinWidth(0);
    state.textProperty().bind(shift.state());
    HBox.setHgrow(state, Priority.ALWAYS);
    Label fromLabel = new Label("From");
    Label untilLabel = new Label("Until");
    fromLabel.setMinWidth(USE_PREF_SIZE);
    untilLabel.setMinWidth(USE_PREF_SIZE);
    bar = new HBox(8, span, fromLabel, from, untilLabel, until, show, state);
    bar.setAlignment(Pos.CENTER_LEFT);
    bar.getStyleClass().add("pane-header");

    Label summary = new Label();
    summary.setId("shift-summary");
    summary.getStyleClass().add("shift-summary");
    summary.setWrapText(true);
    summary.textProperty().bind(shift.summary());
    Label byWhom = new Label();
    byWhom.setId("shift-by-whom");
    byWhom.setWrapText(true);
    byWhom.textProperty().bind(shift.byWhom());
    byWhom.visibleProperty().bind(shift.byWhom().isNotEmpty());
    byWhom.managedProperty().bind(byWhom.visibleProperty());

    table = new TableView<>(shift.rows());
    table.setId("shift-table");
    table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    Label placeholder = new Label();
    placeholder.textProperty().bind(shift.empty());
    placeholder.setWrapText(true);
    table.setPlaceholder(placeholder);
    table.getColumns().add(column("Time", 140, ShiftViewModel.Row::timeText));
    table.getColumns().add(column("What", 180, ShiftViewModel.Row::what));
    table.getColumns().add(column("Pair", 240, ShiftViewModel.Row::pair));
    table.getColumns().add(column("By", 100, ShiftViewModel.Row::by));
    table.getColumns().add(column("Note", 280, ShiftViewModel.Row::note));
    // The time and what happened keep their width; the pair's names and the note give way
    // (shortened, whole on hover).
    for (TableColumn<ShiftViewModel.Row, ?> kept : table.getColumns().subList(0, 2)) {
      kept.setMinWidth(kept.getPrefWidth());
    }
    TextColumns.onRowClick(table, 2, row -> open.accept(row.problemId()));
    VBox.setVgrow(table, Priority.ALWAYS);
    setSpacing(6);
    getChildren().addAll(bar, summary, byWhom, table);
  }

  private static TextField field(String id, String text) {
    TextField field = new TextField(text);
    field.setId(id);
    field.setPromptText("2026-11-28 06:00");
    field.setPrefColumnCount(11);
    field.setMinWidth(USE_PREF_SIZE);
    return field;
  }

  private static TableColumn<ShiftViewModel.Row, String> column(
      String title, double width, Function<ShiftViewModel.Row, String> text) {
    return TextColumns.of(title, width, text);
  }

  public TableView<ShiftViewModel.Row> table() {
    return table;
  }

  /** The header bar: "Export…" goes at its end. */
  public HBox bar() {
    return bar;
  }
}
