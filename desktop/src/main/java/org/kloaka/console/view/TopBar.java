package org.kloaka.console.view;

import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kloaka.console.viewmodel.StatusViewModel;

/** The system's state in words and colour, the connection, and the operator's toggles. */
final class TopBar extends HBox {

  private static final PseudoClass ALERT = PseudoClass.getPseudoClass("alert");
  private static final PseudoClass LIVE = PseudoClass.getPseudoClass("live");

  private static final PseudoClass OFFLINE = PseudoClass.getPseudoClass("offline");

  private static void headline(Label summary, StatusViewModel.Headline look) {
    for (StatusViewModel.Headline each : StatusViewModel.Headline.values()) {
      summary.pseudoClassStateChanged(
          PseudoClass.getPseudoClass(each.name().toLowerCase(java.util.Locale.ROOT)), each == look);
    }
  }

  TopBar(StatusViewModel status) {
    getStyleClass().add("top-bar");
    setAlignment(Pos.CENTER_LEFT);

    Label brand = new Label("KLOAKA");
    brand.getStyleClass().add("brand");
    Label summary = new Label();
    summary.setId("summary");
    summary.getStyleClass().add("summary");
    summary.textProperty().bind(status.summary());
    status.alert().addListener((o, was, now) -> summary.pseudoClassStateChanged(ALERT, now));
    summary.pseudoClassStateChanged(ALERT, status.alert().get());
    status.headline().addListener((o, was, now) -> headline(summary, now));
    headline(summary, status.headline().get());
    // Offline, the headline is the last known state: grey, not a confident colour.
    status.offline().addListener((o, was, now) -> summary.pseudoClassStateChanged(OFFLINE, now));

    Label connection = new Label();
    connection.setId("connection");
    connection.getStyleClass().add("connection");
    connection.textProperty().bind(status.connectionText());
    status.live().addListener((o, was, now) -> connection.pseudoClassStateChanged(LIVE, now));
    Label address = new Label();
    address.getStyleClass().add("address");
    address.textProperty().bind(status.address());
    Label signedIn = new Label();
    signedIn.setId("signed-in");
    signedIn.getStyleClass().add("address");
    signedIn
        .textProperty()
        .bind(status.signedIn().map(who -> who.isEmpty() ? "" : "signed in: " + who));
    VBox where = new VBox(0, connection, address, signedIn);
    where.setAlignment(Pos.CENTER_RIGHT);

    ToggleButton sound = new ToggleButton("♪ Sound");
    sound.setTooltip(new Tooltip("Play a sound when a new problem appears"));
    sound.selectedProperty().bindBidirectional(status.sound());
    ToggleButton large = new ToggleButton("A+ Large text");
    large.setTooltip(new Tooltip("Larger fonts for a wall screen"));
    large.selectedProperty().bindBidirectional(status.largeText());

    Region gap = new Region();
    HBox.setHgrow(gap, Priority.ALWAYS);
    getChildren().addAll(brand, summary, gap, where, sound, large);
  }
}
