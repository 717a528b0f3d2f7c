package org.kloaka.console.view;

import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.kloaka.console.viewmodel.StatusViewModel;

/** Connection state, backend address, the last event, and the last error or information. */
final class StatusBar extends HBox {

  private static final PseudoClass LIVE = PseudoClass.getPseudoClass("live");
  private static final PseudoClass INFO = PseudoClass.getPseudoClass("info");

  StatusBar(StatusViewModel status) {
    getStyleClass().add("status-bar");
    setAlignment(Pos.CENTER_LEFT);
    Label dot = new Label("●");
    dot.getStyleClass().add("status-dot");
    status.live().addListener((o, was, now) -> dot.pseudoClassStateChanged(LIVE, now));
    Label connection = new Label();
    connection.setId("status-connection");
    connection.textProperty().bind(status.connectionText());
    Label address = new Label();
    address.textProperty().bind(status.address());
    Label last = new Label();
    last.setId("last-event");
    last.textProperty().bind(status.lastEventText());
    Label message = new Label();
    message.setId("message");
    message.getStyleClass().add("message");
    message.textProperty().bind(status.message());
    Button dismiss = new Button("✕");
    dismiss.getStyleClass().add("flat");
    dismiss.setOnAction(e -> status.dismissMessage());
    HBox messageBox = new HBox(6, message, dismiss);
    messageBox.setAlignment(Pos.CENTER_LEFT);
    messageBox.getStyleClass().add("message-box");
    messageBox.visibleProperty().bind(status.message().isNotEmpty());
    messageBox.managedProperty().bind(messageBox.visibleProperty());
    status
        .messageIsInfo()
        .addListener(
            (o, was, now) -> {
              messageBox.pseudoClassStateChanged(INFO, now);
              message.pseudoClassStateChanged(INFO, now);
            });
    Region gap = new Region();
    HBox.setHgrow(gap, Priority.ALWAYS);
    getChildren().addAll(dot, connection, sep(), address, sep(), last, gap, messageBox);
  }

  private static Label sep() {
    Label sep = new Label("·");
    sep.getStyleClass().add("sep");
    return sep;
  }
}
