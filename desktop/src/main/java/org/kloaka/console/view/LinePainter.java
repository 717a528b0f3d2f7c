package org.kloaka.console.view;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javafx.geometry.Rectangle2D;
import javafx.geometry.VPos;
import javafx.scene.SnapshotParameters;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.Image;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;
import javafx.scene.shape.ArcType;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Line;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;
import org.kloaka.console.viewmodel.Segment;
import org.kloaka.console.viewmodel.SegmentVerdict;
import org.kloaka.console.viewmodel.SensorNode;
import org.kloaka.model.Level;

/**
 * Draws {@link LineView}'s line: the whole line, without the selection, on the view's canvas; the
 * selection alone on a small canvas above it, so that a click repaints a ring instead of the whole
 * fitted line (decision 038). Knows the look (the legend's styles, the fonts, the badges), not the
 * operator's gestures.
 */
final class LinePainter {

  static final double NODE_RADIUS = 9;
  static final double TUBE_FONT = 13;

  /** Below this scale the line is drawn as an overview (see drawOverview). */
  static final double OVERVIEW_BELOW = 0.3;

  private static final double ID_FONT = 12;
  private static final double NAME_FONT = 10.5;
  private static final double BADGE_FONT = 11;

  /** A character's width as a share of the font size, generous for digits and capitals. */
  private static final double CHAR_WIDTH = 0.62;

  private static final Color LABEL_BACKGROUND = Color.rgb(246, 247, 249, 0.85);

  /** Where the line is on screen: world x times {@code scale}, world y times {@code rowScale}. */
  record Viewport(double scale, double rowScale, double tx, double ty) {

    double x(double worldX) {
      return tx + worldX * scale;
    }

    double y(double worldY) {
      return ty + worldY * rowScale;
    }

    boolean overview() {
      return scale < OVERVIEW_BELOW;
    }
  }

  /** A lettered badge of the overview: where, which kind, how many faults it stands for. */
  private record Badge(double x, SegmentVerdict verdict, int count) {}

  private final Legend legend;
  private final Map<SegmentVerdict, Image> badges = new EnumMap<>(SegmentVerdict.class);

  /** The operator's text size (1, or the large-text factor): labels are drawn in screen pixels. */
  private double textScale = 1;

  private Font idFont;
  private Font nameFont;
  private Font tubeFont;
  private Font badgeFont;
  private Viewport v = new Viewport(1, 1, 0, 0);

  LinePainter(Legend legend) {
    this.legend = legend;
    makeFonts();
  }

  double textScale() {
    return textScale;
  }

  void textScale(double factor) {
    textScale = factor;
    makeFonts();
  }

  private void makeFonts() {
    idFont = Font.font("System", FontWeight.BOLD, ID_FONT * textScale);
    nameFont = Font.font("System", NAME_FONT * textScale);
    tubeFont = Font.font("System", FontWeight.BOLD, TUBE_FONT * textScale);
    badgeFont = Font.font("System", FontWeight.BOLD, BADGE_FONT * textScale);
    badges.clear();
  }

  /** Makes the badge images now (at the first draw, not when the first fault shows in a burst). */
  void prepare() {
    if (badges.isEmpty()) {
      makeBadges(badgeRadius());
    }
  }

