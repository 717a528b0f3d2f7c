package org.kloaka.console.view;

import java.time.Instant;
import javafx.animation.AnimationTimer;
import javafx.beans.value.ChangeListener;
import javafx.css.PseudoClass;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Pane;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Line;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;
import javafx.util.Duration;
import org.kloaka.console.viewmodel.ConsoleViewModel;
import org.kloaka.console.viewmodel.LineViewModel;
import org.kloaka.console.viewmodel.Segment;
import org.kloaka.console.viewmodel.SegmentVerdict;
import org.kloaka.console.viewmodel.Selection;
import org.kloaka.console.viewmodel.SensorNode;
import org.kloaka.console.viewmodel.TimeText;
import org.kloaka.model.Level;

/**
 * The sewer line on one {@link Canvas}: a node set of 4,000 shapes would cost far more per pulse
 * than drawing only what is visible. Redraws at most once per pulse, only when the view model's
 * revision moved or the operator zoomed or panned.
 */
public final class LineView extends StackPane {

  private static final PseudoClass OFFLINE = PseudoClass.getPseudoClass("offline");
  private static final double NODE_RADIUS = 9;
  private static final double MIN_SCALE = 0.04;
  private static final double MAX_SCALE = 4;

  /** Below this scale the line is drawn as an overview (see drawOverview). */
  private static final double OVERVIEW_BELOW = 0.3;

  /** Redraws caused by data, not by the operator, at most this often. */
  private static final long DATA_REDRAW_NANOS = 50_000_000L;

  private final ConsoleViewModel console;
  private final LineViewModel line;
  private final Legend legend;
  private final Pane surface = new Pane();
  private final Canvas canvas = new Canvas();
  private final Label empty = new Label();
  private final Tooltip tooltip = new Tooltip();
  private LineLayout layout;
  private double scale = 1;
  private double tx;
  private double ty;

  /** Until the operator zooms or pans, the line follows the window's size. */
  private boolean autoFit = true;

  private boolean dirty = true;

  /** The operator zoomed, panned or selected: redraw on the next pulse, whatever the rate. */
  private boolean interacted;

  private long lastDraw;
  private double dragX;
  private double dragY;
  private boolean dragged;
  private long draws;

  public LineView(ConsoleViewModel console, Legend legend) {
    this.console = console;
    this.line = console.line();
    this.legend = legend;
    getStyleClass().add("line-view");
    surface.getStyleClass().add("line-surface");
    surface.getChildren().add(canvas);
    canvas.widthProperty().bind(surface.widthProperty());
    canvas.heightProperty().bind(surface.heightProperty());
    empty.getStyleClass().add("empty-state");
    empty.setWrapText(true);
    empty.textProperty().bind(console.status().emptyHint());
    getChildren().addAll(surface, empty, legend);
    StackPane.setAlignment(legend, javafx.geometry.Pos.BOTTOM_LEFT);
    legend.setMaxSize(USE_PREF_SIZE, USE_PREF_SIZE);
    tooltip.setShowDelay(Duration.millis(250));

    ChangeListener<Object> redraw = (o, was, now) -> dirty = true;
    line.revision().addListener(redraw);
    line.layoutRevision()
        .addListener(
            (o, was, now) -> {
              layout = null;
              dirty = true;
            });
    console
        .selection()
        .addListener(
            (o, was, now) -> {
              dirty = true;
              interacted = true;
            });
    canvas.widthProperty().addListener(redraw);
    canvas.heightProperty().addListener(redraw);
    console
        .status()
        .live()
        .addListener(
            (o, was, now) -> {
              pseudoClassStateChanged(OFFLINE, !now);
              dirty = true;
            });
    pseudoClassStateChanged(OFFLINE, !console.status().live().get());

    canvas.setOnScroll(this::onScroll);
    setFocusTraversable(true); // so that the console's shortcut keys work from the line
    canvas.setOnMousePressed(
        e -> {
          requestFocus();
          dragX = e.getX();
          dragY = e.getY();
          dragged = false;
        });
    canvas.setOnMouseDragged(
        e -> {
          tx += e.getX() - dragX;
          ty += e.getY() - dragY;
          dragged |= Math.abs(e.getX() - dragX) + Math.abs(e.getY() - dragY) > 2;
          dragX = e.getX();
          dragY = e.getY();
          autoFit = false;
          dirty = true;
        });
    canvas.setOnMouseClicked(this::onClick);
    canvas.setOnMouseMoved(this::onHover);

    new AnimationTimer() {
      @Override
      public void handle(long now) {
        if (dirty && (interacted || now - lastDraw >= DATA_REDRAW_NANOS)) {
          dirty = false;
          interacted = false;
          lastDraw = now;
          draw();
        }
      }
    }.start();
  }

