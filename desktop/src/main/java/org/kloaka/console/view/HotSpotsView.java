package org.kloaka.console.view;

import java.util.function.Consumer;
import java.util.function.Function;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.kloaka.console.viewmodel.HotSpotsViewModel;
import org.kloaka.console.viewmodel.TimeText;
import org.kloaka.model.PairInsights;

/**
 * Hot spots: the pairs that fault again and again over the chosen window, worst first, with how
 * long they stayed open and how fast they were answered. A click opens the pair on the line with
 * its pair chart.
 */
public final class HotSpotsView extends VBox {

  private final TableView<PairInsights.Row> table;
  private final HBox bar;

  /**
   * @param open what a click on a row does (selects the pair on the line)
   */
  public HotSpotsView(HotSpotsViewModel hotSpots, TimeText time, Consumer<PairInsights.Row> open) {
    getStyleClass().add("hot-spots-view");
    Label title = new Label("Hot spots");
    title.getStyleClass().add("pane-title");
    ChoiceBox<Integer> window = new ChoiceBox<>();
    window.setId("hot-spots-days");
    window.getItems().setAll(HotSpotsViewModel.WINDOWS);
    window.setConverter(
        new StringConverter<>() {
          @Override
          public String toString(Integer days) {
            return days == null ? "" : "last " + days + " days";
          }

          @Override
          public Integer fromString(String text) {
            return Integer.valueOf(text.replaceAll("\\D", ""));
          }
        });
    window.valueProperty().bindBidirectional(hotSpots.days());
    window.setMinWidth(USE_PREF_SIZE);
    Button refresh = new Button("Refresh");
    refresh.setId("hot-spots-refresh");
    refresh.setMinWidth(USE_PREF_SIZE);
    refresh.setOnAction(e -> hotSpots.refresh());
    Label state = new Label();
    state.setId("hot-spots-state");
    state.getStyleClass().add("hint");
    state.setMinWidth(0);
    state.textProperty().bind(hotSpots.state());
    HBox.setHgrow(state, Priority.ALWAYS);
    Region gap = new Region();
    HBox.setHgrow(gap, Priority.ALWAYS);
    bar = new HBox(10, title, window, refresh, state, gap);
    bar.setAlignment(Pos.CENTER_LEFT);
    bar.getStyleClass().add("pane-header");

    Label explain =
        new Label(
            "Worst first: most faults opened in the window, then longest open. Open: their time open,"
                + " summed; to ack, to resolve: the median time from opening. Click a row for the pair"
                + " on the line.");
    explain.getStyleClass().add("hint");
    explain.setWrapText(true);

    table = new TableView<>(hotSpots.rows());
    table.setId("hot-spots-table");
    table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    table.getStyleClass().add("hot-spots-table");
    Label placeholder = new Label();
    placeholder.textProperty().bind(hotSpots.empty());
    placeholder.setWrapText(true);
    table.setPlaceholder(placeholder);
    // Fits the centre of a 1440 px window; every cell's whole text shows on hover.
    table.getColumns().add(column("#", 30, this::rankOf));
    table
        .getColumns()
        .add(TextColumns.of("Type", 46, HotSpotsView::letter, r -> String.valueOf(r.problem())));
    TableColumn<PairInsights.Row, String> pair = column("Pair", 250, HotSpotsViewModel::pairText);
    table.getColumns().add(pair);
    table.getColumns().add(column("Faults", 56, r -> String.valueOf(r.occurrences())));
    table.getColumns().add(column("Open", 96, r -> HotSpotsViewModel.duration(r.openS())));
    table
        .getColumns()
        .add(column("Longest", 96, r -> HotSpotsViewModel.duration(r.longestOpenS())));
    table.getColumns().add(column("To ack", 84, r -> HotSpotsViewModel.duration(r.medianAckS())));
    table
        .getColumns()
        .add(column("To resolve", 96, r -> HotSpotsViewModel.duration(r.medianResolveS())));
    table
        .getColumns()
        .add(column("Last fault", 136, r -> time.exact(TimeText.epoch(r.lastProblemTime()))));
    // The figures keep their width; the pair's names give way (shortened, whole on hover).
    for (TableColumn<PairInsights.Row, ?> c : table.getColumns()) {
      c.setMinWidth(c == pair ? 120 : c.getPrefWidth());
    }
    TextColumns.onRowClick(table, 1, open);
    table.setOnKeyPressed(
        e -> {
          PairInsights.Row selected = table.getSelectionModel().getSelectedItem();
          if (e.getCode() == KeyCode.ENTER && selected != null) {
            open.accept(selected);
            e.consume();
          }
        });
    VBox.setVgrow(table, Priority.ALWAYS);
    setSpacing(6);
    getChildren().addAll(bar, explain, table);
  }

  /** O, P or S as on the line and in the problem list; the tooltip names it. */
  private static String letter(PairInsights.Row row) {
    return row.problem() == null ? "?" : row.problem().name().substring(0, 1);
  }

  private String rankOf(PairInsights.Row row) {
    return String.valueOf(table.getItems().indexOf(row) + 1);
  }

  private static TableColumn<PairInsights.Row, String> column(
      String title, double width, Function<PairInsights.Row, String> text) {
    return TextColumns.of(title, width, text);
  }

  public TableView<PairInsights.Row> table() {
    return table;
  }

  /** The header bar: "Export…" goes at its end. */
  public HBox bar() {
    return bar;
  }
}