  /**
   * The whole line but the selection, only what lies within the {@code w}×{@code h} view. The
   * caller has cleared the canvas and set its alpha.
   */
  void paintLine(GraphicsContext g, LineLayout current, Viewport at, double w, double h) {
    v = at;
    double scale = v.scale();
    double left = -v.tx() / scale - LineLayout.STEP;
    double right = (w - v.tx()) / scale + LineLayout.STEP;
    double top = -v.ty() / v.rowScale() - LineLayout.ROW;
    double bottom = (h - v.ty()) / v.rowScale() + LineLayout.ROW;
    boolean overview = v.overview();

    // Tube names first: a fault's badge drawn later stays on top of a neighbouring row's name.
    g.setTransform(1, 0, 0, 1, 0, 0);
    for (LineLayout.Row row : current.rows) {
      if (row.y() >= top && row.y() <= bottom && !row.sensors().isEmpty()) {
        drawTubeLabel(g, row);
      }
    }
    if (!overview) {
      g.setTransform(scale, 0, 0, scale, v.tx(), v.ty());
    }
    for (Segment link : current.links) {
      LineLayout.Place a = current.places.get(link.upstream());
      LineLayout.Place b = current.places.get(link.downstream());
      if (a != null && b != null) {
        if (overview) {
          drawOverviewLink(g, link, a, b, false);
        } else {
          drawLink(g, link, a, b, false);
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
        drawOverview(g, row, first, last);
        continue;
      }
      for (int i = first; i <= last && i < row.next().length; i++) {
        Segment segment = row.next()[i];
        if (segment != null) {
          drawStraight(g, segment, row.x(i), row.x(i + 1), row.y(), false);
        }
      }
      for (int i = first; i <= last; i++) {
        drawNode(g, row.sensors().get(i), row.x(i), row.y(), false);
      }
    }
    // Labels in screen pixels, so that they keep their size (and the large-text factor) at any
    // zoom; drawn last, over the pipes.
    g.setTransform(1, 0, 0, 1, 0, 0);
    if (!overview) {
      for (LineLayout.Row row : current.rows) {
        if (row.y() >= top && row.y() <= bottom && !row.sensors().isEmpty()) {
          drawNodeLabels(g, row, row.firstIndexFrom(left), row.lastIndexTo(right));
        }
      }
    }
  }

  /**
   * The view's box (in its pixels) that the selection's drawing covers: a selected sensor, or a
   * selected pipe with the sensors at its ends; null when neither is on the line.
   */
  Rectangle2D selectionBox(LineLayout current, Viewport at, Segment pair, SensorNode sensor) {
    v = at;
    double scale = v.scale();
    if (sensor != null) {
      LineLayout.Place p = current.places.get(sensor);
      if (p == null) {
        return null;
      }
      double reach = v.overview() ? 7 : (NODE_RADIUS + 8) * scale + 2;
      return box(v.x(p.x()), v.y(p.y()), v.x(p.x()), v.y(p.y()), reach, reach);
    }
    if (pair == null) {
      return null;
    }
    LineLayout.Place a = current.places.get(pair.upstream());
    LineLayout.Place b = current.places.get(pair.downstream());
    if (a == null || b == null) {
      return null;
    }
    double ax = v.x(a.x());
    double bx = v.x(b.x());
    double ay = v.y(a.y());
    double by = v.y(b.y());
    double halo = legend.selection().getStrokeWidth() / 2;
    if (v.overview()) {
      // The junction's curve bends 12 pixels past its middle; a row's badges reach a radius out.
      double across = Math.max(Math.max(7, halo), badgeRadius()) + 2;
      return box(ax, ay, bx, by, pair.junction() ? 16 : 6, across);
    }
    double reach = (Math.max(NODE_RADIUS + 8, halo) + 2) * scale + 2;
    double bend = pair.junction() ? LineLayout.STEP * 0.3 * scale : 0;
    return box(ax, ay, bx, by, reach + bend, reach);
  }

  private static Rectangle2D box(
      double ax, double ay, double bx, double by, double alongX, double alongY) {
    double x = Math.floor(Math.min(ax, bx) - alongX);
    double y = Math.floor(Math.min(ay, by) - alongY);
    return new Rectangle2D(
        x, y, Math.ceil(Math.max(ax, bx) + alongX) - x, Math.ceil(Math.max(ay, by) + alongY) - y);
  }

  /**
   * The selection alone, as the whole line draws it, on a canvas whose top left corner is {@code
   * box}'s: a pipe's halo with the pipe, its badge and its end sensors drawn again over it; a
   * sensor's ring with the sensor (and its labels) over it. Outside what it draws the canvas stays
   * transparent, so the line below shows through.
   */
  void paintSelection(
      GraphicsContext g,
      LineLayout current,
      Viewport at,
      Segment pair,
      SensorNode sensor,
      Rectangle2D box) {
    v = at;
    double scale = v.scale();
    double ox = box.getMinX();
    double oy = box.getMinY();
    if (v.overview()) {
      g.setTransform(1, 0, 0, 1, -ox, -oy);
      if (sensor != null) {
        LineLayout.Place p = current.places.get(sensor);
        g.setFill(legend.selection().getStroke());
        g.fillRect(v.x(p.x()) - 5, v.y(p.y()) - 5, 10, 10);
        return;
      }
      LineLayout.Place a = current.places.get(pair.upstream());
      LineLayout.Place b = current.places.get(pair.downstream());
      if (pair.junction()) {
        drawOverviewLink(g, pair, a, b, true);
        return;
      }
      LineLayout.Row row = a.row();
      int k = a.index();
      double y = v.y(row.y());
      g.setFill(legend.selection().getStroke());
      double x1 = v.x(row.x(k)) - 4;
      g.fillRect(x1, y - 7, v.x(row.x(k + 1)) + 4 - x1, 14);
      fillRun(g, pair.verdict(), row, k, k, y);
      markIfNeeded(g, row, k, y);
      markIfNeeded(g, row, k + 1, y);
      // The row's badges that reach into the box, drawn again over the halo.
      double from = ox - 2 * badgeRadius();
      double to = box.getMaxX() + 2 * badgeRadius();
      int first = Math.max(0, row.firstIndexFrom((from - v.tx()) / scale) - 1);
      int last = row.lastIndexTo((to - v.tx()) / scale);
      drawBadges(g, overviewBadges(row, first, last), y);
      return;
    }
    g.setTransform(scale, 0, 0, scale, v.tx() - ox, v.ty() - oy);
    List<SensorNode> ends = new ArrayList<>();
    if (sensor != null) {
      LineLayout.Place p = current.places.get(sensor);
      drawNode(g, sensor, p.x(), p.y(), true);
      ends.add(sensor);
    } else {
      LineLayout.Place a = current.places.get(pair.upstream());
      LineLayout.Place b = current.places.get(pair.downstream());
      if (pair.junction()) {
        drawLink(g, pair, a, b, true);
      } else {
        drawStraight(g, pair, a.x(), b.x(), a.y(), true);
      }
      drawNode(g, pair.upstream(), a.x(), a.y(), false);
      drawNode(g, pair.downstream(), b.x(), b.y(), false);
      ends.add(pair.upstream());
      ends.add(pair.downstream());
    }
    g.setTransform(1, 0, 0, 1, -ox, -oy);
    for (SensorNode end : ends) {
      LineLayout.Place p = current.places.get(end);
      drawNodeLabels(g, p.row(), p.index(), p.index());
    }
  }

  /**
   * Zoomed far out a node is a pixel or two: draw each run of equal verdicts as one stroke, only
   * the sensors that need attention (stale, never reported) as marks, and every fault as a lettered
   * badge — neighbouring faults closer than a badge share one with their count. Drawn in screen
   * pixels: rows are spread over the window's height ({@link Viewport#rowScale}).
   */
  private void drawOverview(GraphicsContext g, LineLayout.Row row, int first, int last) {
    Segment[] next = row.next();
    double y = v.y(row.y());
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
      fillRun(g, verdict, row, i, end, y);
      i = end + 1;
    }
    for (int k = first; k <= last; k++) {
      markIfNeeded(g, row, k, y);
    }
    drawBadges(g, overviewBadges(row, first, last), y);
  }