  /** Scales the whole line into the window. */
  public void fit() {
    autoFit = true;
    dirty = true;
    interacted = true;
  }

  private void applyFit() {
    LineLayout current = lineLayout();
    double w = Math.max(1, canvas.getWidth());
    // Leave the bottom strip to the legend.
    double h = Math.max(1, canvas.getHeight() - legend.getHeight());
    if (current.width <= 0 || current.height <= 0) {
      return;
    }
    scale = clamp(Math.min(w / current.width, h / current.height));
    scale = Math.min(scale, 1.6);
    tx = (w - current.width * scale) / 2;
    ty = Math.max(0, (h - current.height * scale) / 2);
  }

  /** Zooms about the centre of the view by {@code factor}. */
  public void zoom(double factor) {
    zoomAt(factor, canvas.getWidth() / 2, canvas.getHeight() / 2);
  }

  /** Zooms to an absolute scale (1 = the line's natural size) about the centre of the view. */
  public void zoomTo(double target) {
    zoom(target / scale);
  }

  /** Centres a sensor and selects it. */
  public void reveal(SensorNode node) {
    LineLayout.Place place = lineLayout().places.get(node);
    if (place == null) {
      return;
    }
    scale = Math.max(scale, 0.8);
    tx = canvas.getWidth() / 2 - place.x() * scale;
    ty = canvas.getHeight() / 2 - place.y() * scale;
    autoFit = false;
    console.selection().set(new Selection.Sensor(node.id()));
    dirty = true;
  }

  /** How many times the canvas was drawn (for the benchmark). */
  public long draws() {
    return draws;
  }

  /** Screen position of a sensor's centre, for tests that click on it. */
  public javafx.geometry.Point2D screenPointOf(SensorNode node) {
    LineLayout.Place place = lineLayout().places.get(node);
    return canvas.localToScreen(tx + place.x() * scale, ty + place.y() * scale);
  }

  /** Screen position of a segment's middle. */
  public javafx.geometry.Point2D screenPointOf(Segment segment) {
    LineLayout.Place a = lineLayout().places.get(segment.upstream());
    LineLayout.Place b = lineLayout().places.get(segment.downstream());
    return canvas.localToScreen(tx + (a.x() + b.x()) / 2 * scale, ty + (a.y() + b.y()) / 2 * scale);
  }

  private LineLayout lineLayout() {
    if (layout == null) {
      layout = new LineLayout(line);
    }
    return layout;
  }

  private static double clamp(double value) {
    return Math.max(MIN_SCALE, Math.min(MAX_SCALE, value));
  }

  private void zoomAt(double factor, double x, double y) {
    double next = clamp(scale * factor);
    double applied = next / scale;
    tx = x - (x - tx) * applied;
    ty = y - (y - ty) * applied;
    scale = next;
    autoFit = false;
    dirty = true;
    interacted = true;
  }

  private void onScroll(ScrollEvent e) {
    if (e.isControlDown() || e.getDeltaX() == 0) {
      zoomAt(Math.pow(1.0015, e.getDeltaY()), e.getX(), e.getY());
    } else {
      tx += e.getDeltaX();
      ty += e.getDeltaY();
      autoFit = false;
      dirty = true;
    }
    e.consume();
  }

  private void onClick(MouseEvent e) {
    if (dragged || e.getButton() != MouseButton.PRIMARY) {
      return;
    }
    if (e.getClickCount() == 2) {
      fit();
      return;
    }
    double wx = (e.getX() - tx) / scale;
    double wy = (e.getY() - ty) / scale;
    SensorNode node = sensorAt(wx, wy);
    if (node != null) {
      console.selection().set(new Selection.Sensor(node.id()));
      return;
    }
    Segment segment = segmentAt(wx, wy);
    console.selection().set(segment == null ? null : new Selection.Pair(segment.pairId()));
  }

