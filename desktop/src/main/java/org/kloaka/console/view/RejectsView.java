package org.kloaka.console.view;

import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.kloaka.console.viewmodel.RejectsViewModel;
import org.kloaka.console.viewmodel.TimeText;
import org.kloaka.model.Reject;

/** What devices sent that Kloaka refused, and why. */
public final class RejectsView extends VBox {

  public RejectsView(RejectsViewModel rejects, TimeText time) {
    getStyleClass().add("rejects-view");
    Label explain =
        new Label(
            "Messages devices sent that Kloaka refused, newest first — the integrator's first stop.");
    explain.getStyleClass().add("hint");
    Button refresh = new Button("Refresh");
    refresh.setOnAction(e -> rejects.refresh());
    Label state = new Label();
    state.textProperty().bind(rejects.state());
    HBox bar = new HBox(12, refresh, state, explain);
    bar.setAlignment(Pos.CENTER_LEFT);
    bar.getStyleClass().add("pane-header");

    TableView<Reject> table = new TableView<>(rejects.rows());
    table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    table.setPlaceholder(new Label("No rejected messages."));
    TableColumn<Reject, String> received = new TableColumn<>("Received");
    received.setPrefWidth(140);
    received.setCellValueFactory(
        c ->
            new ReadOnlyObjectWrapper<>(
                time.exactSeconds(TimeText.epoch(c.getValue().received()))));
    TableColumn<Reject, String> reason = new TableColumn<>("Why");
    reason.setPrefWidth(300);
    reason.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().reason()));
    TableColumn<Reject, String> payload = new TableColumn<>("Payload (first 4 KiB)");
    payload.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().payload()));
    payload.getStyleClass().add("mono");
    table.getColumns().add(received);
    table.getColumns().add(reason);
    table.getColumns().add(payload);
    VBox.setVgrow(table, Priority.ALWAYS);
    getChildren().addAll(bar, table);
  }
}
