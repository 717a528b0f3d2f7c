package org.kloaka.console.view;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import org.kloaka.console.viewmodel.Confirmation;

/**
 * A question in place, not a modal dialog: the question, the confirming button (focused, so Enter
 * confirms) and Cancel (Escape). Shown only while the view model asks.
 */
final class ConfirmBar extends HBox {

  private final Button confirm = new Button();

  ConfirmBar(Confirmation confirmation, String id) {
    getStyleClass().add("confirm-bar");
    setAlignment(Pos.CENTER_LEFT);
    setSpacing(8);
    setId(id);
    Label question = new Label();
    question.setWrapText(true);
    question.getStyleClass().add("question");
    question.setId(id + "-question");
    question.textProperty().bind(confirmation.question());
    HBox.setHgrow(question, Priority.ALWAYS);
    question.setMaxWidth(Double.MAX_VALUE);
    confirm.setId(id + "-confirm");
    confirm.getStyleClass().add("danger");
    confirm.textProperty().bind(confirmation.action());
    confirm.setDefaultButton(false);
    confirm.setOnAction(e -> confirmation.confirm());
    Button cancel = new Button("Cancel");
    cancel.setId(id + "-cancel");
    cancel.setOnAction(e -> confirmation.cancel());
    confirm.setMinWidth(USE_PREF_SIZE);
    cancel.setMinWidth(USE_PREF_SIZE);
    getChildren().addAll(question, confirm, cancel);
    setOnKeyPressed(
        e -> {
          if (e.getCode() == KeyCode.ESCAPE) {
            confirmation.cancel();
            e.consume();
          } else if (e.getCode() == KeyCode.ENTER && confirm.isFocused()) {
            confirmation.confirm();
            e.consume();
          }
        });
    visibleProperty().bind(confirmation.asking());
    managedProperty().bind(visibleProperty());
    confirmation
        .asking()
        .addListener(
            (o, was, now) -> {
              if (now) {
                javafx.application.Platform.runLater(confirm::requestFocus);
              }
            });
  }

  Button confirmButton() {
    return confirm;
  }
}