  private void onHover(MouseEvent e) {
    double wx = (e.getX() - tx) / scale;
    double wy = (e.getY() - ty) / scale;
    SensorNode node = sensorAt(wx, wy);
    if (node == null) {
      Segment segment = segmentAt(wx, wy);
      if (segment == null) {
        Tooltip.uninstall(canvas, tooltip);
        return;
      }
      tooltip.setText(
          segment.upstream().id() + " → " + segment.downstream().id() + ": " + segment.verdict());
    } else {
      tooltip.setText(describe(node));
    }
    Tooltip.install(canvas, tooltip);
  }

  private String describe(SensorNode node) {
    if (node.value() == null) {
      return node.label() + "\nno data yet";
    }
    Instant now = line.clock().instant();
    String text = node.label() + "\n" + node.level() + " (" + node.value() + " %)";
    if (line.isStale(node)) {
      text += "\nsilent " + TimeText.span(now.getEpochSecond() - node.lastUpdate());
    } else {
      text += "\n" + TimeText.relative(Instant.ofEpochSecond(node.lastUpdate()), now);
    }
    return text;
  }

  private SensorNode sensorAt(double wx, double wy) {
    LineLayout.Row row = lineLayout().rowAt(wy);
    if (row == null || row.sensors().isEmpty()) {
      return null;
    }
    int index = (int) Math.round((wx - row.offset()) / LineLayout.STEP);
    if (index < 0 || index >= row.sensors().size()) {
      return null;
    }
    double dx = wx - row.x(index);
    double dy = wy - row.y();
    double reach = Math.max(NODE_RADIUS + 4, 8 / scale);
    return dx * dx + dy * dy <= reach * reach ? row.sensors().get(index) : null;
  }

  private Segment segmentAt(double wx, double wy) {
    double reach = Math.max(8, 6 / scale);
    LineLayout.Row row = lineLayout().rowAt(wy);
    if (row != null && Math.abs(wy - row.y()) <= reach) {
      int index = (int) Math.floor((wx - row.offset()) / LineLayout.STEP);
      if (index >= 0 && index < row.next().length && row.next()[index] != null) {
        return row.next()[index];
      }
    }
    for (Segment link : lineLayout().links) {
      LineLayout.Place a = lineLayout().places.get(link.upstream());
      LineLayout.Place b = lineLayout().places.get(link.downstream());
      if (a != null
          && b != null
          && distanceToSegment(wx, wy, a.x(), a.y(), b.x(), b.y()) <= reach) {
        return link;
      }
    }
    return null;
  }

  private static double distanceToSegment(
      double px, double py, double ax, double ay, double bx, double by) {
    double dx = bx - ax;
    double dy = by - ay;
    double t = ((px - ax) * dx + (py - ay) * dy) / Math.max(1e-9, dx * dx + dy * dy);
    t = Math.max(0, Math.min(1, t));
    double cx = ax + t * dx - px;
    double cy = ay + t * dy - py;
    return Math.sqrt(cx * cx + cy * cy);
  }

  private void draw() {
    draws++;
    LineLayout current = lineLayout();
    if (autoFit) {
      applyFit();
    }
    GraphicsContext g = canvas.getGraphicsContext2D();
    double w = canvas.getWidth();
    double h = canvas.getHeight();
    g.setTransform(1, 0, 0, 1, 0, 0);
    g.clearRect(0, 0, w, h);
    empty.setVisible(line.sensorCount() == 0);
    if (line.sensorCount() == 0) {
      return;
    }
    g.setGlobalAlpha(console.status().live().get() ? 1.0 : 0.45);
    g.setTransform(scale, 0, 0, scale, tx, ty);
    double left = -tx / scale - LineLayout.STEP;
    double right = (w - tx) / scale + LineLayout.STEP;
    double top = -ty / scale - LineLayout.ROW;
    double bottom = (h - ty) / scale + LineLayout.ROW;
    boolean labels = scale >= 0.45;
    boolean letters = scale >= 0.3;
    Selection selection = console.selection().get();
    String selectedPair = selection instanceof Selection.Pair p ? p.pairId() : null;
    Object selectedSensor = selection instanceof Selection.Sensor s ? s.id() : null;

    for (Segment link : current.links) {
      LineLayout.Place a = current.places.get(link.upstream());
      LineLayout.Place b = current.places.get(link.downstream());
      if (a != null && b != null) {
        drawLink(g, link, a, b, link.pairId().equals(selectedPair), letters);
      }
    }
    for (LineLayout.Row row : current.rows) {
      if (row.y() < top || row.y() > bottom || row.sensors().isEmpty()) {
        continue;
      }
      int first = row.firstIndexFrom(left);
      int last = row.lastIndexTo(right);
      if (labels || scale >= 0.15) {
        drawTubeLabel(g, row);
      }
      if (scale < OVERVIEW_BELOW) {
        drawOverview(g, row, first, last, selectedPair, selectedSensor);
        continue;
      }
      for (int i = first; i <= last && i < row.next().length; i++) {
        Segment segment = row.next()[i];
        if (segment != null) {
          drawStraight(
              g,
              segment,
              row.x(i),
              row.x(i + 1),
              row.y(),
              segment.pairId().equals(selectedPair),
              letters);
        }
      }
      for (int i = first; i <= last; i++) {
        SensorNode node = row.sensors().get(i);
        drawNode(g, node, row.x(i), row.y(), node.id().equals(selectedSensor), labels);
      }
    }
    g.setGlobalAlpha(1);
  }

