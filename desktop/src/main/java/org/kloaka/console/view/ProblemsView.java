package org.kloaka.console.view;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kloaka.console.viewmodel.ConsoleViewModel;
import org.kloaka.console.viewmodel.ProblemRow;
import org.kloaka.console.viewmodel.ProblemsViewModel;
import org.kloaka.console.viewmodel.Selection;
import org.kloaka.console.viewmodel.StatusFilter;
import org.kloaka.console.viewmodel.TimeText;
import org.kloaka.model.ProblemType;

/** The problems table: unresolved first, newest first; selecting a row selects its segment. */
public final class ProblemsView extends VBox {

  private static final PseudoClass OBSTRUCTION = PseudoClass.getPseudoClass("obstruction");
  private static final PseudoClass PROBLEM = PseudoClass.getPseudoClass("problem");
  private static final PseudoClass SILENT = PseudoClass.getPseudoClass("silent");
  private static final PseudoClass RESOLVED = PseudoClass.getPseudoClass("resolved");
  private static final PseudoClass CLEARED = PseudoClass.getPseudoClass("cleared");
  private static final PseudoClass FRESH = PseudoClass.getPseudoClass("fresh");
  private static final PseudoClass FAILED = PseudoClass.getPseudoClass("failed");

  private static final String ALL_TUBES = "All tubes";
  private static final String BASE_WIDTH = "kloaka.baseWidth";
  private static final String BASE_MIN_WIDTH = "kloaka.baseMinWidth";
  // The vertical scroll bar (~14 px in Modena) and the table's borders.
  private static final double SCROLL_BAR_AND_BORDERS = 20;

  private final ConsoleViewModel console;
  private final ProblemsViewModel problems;
  private final TableView<ProblemRow> table = new TableView<>();
  private final TimeText time;
  private final HBox header;
  private boolean syncingSelection;

