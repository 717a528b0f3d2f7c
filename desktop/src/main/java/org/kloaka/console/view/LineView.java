package org.kloaka.console.view;

import java.time.Instant;
import javafx.animation.AnimationTimer;
import javafx.beans.value.ChangeListener;
import javafx.css.PseudoClass;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Pane;
import javafx.scene.layout.StackPane;
import javafx.util.Duration;
import org.kloaka.console.viewmodel.ConsoleViewModel;
import org.kloaka.console.viewmodel.LineViewModel;
import org.kloaka.console.viewmodel.Segment;
import org.kloaka.console.viewmodel.Selection;
import org.kloaka.console.viewmodel.SensorNode;
import org.kloaka.console.viewmodel.TimeText;

/**
 * The sewer line on one {@link Canvas}: a node set of 4,000 shapes would cost far more per pulse
 * than drawing only what is visible. Redraws at most once per pulse, only when the view model's
 * revision moved or the operator zoomed or panned; a new selection redraws only its own small
 * layer. What the line looks like is {@link LinePainter}'s; the operator's zoom, pan, clicks and
 * hover are here.
 */
public final class LineView extends StackPane {

  private static final PseudoClass OFFLINE = PseudoClass.getPseudoClass("offline");
  private static final double NODE_RADIUS = LinePainter.NODE_RADIUS;
  private static final double MIN_SCALE = 0.04;
  private static final double MAX_SCALE = 4;

  private static final double OVERVIEW_BELOW = LinePainter.OVERVIEW_BELOW;

  /**
   * Redraws caused by data, not by the operator, at most this often: five a second is live enough
   * to watch, and leaves the renderer time to answer the operator's clicks at once during a burst
   * of pushes (decision 029). The operator's own zoom, pan and selection redraw on the next pulse.
   */
  private static final long DATA_REDRAW_NANOS = 200_000_000L;

  /**
   * ... and twice a second during a burst of pushes: each data redraw of the fitted line is a full
   * frame for the renderer, and an operator's click waits for the frame before it (decision 037).
   */
  private static final long DATA_REDRAW_IN_A_BURST_NANOS = 500_000_000L;

  private final ConsoleViewModel console;
  private final LineViewModel line;
  private final Legend legend;
  private final Pane surface = new Pane();
  private final Canvas canvas = new Canvas();

  /**
   * The selection on its own small canvas over the line, the size of what it draws: a click
   * repaints this box instead of the whole line (the software renderer repaints a changed canvas in
   * full; the fitted line at 2,000 sensors is 20–90 ms of the renderer's time a frame, and the next
   * frame waits for it — decision 038).
   */
  private final Canvas selectionLayer = new Canvas();

  private final LinePainter painter;
  private final Label empty = new Label();

  /**
   * What the pointer rests on, in the scene (not a {@code Tooltip}): a tooltip is a popup window,
   * and showing or hiding a window waits for the renderer's lock — during a burst of pushes, with
   * the software renderer busy, that held the FX thread (and every click) for up to 1.4 s (decision
   * 037).
   */
  private final Label hover = new Label();

  private final javafx.animation.PauseTransition hoverDelay =
      new javafx.animation.PauseTransition(Duration.millis(250));

  private double hoverX;
  private double hoverY;
  private String hoverText;
  private LineLayout layout;
  private final AnimationTimer pulse;

  /** Kept: the timer runs only while this view is in a showing window (see the constructor). */
  private final javafx.beans.value.ObservableValue<Boolean> showing;

  /**
   * Vertical scale: equal to {@link #scale} except in the overview, where the tubes' rows spread
   * over the window's height so that each keeps room for its name and its problem marks.
   */
  private double rowScale = 1;

  private double scale = 1;
  private double tx;
  private double ty;

  /** Until the operator zooms or pans, the line follows the window's size. */
  private boolean autoFit = true;

  private boolean dirty = true;