  /** The pipes from sensor {@code from} to sensor {@code to + 1} as one rectangle. */
  private void fillRun(
      GraphicsContext g, SegmentVerdict verdict, LineLayout.Row row, int from, int to, double y) {
    Line style = legend.segment(verdict);
    double width = Math.max(1, Math.round(style.getStrokeWidth()));
    double x1 = Math.round(v.x(row.x(from)));
    g.setFill(style.getStroke());
    g.fillRect(x1, Math.round(y - width / 2), Math.round(v.x(row.x(to + 1))) - x1, width);
  }

  /** A sensor that needs attention (never reported, silent) as a small mark in the overview. */
  private void markIfNeeded(GraphicsContext g, LineLayout.Row row, int k, double y) {
    if (k >= row.sensors().size()) {
      return;
    }
    SensorNode node = row.sensors().get(k);
    if (node.value() == null || node.silent()) {
      Circle style =
          legend.node(node.value() == null ? Legend.NodeLook.UNKNOWN : Legend.NodeLook.STALE);
      g.setFill(style.getStroke());
      g.fillRect(v.x(row.x(k)) - 2, y - 2, 4, 4);
    }
  }

  /** The overview's badges of sensors {@code first..last} of a row. */
  private List<Badge> overviewBadges(LineLayout.Row row, int first, int last) {
    Segment[] next = row.next();
    List<Badge> found = new ArrayList<>();
    double badge = badgeRadius();
    int k = first;
    while (k <= last && k < next.length) {
      SegmentVerdict verdict = problemOn(next[k]);
      if (verdict == null) {
        k++;
        continue;
      }
      double x = v.x((row.x(k) + row.x(k + 1)) / 2);
      int count = 1;
      boolean obstruction = verdict == SegmentVerdict.OBSTRUCTION;
      int m = k + 1;
      while (m <= last && m < next.length && v.x(row.x(m)) - x < 2.2 * badge) {
        SegmentVerdict other = problemOn(next[m]);
        if (other != null) {
          count++;
          obstruction |= other == SegmentVerdict.OBSTRUCTION;
        }
        m++;
      }
      found.add(
          new Badge(x, obstruction ? SegmentVerdict.OBSTRUCTION : SegmentVerdict.PROBLEM, count));
      k = m;
    }
    return found;
  }

