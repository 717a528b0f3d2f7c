package org.kloaka.console.view;

import java.time.Instant;
import javafx.animation.AnimationTimer;
import javafx.beans.value.ChangeListener;
import javafx.css.PseudoClass;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
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
  private static final double ID_FONT = 12;
  private static final double NAME_FONT = 10.5;
  private static final double TUBE_FONT = 13;
  private static final double BADGE_FONT = 11;

  /** A character's width as a share of the font size, generous for digits and capitals. */
  private static final double CHAR_WIDTH = 0.62;

  private static final Color LABEL_BACKGROUND = Color.rgb(246, 247, 249, 0.85);
  private static final double MIN_SCALE = 0.04;
  private static final double MAX_SCALE = 4;

  /** Below this scale the line is drawn as an overview (see drawOverview). */
  private static final double OVERVIEW_BELOW = 0.3;

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

  /** The operator's text size (1, or the large-text factor): labels are drawn in screen pixels. */
  private double textScale = 1;

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
    surface.getChildren().addAll(canvas, hover);
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
              lastDraw = now;
              long start = System.nanoTime();
              draw();
              lastDrawNanos = System.nanoTime() - start;
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
    makeFonts();
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
  private Font idFont;
  private Font nameFont;
  private Font tubeFont;
  private Font badgeFont;
  private final java.util.Map<SegmentVerdict, javafx.scene.image.Image> badges =
      new java.util.EnumMap<>(SegmentVerdict.class);

  private void makeFonts() {
    idFont = Font.font("System", FontWeight.BOLD, ID_FONT * textScale);
    nameFont = Font.font("System", NAME_FONT * textScale);
    tubeFont = Font.font("System", FontWeight.BOLD, TUBE_FONT * textScale);
    badgeFont = Font.font("System", FontWeight.BOLD, BADGE_FONT * textScale);
    badges.clear();
  }

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
    textScale = factor;
    makeFonts();
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
    }
    dirty = true;
    interacted = true;
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
    rowScale = scale < OVERVIEW_BELOW ? Math.min(OVERVIEW_BELOW, h / current.height) : scale;
    rowScale = Math.max(rowScale, scale);
    tx = (w - current.width * scale) / 2;
    ty = Math.max(0, (h - current.height * rowScale) / 2);
    // Room above the first row for its tube's name.
    double firstName = TUBE_FONT * textScale + 12 + NODE_RADIUS * scale;
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

  private double screenX(double worldX) {
    return tx + worldX * scale;
  }

  private double screenY(double worldY) {
    return ty + worldY * rowScale;
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
    if (badges.isEmpty()) {
      makeBadges(badgeRadius()); // here, not when the first fault shows in a burst
    }
    g.setGlobalAlpha(console.status().live().get() ? 1.0 : 0.45);
    double left = -tx / scale - LineLayout.STEP;
    double right = (w - tx) / scale + LineLayout.STEP;
    double top = -ty / rowScale - LineLayout.ROW;
    double bottom = (h - ty) / rowScale + LineLayout.ROW;
    boolean overview = scale < OVERVIEW_BELOW;
    Selection selection = console.selection().get();
    String selectedPair = selection instanceof Selection.Pair p ? p.pairId() : null;
    Object selectedSensor =
        selection instanceof Selection.Sensor s
            ? s.id()
            : selection instanceof Selection.Pair p
                ? silentSensorOf(p).map(SensorNode::id).orElse(null)
                : null;

    // Tube names first: a fault's badge drawn later stays on top of a neighbouring row's name.
    g.setTransform(1, 0, 0, 1, 0, 0);
    for (LineLayout.Row row : current.rows) {
      if (row.y() >= top && row.y() <= bottom && !row.sensors().isEmpty()) {
        drawTubeLabel(g, row);
      }
    }
    if (overview) {
      for (Segment link : current.links) {
        LineLayout.Place a = current.places.get(link.upstream());
        LineLayout.Place b = current.places.get(link.downstream());
        if (a != null && b != null) {
          drawOverviewLink(g, link, a, b, link.pairId().equals(selectedPair));
        }
      }
    } else {
      g.setTransform(scale, 0, 0, scale, tx, ty);
      for (Segment link : current.links) {
        LineLayout.Place a = current.places.get(link.upstream());
        LineLayout.Place b = current.places.get(link.downstream());
        if (a != null && b != null) {
          drawLink(g, link, a, b, link.pairId().equals(selectedPair), true);
        }
      }
    }
    for (LineLayout.Row row : current.rows) {
      if (row.y() < top || row.y() > bottom || row.sensors().isEmpty()) {
        continue;
      }
      int first = row.firstIndexFrom(left);
      int last = row.lastIndexTo(right);
      if (overview) {
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
              true);
        }
      }
      for (int i = first; i <= last; i++) {
        SensorNode node = row.sensors().get(i);
        drawNode(g, node, row.x(i), row.y(), node.id().equals(selectedSensor));
      }
    }
    // Labels in screen pixels, so that they keep their size (and the large-text factor) at any
    // zoom; drawn last, over the pipes.
    g.setTransform(1, 0, 0, 1, 0, 0);
    for (LineLayout.Row row : current.rows) {
      if (row.y() < top || row.y() > bottom || row.sensors().isEmpty()) {
        continue;
      }
      if (!overview) {
        drawNodeLabels(g, row, row.firstIndexFrom(left), row.lastIndexTo(right));
      }
    }
    g.setGlobalAlpha(1);
  }

  /**
   * Zoomed far out a node is a pixel or two: draw each run of equal verdicts as one stroke, only
   * the sensors that need attention (stale, never reported, selected) as marks, and every fault as
   * a lettered badge — neighbouring faults closer than a badge share one with their count. Drawn in
   * screen pixels: rows are spread over the window's height ({@link #rowScale}).
   */
  private void drawOverview(
      GraphicsContext g,
      LineLayout.Row row,
      int first,
      int last,
      String selectedPair,
      Object selectedSensor) {
    Segment[] next = row.next();
    double y = screenY(row.y());
    if (selectedPair != null) {
      for (int k = first; k <= last && k < next.length; k++) {
        if (next[k] != null && next[k].pairId().equals(selectedPair)) {
          g.setFill(legend.selection().getStroke());
          double x1 = screenX(row.x(k)) - 4;
          g.fillRect(x1, y - 7, screenX(row.x(k + 1)) + 4 - x1, 14);
        }
      }
    }
    // One rectangle per run of equal verdicts: the pipes are horizontal here, and a filled
    // rectangle is what the software renderer draws fastest (a stroked line is a path it
    // rasterises; one path per verdict with many sub-paths was slower still: a window-sized
    // mask). Dashes of a few pixels would turn to noise this far out.
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
      Line style = legend.segment(verdict);
      double width = Math.max(1, Math.round(style.getStrokeWidth()));
      double x1 = Math.round(screenX(row.x(i)));
      g.setFill(style.getStroke());
      g.fillRect(x1, Math.round(y - width / 2), Math.round(screenX(row.x(end + 1))) - x1, width);
      i = end + 1;
    }
    for (int k = first; k <= last; k++) {
      SensorNode node = row.sensors().get(k);
      boolean selected = node.id().equals(selectedSensor);
      if (selected || node.value() == null || node.silent()) {
        Circle style =
            legend.node(node.value() == null ? Legend.NodeLook.UNKNOWN : Legend.NodeLook.STALE);
        g.setFill(selected ? legend.selection().getStroke() : style.getStroke());
        double size = selected ? 10 : 4;
        g.fillRect(screenX(row.x(k)) - size / 2, y - size / 2, size, size);
      }
    }
    double badge = badgeRadius();
    int k = first;
    while (k <= last && k < next.length) {
      SegmentVerdict verdict = problemOn(next[k]);
      if (verdict == null) {
        k++;
        continue;
      }
      double x = screenX((row.x(k) + row.x(k + 1)) / 2);
      int count = 1;
      boolean obstruction = verdict == SegmentVerdict.OBSTRUCTION;
      int m = k + 1;
      while (m <= last && m < next.length && screenX(row.x(m)) - x < 2.2 * badge) {
        SegmentVerdict other = problemOn(next[m]);
        if (other != null) {
          count++;
          obstruction |= other == SegmentVerdict.OBSTRUCTION;
        }
        m++;
      }
      drawBadgeAt(
          g, obstruction ? SegmentVerdict.OBSTRUCTION : SegmentVerdict.PROBLEM, x, y, badge);
      if (count > 1) {
        g.setFill(legend.label().getFill());
        g.setFont(badgeFont);
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.CENTER);
        g.fillText("×" + count, x + badge + 1, y);
      }
      k = m;
    }
  }

  private void drawOverviewLink(
      GraphicsContext g, Segment link, LineLayout.Place a, LineLayout.Place b, boolean selected) {
    double ax = screenX(a.x());
    double ay = screenY(a.y());
    double bx = screenX(b.x());
    double by = screenY(b.y());
    double mx = (ax + bx) / 2;
    for (int pass = selected ? 0 : 1; pass < 2; pass++) {
      stroke(g, link.verdict(), pass == 0);
      g.setLineDashes((double[]) null);
      g.beginPath();
      g.moveTo(ax, ay);
      g.bezierCurveTo(mx + 12, ay, mx - 12, by, bx, by);
      g.stroke();
    }
  }

  /** The problem a segment's badge shows in the overview: an open, active record's type. */
  private static SegmentVerdict problemOn(Segment segment) {
    if (segment == null
        || segment.problem() == null
        || segment.problem().isResolved()
        || !segment.problem().active()) {
      return null;
    }
    return SegmentVerdict.of(segment.problem().problem());
  }

  /**
   * A lettered disc of radius {@code r} pixels (transform: identity), drawn from an image made once
   * per verdict and text size: text is the costliest thing a canvas draws.
   */
  private double badgeRadius() {
    return 8 * textScale;
  }

  private void drawBadgeAt(
      GraphicsContext g, SegmentVerdict verdict, double x, double y, double r) {
    if (badges.isEmpty()) {
      makeBadges(r);
    }
    javafx.scene.image.Image image = badges.get(verdict);
    g.drawImage(image, x - image.getWidth() / 2, y - image.getHeight() / 2);
  }

  /**
   * Every verdict's badge at once, in one snapshot: a snapshot waits for the renderer, and one per
   * verdict, each the first time a fault of its kind showed during a burst, held the FX thread up
   * to 0.4 s (decision 037).
   */
  private void makeBadges(double r) {
    int size = (int) Math.ceil(2 * r + 4);
    SegmentVerdict[] all = SegmentVerdict.values();
    Canvas discs = new Canvas(size * all.length, size);
    GraphicsContext d = discs.getGraphicsContext2D();
    d.setFont(badgeFont);
    d.setTextAlign(TextAlignment.CENTER);
    d.setTextBaseline(VPos.CENTER);
    for (int i = 0; i < all.length; i++) {
      double c = size / 2.0;
      double cx = i * size + c;
      d.setFill(legend.segment(all[i]).getStroke());
      d.fillOval(cx - r, c - r, 2 * r, 2 * r);
      d.setStroke(Color.WHITE);
      d.setLineWidth(1.5);
      d.strokeOval(cx - r, c - r, 2 * r, 2 * r);
      d.setFill(Color.WHITE);
      d.fillText(all[i].letter(), cx, c + 0.5);
    }
    javafx.scene.SnapshotParameters transparent = new javafx.scene.SnapshotParameters();
    transparent.setFill(Color.TRANSPARENT);
    javafx.scene.image.Image strip = discs.snapshot(transparent, null);
    for (int i = 0; i < all.length; i++) {
      badges.put(
          all[i],
          new javafx.scene.image.WritableImage(strip.getPixelReader(), i * size, 0, size, size));
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

  private void drawNode(GraphicsContext g, SensorNode node, double x, double y, boolean selected) {
    Level level = node.level();
    Legend.NodeLook look;
    if (level == null) {
      look = Legend.NodeLook.UNKNOWN;
    } else if (node.silent()) {
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
  }

  /**
   * Ids once the step between sensors has room for them, then names shortened to the room there is:
   * labels never reach into their neighbours' (widths estimated from the font size).
   */
  private void drawNodeLabels(GraphicsContext g, LineLayout.Row row, int first, int last) {
    double room = LineLayout.STEP * scale - 8;
    double idSize = ID_FONT * textScale;
    double nameSize = NAME_FONT * textScale;
    g.setFill(legend.label().getFill());
    g.setTextAlign(TextAlignment.CENTER);
    g.setTextBaseline(VPos.TOP);
    int nameChars = (int) Math.floor(room / (nameSize * CHAR_WIDTH));
    for (int i = first; i <= last; i++) {
      SensorNode node = row.sensors().get(i);
      String id = node.id().toString();
      if (id.length() * idSize * CHAR_WIDTH > room) {
        continue;
      }
      double x = screenX(row.x(i));
      double y = screenY(row.y()) + NODE_RADIUS * scale + 4;
      g.setFont(idFont);
      g.fillText(id, x, y);
      if (node.name() != null && nameChars >= 5) {
        g.setFont(nameFont);
        g.fillText(shorten(node.name(), nameChars), x, y + idSize + 3);
      }
    }
  }

  /** The tube's name above its row, kept at the left edge while the row runs off screen. */
  private void drawTubeLabel(GraphicsContext g, LineLayout.Row row) {
    double size = TUBE_FONT * textScale;
    double x = Math.max(6, screenX(row.offset()) - NODE_RADIUS * scale);
    double y = screenY(row.y()) - Math.max(8 * textScale, (NODE_RADIUS + 8) * scale);
    String text = row.tube().label();
    double width = text.length() * size * CHAR_WIDTH;
    g.setFill(LABEL_BACKGROUND);
    g.fillRoundRect(x - 3, y - size - 2, width + 6, size + 4, 4, 4);
    g.setFill(legend.label().getFill());
    g.setTextAlign(TextAlignment.LEFT);
    g.setTextBaseline(VPos.BOTTOM);
    g.setFont(tubeFont);
    g.fillText(text, x, y);
  }

  private static String shorten(String name, int chars) {
    return name.length() <= chars ? name : name.substring(0, Math.max(1, chars - 1)) + "…";
  }
}
