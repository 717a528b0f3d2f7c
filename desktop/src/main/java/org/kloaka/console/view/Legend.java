package org.kloaka.console.view;

import java.util.EnumMap;
import java.util.Map;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Line;
import javafx.scene.shape.Shape;
import javafx.scene.text.Text;
import org.kloaka.console.viewmodel.SegmentVerdict;

/**
 * The key to the line's colours — and the line's palette: its swatches are shapes styled by the
 * stylesheet's pseudo-classes ({@code .segment:obstruction}, {@code .sensor:stale}, …), and the
 * canvas copies their computed stroke, width and dashes, so the colours live in one place.
 */
final class Legend extends FlowPane {

  enum NodeLook {
    CORRECT("correct", "full"),
    LOW("low", "low"),
    NO("no", "no flow"),
    STALE("stale", "stale"),
    UNKNOWN("unknown", "no data");

    final String pseudoClass;
    final String label;

    NodeLook(String pseudoClass, String label) {
      this.pseudoClass = pseudoClass;
      this.label = label;
    }
  }

  private final Map<SegmentVerdict, Line> segments = new EnumMap<>(SegmentVerdict.class);
  private final Map<NodeLook, Circle> nodes = new EnumMap<>(NodeLook.class);
  private final Line selected = new Line(0, 0, 22, 0);
  private final Text label = new Text("01");

  Legend() {
    getStyleClass().add("legend");
    setAlignment(Pos.CENTER_LEFT);
    for (SegmentVerdict verdict : SegmentVerdict.values()) {
      Line line = new Line(0, 0, 26, 0);
      line.getStyleClass().add("segment");
      line.pseudoClassStateChanged(PseudoClass.getPseudoClass(verdict.pseudoClass()), true);
      segments.put(verdict, line);
      getChildren()
          .add(
              entry(
                  line,
                  switch (verdict) {
                    case OK -> "OK";
                    case OBSTRUCTION -> "Obstruction (O)";
                    case PROBLEM -> "Problem (P)";
                    case SILENT -> "Silent sensor (S)";
                    case UNKNOWN -> "Unknown (?)";
                  }));
    }
    for (NodeLook look : NodeLook.values()) {
      Circle circle = new Circle(6);
      circle.getStyleClass().add("sensor");
      circle.pseudoClassStateChanged(PseudoClass.getPseudoClass(look.pseudoClass), true);
      nodes.put(look, circle);
    }
    Label levels = new Label("Sensor: ● full  ◐ low  ○ no flow  ◌ stale");
    levels.getStyleClass().add("legend-entry");
    levels.setMinWidth(USE_PREF_SIZE);
    getChildren().add(levels);
    selected.getStyleClass().addAll("segment", "selection-halo");
    label.getStyleClass().add("line-label");
    for (Shape probe : new Shape[] {selected, label}) {
      probe.setManaged(false);
      probe.setVisible(false);
      getChildren().add(probe);
    }
    for (Circle circle : nodes.values()) {
      circle.setManaged(false);
      circle.setVisible(false);
      getChildren().add(circle);
    }
  }

  private static HBox entry(Shape swatch, String text) {
    Label label = new Label(text);
    label.setMinWidth(USE_PREF_SIZE); // wrap to a second line rather than cut words
    HBox box = new HBox(6, swatch, label);
    box.setAlignment(Pos.CENTER_LEFT);
    box.getStyleClass().add("legend-entry");
    return box;
  }

  Line segment(SegmentVerdict verdict) {
    return segments.get(verdict);
  }

  Circle node(NodeLook look) {
    return nodes.get(look);
  }

  Line selection() {
    return selected;
  }

  Text label() {
    return label;
  }
}