  private void drawBadges(GraphicsContext g, List<Badge> all, double y) {
    double r = badgeRadius();
    for (Badge badge : all) {
      drawBadgeAt(g, badge.verdict(), badge.x(), y);
      if (badge.count() > 1) {
        g.setFill(legend.label().getFill());
        g.setFont(badgeFont);
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.CENTER);
        g.fillText("×" + badge.count(), badge.x() + r + 1, y);
      }
    }
  }

  private void drawOverviewLink(
      GraphicsContext g, Segment link, LineLayout.Place a, LineLayout.Place b, boolean selected) {
    double ax = v.x(a.x());
    double ay = v.y(a.y());
    double bx = v.x(b.x());
    double by = v.y(b.y());
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

  /** The overview's badges' radius in pixels: it grows with the text. */
  double badgeRadius() {
    return 8 * textScale;
  }

  /**
   * A lettered disc (transform: identity), drawn from an image made once per verdict and text size:
   * text is the costliest thing a canvas draws.
   */
  private void drawBadgeAt(GraphicsContext g, SegmentVerdict verdict, double x, double y) {
    prepare();
    Image image = badges.get(verdict);
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
    SnapshotParameters transparent = new SnapshotParameters();
    transparent.setFill(Color.TRANSPARENT);
    Image strip = discs.snapshot(transparent, null);
    for (int i = 0; i < all.length; i++) {
      badges.put(all[i], new WritableImage(strip.getPixelReader(), i * size, 0, size, size));
    }
  }

  private void stroke(GraphicsContext g, SegmentVerdict verdict, boolean halo) {
    Line style = halo ? legend.selection() : legend.segment(verdict);
    g.setStroke(style.getStroke());
    g.setLineWidth(style.getStrokeWidth());
    if (halo || style.getStrokeDashArray().isEmpty()) {
      g.setLineDashes((double[]) null);
    } else {
      g.setLineDashes(
          style.getStrokeDashArray().stream().mapToDouble(Double::doubleValue).toArray());
    }
  }

  private void drawStraight(
      GraphicsContext g, Segment segment, double x1, double x2, double y, boolean selected) {
    SegmentVerdict verdict = segment.verdict();
    if (selected) {
      stroke(g, verdict, true);
      g.strokeLine(x1, y, x2, y);
    }
    stroke(g, verdict, false);
    g.strokeLine(x1 + NODE_RADIUS, y, x2 - NODE_RADIUS, y);
    drawBadge(g, verdict, (x1 + x2) / 2, y);
  }

  private void drawLink(
      GraphicsContext g, Segment link, LineLayout.Place a, LineLayout.Place b, boolean selected) {
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
    drawBadge(g, verdict, mx, (a.y() + b.y()) / 2);
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
        g.fillArc(x - r, y - r, 2 * r, 2 * r, 180, 180, ArcType.CHORD);
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
   * labels never reach into their neighbours' (widths estimated from the font size), nor down into
   * the next row's tube name (large text, or rows squeezed to fit the window): without the height,
   * names go first, then ids.
   */
  private void drawNodeLabels(GraphicsContext g, LineLayout.Row row, int first, int last) {
    double room = LineLayout.STEP * v.scale() - 8;
    double idSize = ID_FONT * textScale;
    double nameSize = NAME_FONT * textScale;
    boolean[] shown = labelsShown(v);
    if (!shown[0]) {
      return;
    }
    boolean names = shown[1];
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
      double x = v.x(row.x(i));
      double y = v.y(row.y()) + NODE_RADIUS * v.scale() + 4;
      g.setFont(idFont);
      g.fillText(id, x, y);
      if (names && node.name() != null && nameChars >= 5) {
        g.setFont(nameFont);
        g.fillText(shorten(node.name(), nameChars), x, y + idSize + 3);
      }
    }
  }

  /** What a sensor's id and name take under its disc, in pixels (the disc's own size aside). */
  double labelsBelowRow() {
    return 4 + (ID_FONT + 3 + NAME_FONT) * textScale;
  }

  /**
   * The height free for a sensor's labels: from under its disc to the top of the next row's tube
   * name, as {@link #drawTubeLabel} places it.
   */
  double labelHeight(Viewport at) {
    double rowGap = LineLayout.ROW * at.rowScale();
    double underTheDisc = NODE_RADIUS * at.scale() + 4;
    double nextTubeName =
        Math.max(8 * textScale, (NODE_RADIUS + 8) * at.scale()) + TUBE_FONT * textScale + 2;
    return rowGap - underTheDisc - nextTubeName;
  }

  /** Whether a row's sensors get their ids, and their names, in {@code at}. */
  boolean[] labelsShown(Viewport at) {
    double height = labelHeight(at);
    double idSize = ID_FONT * textScale;
    return new boolean[] {height >= idSize, height >= idSize + 3 + NAME_FONT * textScale};
  }

  /** The tube's name above its row, kept at the left edge while the row runs off screen. */
  private void drawTubeLabel(GraphicsContext g, LineLayout.Row row) {
    double size = TUBE_FONT * textScale;
    double x = Math.max(6, v.x(row.offset()) - NODE_RADIUS * v.scale());
    double y = v.y(row.y()) - Math.max(8 * textScale, (NODE_RADIUS + 8) * v.scale());
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