  public ProblemsView(ConsoleViewModel console, TimeText time) {
    this.console = console;
    this.problems = console.problems();
    this.time = time;
    getStyleClass().add("problems-view");

    Label title = new Label("Problems");
    title.getStyleClass().add("pane-title");
    Label count = new Label();
    count.getStyleClass().add("count-badge");
    count.textProperty().bind(problems.unresolvedCount().asString());
    count.visibleProperty().bind(problems.unresolvedCount().greaterThan(0));
    Button resolveCleared = new Button();
    resolveCleared.setId("resolve-cleared");
    resolveCleared
        .textProperty()
        .bind(problems.clearedCount().asString("Resolve all cleared (%d)…"));
    resolveCleared
        .disableProperty()
        .bind(problems.clearedCount().isEqualTo(0).or(console.status().readOnly()));
    resolveCleared.setTooltip(
        new Tooltip("Resolve every problem whose flow is normal again (asks first)"));
    resolveCleared.setOnAction(e -> problems.resolveAllCleared());
    resolveCleared.setMinWidth(USE_PREF_SIZE);
    Region gap = new Region();
    HBox.setHgrow(gap, Priority.ALWAYS);
    header = new HBox(8, title, count, gap, resolveCleared);
    header.setAlignment(Pos.CENTER_LEFT);
    header.getStyleClass().add("pane-header");

    ChoiceBox<StatusFilter> state = new ChoiceBox<>();
    state.setId("filter-status");
    state.getItems().setAll(StatusFilter.values());
    state.valueProperty().bindBidirectional(problems.status());
    ChoiceBox<String> type = new ChoiceBox<>();
    type.setId("filter-type");
    type.getItems().setAll("Any type", "OBSTRUCTION", "PROBLEM", "SILENT");
    type.setValue("Any type");
    type.valueProperty()
        .addListener(
            (o, was, now) ->
                problems
                    .type()
                    .set(now == null || now.startsWith("Any") ? null : ProblemType.valueOf(now)));
    ChoiceBox<String> tube = new ChoiceBox<>();
    tube.setId("filter-tube");
    Runnable tubeChoices =
        () -> {
          String chosen = problems.tube().get();
          List<String> items = new ArrayList<>();
          items.add(ALL_TUBES);
          problems.tubes().forEach(t -> items.add("Tube " + t));
          tube.getItems().setAll(items);
          tube.setValue(chosen == null ? ALL_TUBES : "Tube " + chosen);
        };
    tubeChoices.run();
    // Filled when opened, not on every change: rebuilding a choice box's menu per new problem
    // was a tenth of the FX thread's time during a burst (decision 033).
    tube.setOnShowing(e -> tubeChoices.run());
    tube.valueProperty()
        .addListener(
            (o, was, now) ->
                problems
                    .tube()
                    .set(now == null || now.equals(ALL_TUBES) ? null : now.substring(5)));
    TextField text = new TextField();
    text.setId("filter-text");
    text.setPromptText("Filter: id or name");
    text.textProperty().bindBidirectional(problems.text());
    // Wide enough for an id or a street name, in em (so it grows with large text): the
    // stylesheet's .filter-text. The bar wraps rather than squeeze it (decision 037).
    text.getStyleClass().add("filter-text");
    for (ChoiceBox<?> box : List.of(state, type, tube)) {
      box.setMinWidth(USE_PREF_SIZE); // readable with large text too
    }
    Button silent = new Button();
    silent.setId("show-silent");
    silent.textProperty().bind(problems.silentCount().asString("Silent (%d)"));
    silent.setTooltip(
        new Tooltip(
            "Silent sensors: list the sensors that stopped reporting (open SILENT problems)"));
    silent.setOnAction(
        e -> {
          problems.showSilentSensors();
          type.setValue(ProblemType.SILENT.name());
          tube.setValue(ALL_TUBES);
        });
    silent.setMinWidth(USE_PREF_SIZE);
    javafx.scene.layout.FlowPane filters =
        new javafx.scene.layout.FlowPane(6, 6, state, type, tube, text, silent);
    filters.setAlignment(Pos.CENTER_LEFT);
    filters.getStyleClass().add("filter-bar");

    Button showNew = new Button();
    showNew.setId("show-new");
    showNew.getStyleClass().add("new-strip");
    showNew.setMaxWidth(Double.MAX_VALUE);
    showNew
        .textProperty()
        .bind(
            javafx.beans.binding.Bindings.createStringBinding(
                () -> {
                  int n = problems.newCount().get();
                  return (n == 1 ? "1 new problem" : n + " new problems") + " — show ↑";
                },
                problems.newCount()));
    showNew.visibleProperty().bind(problems.newCount().greaterThan(0));
    showNew.managedProperty().bind(showNew.visibleProperty());
    showNew.setOnAction(e -> problems.showNew());

    Label undoText = new Label();
    undoText.setId("undo-text");
    undoText.textProperty().bind(problems.undoText());
    Button undo = new Button("Undo  U");
    undo.setId("undo-button");
    undo.setOnAction(e -> undo());
    undo.setMinWidth(USE_PREF_SIZE);
    Region undoGap = new Region();
    HBox.setHgrow(undoGap, Priority.ALWAYS);
    HBox undoBar = new HBox(8, undoText, undoGap, undo);
    undoBar.setAlignment(Pos.CENTER_LEFT);
    undoBar.getStyleClass().add("undo-bar");
    undoBar.visibleProperty().bind(problems.undoCount().greaterThan(0));
    undoBar.managedProperty().bind(undoBar.visibleProperty());

    ConfirmBar confirmBulk = new ConfirmBar(problems.confirmation(), "confirm-bulk");

    table.setId("problems-table");
    table.setItems(problems.rows());
    table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    table.setPlaceholder(
        new Label("No problems — every pipe flows as its neighbours say it should."));
    table.getColumns().add(column("Pair", 112, ProblemRow::pairText));
    TableColumn<ProblemRow, ProblemRow> what = new TableColumn<>("Problem");
    what.setPrefWidth(132);
    what.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
    what.setCellFactory(c -> new TypeCell());
    table.getColumns().add(what);
    table.getColumns().add(timeColumn("Since", r -> r.problem().problemTime()));
    table.getColumns().add(timeColumn("Last seen", r -> r.problem().lastSeen()));
    table.getColumns().add(column("Active", 66, ProblemRow::activeText));
    TableColumn<ProblemRow, String> status =
        column("Status", 190, r -> r.error() != null ? "⚠ " + r.statusText() : r.statusText());
    table.getColumns().add(status);
    table.setRowFactory(t -> new Row());
    for (TableColumn<ProblemRow, ?> column : table.getColumns()) {
      column.getProperties().put(BASE_WIDTH, column.getPrefWidth());
      // The last column takes what is left; "unresolved" fits in 100, the longer texts are cut.
      column.getProperties().put(BASE_MIN_WIDTH, column == status ? 100.0 : column.getPrefWidth());
      column.setMinWidth((Double) column.getProperties().get(BASE_MIN_WIDTH));
    }
    // Every column stays readable: the list is never narrower than its columns' minimum widths
    // (the split pane gives the line the rest), in normal and in large text alike.
    table
        .minWidthProperty()
        .bind(
            Bindings.createDoubleBinding(
                () ->
                    table.getColumns().stream().mapToDouble(TableColumn::getMinWidth).sum()
                        + SCROLL_BAR_AND_BORDERS,
                table.getColumns().stream()
                    .map(TableColumn::minWidthProperty)
                    .toArray(javafx.beans.Observable[]::new)));
    VBox.setVgrow(table, Priority.ALWAYS);
    getChildren().addAll(header, filters, confirmBulk, undoBar, showNew, table);
    // Rows must not move under the pointer or the keyboard: new ones wait in the strip meanwhile.
    problems.hold().bind(table.hoverProperty().or(table.focusedProperty()));

    table
        .getSelectionModel()
        .selectedItemProperty()
        .addListener(
            (o, was, now) -> {
              if (syncingSelection || now == null) {
                return;
              }
              // Not inside the selection event: changing the table's items there trips JavaFX.
              String id = now.id();
              Platform.runLater(
                  () -> {
                    console.selection().set(new Selection.Pair(id));
                    problems.acknowledge(id);
                  });
            });
    console.selection().addListener((o, was, now) -> Platform.runLater(this::followSelection));
    problems
        .rows()
        .addListener(
            (javafx.collections.ListChangeListener<ProblemRow>)
                c -> Platform.runLater(this::followSelection));
  }