  /**
   * Zoomed far out a node is a pixel or two: draw each run of equal verdicts as one stroke and only
   * the sensors that need attention (stale, never reported, selected) as marks. This keeps a
   * 2,000-sensor overview cheap to render, even on the software pipeline.
   */
  private void drawOverview(
      GraphicsContext g,
      LineLayout.Row row,
      int first,
      int last,
      String selectedPair,
      Object selectedSensor) {
    Segment[] next = row.next();
    int i = first;
    while (i <= last && i < next.length) {
      if (next[i] == null) {
        i++;
        continue;
      }
      SegmentVerdict verdict = next[i].verdict();
      int end = i;
      while (end + 1 <= last
          && end + 1 < next.length
          && next[end + 1] != null
          && next[end + 1].verdict() == verdict) {
        end++;
      }
      stroke(g, verdict, false);
      g.setLineWidth(
          Math.max(legend.segment(verdict).getStrokeWidth(), 2.5 / scale)
              * (verdict == SegmentVerdict.OBSTRUCTION ? 1.6 : 1));
      if (verdict != SegmentVerdict.OK && verdict != SegmentVerdict.UNKNOWN) {
        g.setLineDashes((double[]) null); // dashes of a few pixels turn to noise this far out
      }
      g.strokeLine(row.x(i), row.y(), row.x(end + 1), row.y());
      i = end + 1;
    }
    double mark = 3 / scale;
    for (int k = first; k <= last; k++) {
      SensorNode node = row.sensors().get(k);
      boolean selected = node.id().equals(selectedSensor);
      if (selected || node.value() == null || line.isStale(node)) {
        Circle style =
            legend.node(node.value() == null ? Legend.NodeLook.UNKNOWN : Legend.NodeLook.STALE);
        g.setFill(selected ? legend.selection().getStroke() : style.getStroke());
        double size = selected ? mark * 3 : mark * 1.6;
        g.fillRect(row.x(k) - size / 2, row.y() - size / 2, size, size);
      }
    }
    if (selectedPair != null) {
      for (int k = first; k <= last && k < next.length; k++) {
        if (next[k] != null && next[k].pairId().equals(selectedPair)) {
          stroke(g, SegmentVerdict.OK, true);
          g.setLineWidth(12 / scale);
          g.strokeLine(row.x(k), row.y(), row.x(k + 1), row.y());
        }
      }
    }
  }

  private void stroke(GraphicsContext g, SegmentVerdict verdict, boolean halo) {
    Line style = halo ? legend.selection() : legend.segment(verdict);
    g.setStroke(style.getStroke());
    double width = style.getStrokeWidth();
    g.setLineWidth(halo ? width : width);
    if (halo || style.getStrokeDashArray().isEmpty()) {
      g.setLineDashes((double[]) null);
    } else {
      g.setLineDashes(
          style.getStrokeDashArray().stream().mapToDouble(Double::doubleValue).toArray());
    }
  }

  private void drawStraight(
      GraphicsContext g,
      Segment segment,
      double x1,
      double x2,
      double y,
      boolean selected,
      boolean letters) {
    SegmentVerdict verdict = segment.verdict();
    if (selected) {
      stroke(g, verdict, true);
      g.strokeLine(x1, y, x2, y);
    }
    stroke(g, verdict, false);
    g.strokeLine(x1 + NODE_RADIUS, y, x2 - NODE_RADIUS, y);
    if (letters) {
      drawBadge(g, verdict, (x1 + x2) / 2, y);
    }
  }

