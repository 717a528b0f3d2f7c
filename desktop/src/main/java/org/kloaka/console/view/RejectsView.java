package org.kloaka.console.view;

import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kloaka.console.viewmodel.RejectsViewModel;
import org.kloaka.console.viewmodel.TimeText;
import org.kloaka.model.Reject;

/**
 * What devices sent that Kloaka refused, and why: the list, and below it the selected message in
 * full (reason and payload, selectable, with a Copy button), kept current while shown.
 */
public final class RejectsView extends VBox {

  private final TableView<Reject> table;
  private final TextArea detail = new TextArea();
  private final HBox bar;

  public RejectsView(RejectsViewModel rejects, TimeText time) {
    getStyleClass().add("rejects-view");
    Label explain =
        new Label("Refused messages, newest first; select one to read it in full. Kept current.");
    explain.getStyleClass().add("hint");
    explain.setWrapText(true);
    explain.setMinWidth(0);
    HBox.setHgrow(explain, Priority.ALWAYS);
    Button refresh = new Button("Refresh");
    refresh.setId("rejects-refresh");
    refresh.setMinWidth(USE_PREF_SIZE); // never squeezed to "…"
    refresh.setOnAction(e -> rejects.refresh());
    Label state = new Label();
    state.setId("rejects-state");
    state.getStyleClass().add("hint");
    state.setMinWidth(USE_PREF_SIZE);
    state.textProperty().bind(rejects.state());
    bar = new HBox(12, refresh, state, explain);
    bar.setAlignment(Pos.CENTER_LEFT);
    bar.getStyleClass().add("pane-header");

    table = new TableView<>(rejects.rows());
    table.setId("rejects-table");
    table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    Label placeholder = new Label();
    placeholder.textProperty().bind(rejects.empty());
    placeholder.setWrapText(true);
    table.setPlaceholder(placeholder);
    TableColumn<Reject, String> received = new TableColumn<>("Received");
    received.setPrefWidth(150);
    received.setMinWidth(150);
    received.setCellValueFactory(
        c ->
            new ReadOnlyObjectWrapper<>(
                time.exactSeconds(TimeText.epoch(c.getValue().received()))));
    TableColumn<Reject, String> reason = new TableColumn<>("Why");
    reason.setPrefWidth(320);
    reason.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().reason()));
    reason.setCellFactory(c -> new WithTooltip());
    TableColumn<Reject, String> payload =
        new TableColumn<>("Payload (select a row to read it all)");
    payload.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(oneLine(c.getValue().payload())));
    payload.setCellFactory(c -> new WithTooltip());
    payload.getStyleClass().add("mono");
    table.getColumns().add(received);
    table.getColumns().add(reason);
    table.getColumns().add(payload);
    table
        .getSelectionModel()
        .selectedItemProperty()
        .addListener((o, was, now) -> rejects.selected().set(now));
    rejects
        .selected()
        .addListener(
            (o, was, now) -> {
              if (table.getSelectionModel().getSelectedItem() != now) {
                table.getSelectionModel().select(now);
              }
            });

    detail.setId("reject-detail");
    detail.setEditable(false); // selectable and copyable, not editable
    detail.setWrapText(true);
    detail.getStyleClass().add("mono");
    detail.setPromptText("Select a message above to read its reason and payload in full.");
    detail.textProperty().bind(rejects.detail());
    Button copy = new Button("Copy");
    copy.setId("reject-copy");
    copy.setTooltip(new Tooltip("Copy the reason and the payload to the clipboard"));
    copy.setMinWidth(USE_PREF_SIZE);
    copy.disableProperty().bind(rejects.detail().isEmpty());
    copy.setOnAction(
        e -> {
          ClipboardContent content = new ClipboardContent();
          content.putString(rejects.detail().get());
          Clipboard.getSystemClipboard().setContent(content);
        });
    Region gap = new Region();
    HBox.setHgrow(gap, Priority.ALWAYS);
    Label heading = new Label("Selected message");
    heading.getStyleClass().add("pane-title");
    HBox detailBar = new HBox(8, heading, gap, copy);
    detailBar.setAlignment(Pos.CENTER_LEFT);
    VBox.setVgrow(detail, Priority.ALWAYS);
    VBox detailBox = new VBox(6, detailBar, detail);
    detailBox.getStyleClass().add("reject-detail-box");

    SplitPane split = new SplitPane(table, detailBox);
    split.setOrientation(Orientation.VERTICAL);
    split.setDividerPositions(0.62);
    VBox.setVgrow(split, Priority.ALWAYS);
    getChildren().addAll(bar, split);
  }

  /** Adds a control at the end of the bar ("Export…"). */
  public void addAction(javafx.scene.Node action) {
    bar.getChildren().add(action);
  }

  public TableView<Reject> table() {
    return table;
  }

  public TextArea detail() {
    return detail;
  }

  /** The payload on one table line (its newlines would hide the rest). */
  private static String oneLine(String text) {
    return text == null ? "" : text.replace('\n', ' ').replace('\r', ' ');
  }

  /** A cell whose whole text shows on hover, however narrow the column. */
  private static final class WithTooltip extends TableCell<Reject, String> {
    @Override
    protected void updateItem(String item, boolean empty) {
      super.updateItem(item, empty);
      setText(empty ? null : item);
      setTooltip(empty || item == null || item.isEmpty() ? null : new Tooltip(item));
      if (getTooltip() != null) {
        getTooltip().setWrapText(true);
        getTooltip().setMaxWidth(640);
      }
    }
  }
}