  /** Adds a control at the end of the header ("Export…"). */
  public void addHeaderAction(javafx.scene.Node action) {
    header.getChildren().add(action);
  }

  public TableView<ProblemRow> table() {
    return table;
  }

  /** Takes back the resolves still in their undo window and selects the first of them again. */
  void undo() {
    List<String> undone = problems.undo();
    if (!undone.isEmpty()) {
      console.selection().set(new Selection.Pair(undone.get(0)));
    }
  }

  /** The columns' natural widths times {@code factor} (large text), as minimum widths too. */
  void scaleColumns(double factor) {
    for (TableColumn<ProblemRow, ?> column : table.getColumns()) {
      double base = (Double) column.getProperties().get(BASE_WIDTH);
      column.setPrefWidth(base * factor);
      column.setMinWidth((Double) column.getProperties().get(BASE_MIN_WIDTH) * factor);
    }
  }

  /** Keeps the table's selection on the selected pair when rows are re-sorted or replaced. */
  private void followSelection() {
    syncingSelection = true;
    try {
      if (console.selection().get() instanceof Selection.Pair pair) {
        for (int i = 0; i < table.getItems().size(); i++) {
          if (table.getItems().get(i).id().equals(pair.pairId())) {
            if (table.getSelectionModel().getSelectedIndex() != i) {
              table.getSelectionModel().clearAndSelect(i);
            }
            return;
          }
        }
      }
      table.getSelectionModel().clearSelection();
    } finally {
      syncingSelection = false;
    }
  }

  private static TableColumn<ProblemRow, String> column(
      String name, double width, Function<ProblemRow, String> text) {
    TableColumn<ProblemRow, String> column = new TableColumn<>(name);
    column.setPrefWidth(width);
    column.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(text.apply(c.getValue())));
    return column;
  }

  private TableColumn<ProblemRow, Long> timeColumn(
      String name, Function<ProblemRow, Long> seconds) {
    TableColumn<ProblemRow, Long> column = new TableColumn<>(name);
    column.setPrefWidth(92);
    column.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(seconds.apply(c.getValue())));
    column.setCellFactory(
        c ->
            new TableCell<>() {
              {
                // The exact time on hover; the tooltip is made when the pointer first comes, not
                // with every cell (a tooltip is a popup control: costly by the hundred).
                setOnMouseEntered(
                    e -> {
                      if (getItem() != null) {
                        if (getTooltip() == null) {
                          setTooltip(new Tooltip());
                        }
                        getTooltip().setText(time.exactSeconds(TimeText.epoch(getItem())));
                      }
                    });
              }

              @Override
              protected void updateItem(Long item, boolean empty) {
                super.updateItem(item, empty);
                if (empty || item == null) {
                  setText(null);
                  setTooltip(null);
                  return;
                }
                setText(TimeText.relative(TimeText.epoch(item), problems.clock().instant()));
                if (getTooltip() != null) {
                  getTooltip().setText(time.exactSeconds(TimeText.epoch(item)));
                }
              }
            });
    return column;
  }

  /** The problem type with its letter, the same second cue as on the line. */
  private static final class TypeCell extends TableCell<ProblemRow, ProblemRow> {
    @Override
    protected void updateItem(ProblemRow item, boolean empty) {
      super.updateItem(item, empty);
      // A style class changed re-matches the cell's whole CSS (a pseudo-class is a cheap state
      // change): only when it really changes, or every row re-laid by the table costs that
      // (decision 038).
      boolean has = !empty && item != null;
      if (has != getStyleClass().contains("type-cell")) {
        if (has) {
          getStyleClass().add("type-cell");
        } else {
          getStyleClass().remove("type-cell");
        }
      }
      if (!has) {
        setText(null);
        return;
      }
      ProblemType type = item.problem().problem();
      setText(type.name().charAt(0) + "  " + type);
      pseudoClassStateChanged(OBSTRUCTION, type == ProblemType.OBSTRUCTION);
      pseudoClassStateChanged(PROBLEM, type == ProblemType.PROBLEM);
      pseudoClassStateChanged(SILENT, type == ProblemType.SILENT);
    }
  }

  private static final class Row extends TableRow<ProblemRow> {
    @Override
    protected void updateItem(ProblemRow item, boolean empty) {
      super.updateItem(item, empty);
      boolean has = !empty && item != null;
      pseudoClassStateChanged(RESOLVED, has && item.problem().isResolved());
      pseudoClassStateChanged(
          CLEARED, has && !item.problem().isResolved() && !item.problem().active());
      pseudoClassStateChanged(FRESH, has && item.fresh());
      pseudoClassStateChanged(FAILED, has && item.error() != null);
      setTooltip(has && item.error() != null ? new Tooltip(item.error()) : null);
    }
  }
}