  private void drawLink(
      GraphicsContext g,
      Segment link,
      LineLayout.Place a,
      LineLayout.Place b,
      boolean selected,
      boolean letters) {
    SegmentVerdict verdict = link.verdict();
    double mx = (a.x() + b.x()) / 2;
    for (int pass = selected ? 0 : 1; pass < 2; pass++) {
      stroke(g, verdict, pass == 0);
      g.beginPath();
      g.moveTo(a.x(), a.y());
      g.bezierCurveTo(
          mx + LineLayout.STEP * 0.3, a.y(), mx - LineLayout.STEP * 0.3, b.y(), b.x(), b.y());
      g.stroke();
    }
    if (letters) {
      drawBadge(g, verdict, mx, (a.y() + b.y()) / 2);
    }
  }

  /** The second cue besides colour: a letter in a small disc on every segment that is not OK. */
  private void drawBadge(GraphicsContext g, SegmentVerdict verdict, double x, double y) {
    if (verdict == SegmentVerdict.OK) {
      return;
    }
    Paint paint = legend.segment(verdict).getStroke();
    g.setLineDashes((double[]) null);
    g.setFill(paint);
    g.fillOval(x - 8, y - 8, 16, 16);
    g.setFill(Color.WHITE);
    g.setFont(Font.font("System", FontWeight.BOLD, 11));
    g.setTextAlign(TextAlignment.CENTER);
    g.setTextBaseline(VPos.CENTER);
    g.fillText(verdict.letter(), x, y + 0.5);
  }

  private void drawNode(
      GraphicsContext g, SensorNode node, double x, double y, boolean selected, boolean labels) {
    Level level = node.level();
    Legend.NodeLook look;
    if (level == null) {
      look = Legend.NodeLook.UNKNOWN;
    } else if (line.isStale(node)) {
      look = Legend.NodeLook.STALE;
    } else {
      look =
          switch (level) {
            case CORRECT -> Legend.NodeLook.CORRECT;
            case LOW -> Legend.NodeLook.LOW;
            case NO -> Legend.NodeLook.NO;
          };
    }
    Circle style = legend.node(look);
    double r = NODE_RADIUS;
    if (selected) {
      g.setLineDashes((double[]) null);
      g.setStroke(legend.selection().getStroke());
      g.setLineWidth(6);
      g.strokeOval(x - r - 4, y - r - 4, 2 * r + 8, 2 * r + 8);
    }
    g.setFill(Color.WHITE);
    g.fillOval(x - r, y - r, 2 * r, 2 * r);
    if (look != Legend.NodeLook.STALE && look != Legend.NodeLook.UNKNOWN && level != Level.NO) {
      g.setFill(style.getFill());
      if (level == Level.CORRECT) {
        g.fillOval(x - r, y - r, 2 * r, 2 * r);
      } else {
        g.fillArc(x - r, y - r, 2 * r, 2 * r, 180, 180, javafx.scene.shape.ArcType.CHORD);
      }
    }
    g.setStroke(style.getStroke());
    g.setLineWidth(style.getStrokeWidth());
    g.setLineDashes(
        style.getStrokeDashArray().isEmpty()
            ? null
            : style.getStrokeDashArray().stream().mapToDouble(Double::doubleValue).toArray());
    g.strokeOval(x - r, y - r, 2 * r, 2 * r);
    if (labels) {
      g.setFill(legend.label().getFill());
      g.setTextAlign(TextAlignment.CENTER);
      g.setTextBaseline(VPos.TOP);
      g.setFont(Font.font("System", FontWeight.BOLD, 12));
      g.fillText(node.id().toString(), x, y + r + 5);
      if (node.name() != null) {
        g.setFont(Font.font("System", 10.5));
        g.fillText(shorten(node.name()), x, y + r + 20);
      }
    }
  }

  private void drawTubeLabel(GraphicsContext g, LineLayout.Row row) {
    g.setFill(legend.label().getFill());
    g.setTextAlign(TextAlignment.LEFT);
    g.setTextBaseline(VPos.BOTTOM);
    g.setFont(Font.font("System", FontWeight.BOLD, 13));
    g.fillText(row.tube().label(), row.offset() - NODE_RADIUS, row.y() - NODE_RADIUS - 14);
  }

  private static String shorten(String name) {
    return name.length() <= 16 ? name : name.substring(0, 15) + "…";
  }
}