  /** The selection changed and the line did not: redraw only the selection's layer. */
  private boolean selectionDirty;

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
    hover.getStyleClass().add("line-hover");
    hover.setMouseTransparent(true);
    hover.setVisible(false);
    painter = new LinePainter(legend);
    selectionLayer.setMouseTransparent(true);
    selectionLayer.setManaged(false);
    surface.getChildren().addAll(canvas, selectionLayer, hover);
    hoverDelay.setOnFinished(e -> showHover());
    canvas.widthProperty().bind(surface.widthProperty());
    canvas.heightProperty().bind(surface.heightProperty());
    empty.getStyleClass().add("empty-state");
    empty.setWrapText(true);
    empty.textProperty().bind(console.status().emptyHint());
    getChildren().addAll(surface, empty, legend);
    StackPane.setAlignment(legend, javafx.geometry.Pos.BOTTOM_LEFT);
    legend.setMaxSize(USE_PREF_SIZE, USE_PREF_SIZE);
    // One line when it fits, two in a narrow pane or with large text.
    legend.prefWrapLengthProperty().bind(widthProperty().subtract(24));

    ChangeListener<Object> redraw = (o, was, now) -> dirty = true;
    line.revision().addListener(redraw);
    line.layoutRevision()
        .addListener(
            (o, was, now) -> {
              layout = null;
              dirty = true;
            });
    console.selection().addListener((o, was, now) -> selectionDirty = true);
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
          interacted = true;
        });
    canvas.setOnMouseClicked(this::onClick);
    canvas.setOnMouseMoved(this::onHover);
    canvas.setOnMouseExited(e -> hideHover());

    pulse =
        new AnimationTimer() {
          @Override
          public void handle(long now) {
            long every =
                console.bursting().get() ? DATA_REDRAW_IN_A_BURST_NANOS : DATA_REDRAW_NANOS;
            if (dirty && (interacted || now - lastDraw >= every)) {
              dirty = false;
              interacted = false;
              selectionDirty = false;
              lastDraw = now;
              long start = System.nanoTime();
              draw();
              drawSelection();
              lastDrawNanos = System.nanoTime() - start;
            } else if (selectionDirty) {
              selectionDirty = false;
              selectionDraws++;
              drawSelection();
            }
          }
        };
    // Runs only while the view is in a showing window: a closed window stops it (issue 11).
    showing =
        sceneProperty()
            .flatMap(javafx.scene.Scene::windowProperty)
            .flatMap(javafx.stage.Window::showingProperty)
            .orElse(false);
    showing.addListener((o, was, now) -> running(now));
    running(showing.getValue());
    console
        .selection()
        .addListener(
            (o, was, now) -> {
              if (now instanceof Selection.Pair pair) {
                line.segment(pair.pairId())
                    .ifPresentOrElse(
                        this::bringIntoView,
                        () -> silentSensorOf(pair).ifPresent(n -> bringIntoView(n, n)));
              }
            });
  }

  private boolean timerRunning;

  private void running(boolean on) {
    if (on && !timerRunning) {
      pulse.start();
      dirty = true;
    } else if (!on && timerRunning) {
      pulse.stop();
    }
    timerRunning = on;
  }

  /** Whether the redraw timer runs (it stops when the window closes). */
  public boolean timerRunning() {
    return timerRunning;
  }

  /** Labels in screen pixels times {@code factor}: 1, or larger for a wall screen. */
  public void textScale(double factor) {
    painter.textScale(factor);
    dirty = true;
    interacted = true;
  }

  /** Pans so that a pipe off screen comes to the middle; the zoom stays as the operator set it. */
  private void bringIntoView(Segment segment) {
    bringIntoView(segment.upstream(), segment.downstream());
  }

  /** The sensor a SILENT record names, when the selected "pair" is one (its id is the sensor's). */
  private java.util.Optional<SensorNode> silentSensorOf(Selection.Pair pair) {
    return console
        .problems()
        .row(pair.pairId())
        .map(row -> row.problem())
        .filter(p -> p.problem() == org.kloaka.model.ProblemType.SILENT)
        .flatMap(p -> line.sensor(p.upstreamId()));
  }

  private void bringIntoView(SensorNode from, SensorNode to) {
    LineLayout.Place a = lineLayout().places.get(from);
    LineLayout.Place b = lineLayout().places.get(to);
    if (a == null || b == null || canvas.getWidth() <= 0) {
      return;
    }
    double mx = (a.x() + b.x()) / 2;
    double my = (a.y() + b.y()) / 2;
    double sx = tx + mx * scale;
    double sy = ty + my * rowScale;
    double margin = 40;
    if (sx < margin
        || sx > canvas.getWidth() - margin
        || sy < margin
        || sy > canvas.getHeight() - legend.getHeight() - margin) {
      tx = canvas.getWidth() / 2 - mx * scale;
      ty = (canvas.getHeight() - legend.getHeight()) / 2 - my * rowScale;
      autoFit = false;
      dirty = true;
      interacted = true;
    }
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
    // Leave the bottom strip to the legend, and room under the last row for its sensors' labels
    // (they keep their size in pixels, so in large text the layout's own margin is too small).
    double h = Math.max(1, canvas.getHeight() - legend.getHeight() - painter.labelsBelowRow());
    if (current.width <= 0 || current.height <= 0) {
      return;
    }
    scale = clamp(Math.min(w / current.width, h / current.height));
    scale = Math.min(scale, 1.6);
    rowScale = scale < OVERVIEW_BELOW ? Math.min(OVERVIEW_BELOW, h / current.height) : scale;
    rowScale = Math.max(rowScale, scale);
    tx = (w - current.width * scale) / 2;
    ty = Math.max(0, (h - current.height * rowScale) / 2);
    // Room above the first row for its tube's name.
    double firstName = LinePainter.TUBE_FONT * painter.textScale() + 12 + NODE_RADIUS * scale;
    ty = Math.max(ty, firstName - LineLayout.TOP * rowScale);
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
    rowScale = scale;
    tx = canvas.getWidth() / 2 - place.x() * scale;
    ty = canvas.getHeight() / 2 - place.y() * rowScale;
    autoFit = false;
    console.selection().set(new Selection.Sensor(node.id()));
    dirty = true;
  }

  /** How long the last draw took on the FX thread (for the benchmark). */
  public long lastDrawNanos() {
    return lastDrawNanos;
  }

  private long lastDrawNanos;

  /** How many times the canvas was drawn (for the benchmark). */
  public long draws() {
    return draws;
  }

  /** How many times the selection's layer alone was drawn (for tests and the benchmark). */
  public long selectionDraws() {
    return selectionDraws;
  }

  private long selectionDraws;

  /** Screen position of a sensor's centre, for tests that click on it. */
  public javafx.geometry.Point2D screenPointOf(SensorNode node) {
    LineLayout.Place place = lineLayout().places.get(node);
    return canvas.localToScreen(tx + place.x() * scale, ty + place.y() * rowScale);
  }

  /** Screen position of a segment's middle. */
  public javafx.geometry.Point2D screenPointOf(Segment segment) {
    LineLayout.Place a = lineLayout().places.get(segment.upstream());
    LineLayout.Place b = lineLayout().places.get(segment.downstream());
    return canvas.localToScreen(
        tx + (a.x() + b.x()) / 2 * scale, ty + (a.y() + b.y()) / 2 * rowScale);
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
    double nextRows =
        next < OVERVIEW_BELOW ? Math.max(next, Math.min(rowScale, OVERVIEW_BELOW)) : next;
    tx = x - (x - tx) * (next / scale);
    ty = y - (y - ty) * (nextRows / rowScale);
    scale = next;
    rowScale = nextRows;
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
      interacted = true;
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
    double wy = (e.getY() - ty) / rowScale;
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
    double wy = (e.getY() - ty) / rowScale;
    SensorNode node = sensorAt(wx, wy);
    String text;
    if (node == null) {
      Segment segment = segmentAt(wx, wy);
      text =
          segment == null
              ? null
              : segment.upstream().id()
                  + " → "
                  + segment.downstream().id()
                  + ": "
                  + segment.verdict();
    } else {
      text = describe(node);
    }
    if (text == null) {
      hideHover();
      return;
    }
    if (!text.equals(hoverText)) {
      hover.setVisible(false); // another thing under the pointer: shown after the delay
    }
    hoverText = text;
    hoverX = e.getX();
    hoverY = e.getY();
    if (hover.isVisible()) {
      placeHover();
    } else {
      hoverDelay.playFromStart();
    }
  }

  private void showHover() {
    if (hoverText == null) {
      return;
    }
    hover.setText(hoverText);
    hover.setVisible(true);
    placeHover();
  }

  /** Below and right of the pointer, kept inside the view. */
  private void placeHover() {
    double w = hover.prefWidth(-1);
    double h = hover.prefHeight(w);
    double x = Math.max(0, Math.min(hoverX + 14, surface.getWidth() - w - 4));
    double y = hoverY + 18 + h <= surface.getHeight() ? hoverY + 18 : Math.max(0, hoverY - h - 8);
    hover.resizeRelocate(x, y, w, h);
  }

  private void hideHover() {
    hoverDelay.stop();
    hoverText = null;
    hover.setVisible(false);
  }

  /** The text shown where the pointer rests, or null (for tests). */
  public String hoverText() {
    return hover.isVisible() ? hover.getText() : null;
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
    // In screen pixels: rows and steps may be scaled differently in the overview.
    double dx = (wx - row.x(index)) * scale;
    double dy = (wy - row.y()) * rowScale;
    double reach = Math.max((NODE_RADIUS + 4) * scale, 8);
    return dx * dx + dy * dy <= reach * reach ? row.sensors().get(index) : null;
  }

  private Segment segmentAt(double wx, double wy) {
    double reach = Math.max(8, 6 / scale);
    LineLayout.Row row = lineLayout().rowAt(wy);
    if (row != null && Math.abs(wy - row.y()) * rowScale <= Math.max(8, 8 * scale)) {
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
    painter.prepare();
    g.setGlobalAlpha(alpha());
    painter.paintLine(g, current, viewport(), w, h);
    g.setGlobalAlpha(1);
  }

  private double alpha() {
    return console.status().live().get() ? 1.0 : 0.45;
  }

  private LinePainter.Viewport viewport() {
    return new LinePainter.Viewport(scale, rowScale, tx, ty);
  }

  /** The selection's layer: moved and sized to what it draws, or hidden. */
  private void drawSelection() {
    Selection selection = console.selection().get();
    Segment pair = null;
    SensorNode sensor = null;
    if (selection instanceof Selection.Sensor s) {
      sensor = line.sensor(s.id()).orElse(null);
    } else if (selection instanceof Selection.Pair p) {
      sensor = silentSensorOf(p).orElse(null);
      pair = sensor == null ? line.segment(p.pairId()).orElse(null) : null;
    }
    javafx.geometry.Rectangle2D box =
        line.sensorCount() == 0 || (pair == null && sensor == null)
            ? null
            : painter.selectionBox(lineLayout(), viewport(), pair, sensor);
    if (box == null
        || box.getMaxX() < 0
        || box.getMaxY() < 0
        || box.getMinX() > canvas.getWidth()
        || box.getMinY() > canvas.getHeight()) {
      selectionLayer.setVisible(false);
      return;
    }
    selectionLayer.setVisible(true);
    selectionLayer.relocate(box.getMinX(), box.getMinY());
    selectionLayer.setWidth(box.getWidth());
    selectionLayer.setHeight(box.getHeight());
    GraphicsContext g = selectionLayer.getGraphicsContext2D();
    g.setTransform(1, 0, 0, 1, 0, 0);
    g.clearRect(0, 0, box.getWidth(), box.getHeight());
    g.setGlobalAlpha(alpha());
    painter.paintSelection(g, lineLayout(), viewport(), pair, sensor, box);
    g.setGlobalAlpha(1);
  }

  /** Where the selection's layer is and how large, in the line's pixels (null: hidden). */
  public javafx.geometry.Bounds selectionLayerBounds() {
    return selectionLayer.isVisible() ? selectionLayer.getBoundsInParent() : null;
  }
}
