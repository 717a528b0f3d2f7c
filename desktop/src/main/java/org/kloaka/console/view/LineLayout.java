package org.kloaka.console.view;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kloaka.console.viewmodel.LineViewModel;
import org.kloaka.console.viewmodel.Segment;
import org.kloaka.console.viewmodel.SensorNode;
import org.kloaka.console.viewmodel.TubeRun;

/**
 * Where everything on the line sits, in world coordinates: one row per tube, sensors a fixed step
 * apart in flow order, a tube that drains into another shifted so that its last sensor sits just
 * before the sensor it drains into. Plain geometry, recomputed only when the topology changes.
 */
final class LineLayout {

  static final double STEP = 96;
  static final double ROW = 120;
  static final double LEFT = 72;
  static final double TOP = 56;

  /** One tube's row: its sensors' x positions and the segment from each sensor to the next. */
  record Row(TubeRun tube, double y, double offset, List<SensorNode> sensors, Segment[] next) {

    double x(int index) {
      return offset + index * STEP;
    }

    /** The sensor indexes whose x lies within [from, to]. */
    int firstIndexFrom(double from) {
      return (int) Math.max(0, Math.floor((from - offset) / STEP));
    }

    int lastIndexTo(double to) {
      return (int) Math.min(sensors.size() - 1, Math.ceil((to - offset) / STEP));
    }
  }

  /** Where a sensor sits. */
  record Place(Row row, int index, double x, double y) {}

  final List<Row> rows = new ArrayList<>();
  final Map<SensorNode, Place> places = new HashMap<>();
  final List<Segment> links = new ArrayList<>();
  double width;
  double height;

  LineLayout(LineViewModel line) {
    List<TubeRun> tubes = line.tubes();
    Map<TubeRun, Double> offsets = new HashMap<>();
    // A tributary ends one step before the sensor it drains into; resolve a few levels deep.
    for (int pass = 0; pass < 4; pass++) {
      for (TubeRun tube : tubes) {
        SensorNode target = tube.drainsInto();
        if (target == null || tube.sensors().isEmpty()) {
          continue;
        }
        for (TubeRun other : tubes) {
          int at = other.sensors().indexOf(target);
          if (at >= 0) {
            double targetX = offsets.getOrDefault(other, LEFT) + at * STEP;
            double offset = targetX - tube.sensors().size() * STEP + STEP * 0.4;
            offsets.put(tube, offset);
          }
        }
      }
    }
    double shift = 0;
    for (double offset : offsets.values()) {
      shift = Math.max(shift, LEFT - offset);
    }
    double y = TOP;
    for (TubeRun tube : tubes) {
      double offset = offsets.getOrDefault(tube, LEFT) + shift;
      List<SensorNode> sensors = tube.sensors();
      Segment[] next = new Segment[sensors.size()];
      for (int i = 0; i + 1 < sensors.size(); i++) {
        String pair = org.kloaka.model.Problem.idOf(sensors.get(i).id(), sensors.get(i + 1).id());
        next[i] = line.segment(pair).orElse(null);
      }
      Row row = new Row(tube, y, offset, sensors, next);
      rows.add(row);
      for (int i = 0; i < sensors.size(); i++) {
        places.put(sensors.get(i), new Place(row, i, row.x(i), y));
      }
      width = Math.max(width, offset + Math.max(0, sensors.size() - 1) * STEP + LEFT);
      y += ROW;
    }
    height = y - ROW + TOP;
    for (Segment segment : line.segments()) {
      if (segment.junction()) {
        links.add(segment);
      }
    }
  }

  /** The row whose band contains world y, or null. */
  Row rowAt(double worldY) {
    for (Row row : rows) {
      if (Math.abs(row.y() - worldY) <= ROW / 2) {
        return row;
      }
    }
    return null;
  }
}
