package org.kloaka.core.network;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.kloaka.model.SensorId;
import org.kloaka.network.NetworkDescription;
import org.kloaka.network.NetworkDescription.FlowsInto;
import org.kloaka.network.NetworkDescription.Sensor;
import org.kloaka.network.NetworkDescription.Tube;

/**
 * Checks a network description (CONTRACT §6 and the rules in docs/decisions) and, when it holds,
 * turns it into its canonical form: every problem is collected, each naming its place, so one run
 * tells the author everything to fix.
 */
final class NetworkValidation {

  private static final Pattern TUBE_NUMBER = Pattern.compile("0|[1-9][0-9]{0,3}");

  private final List<String> problems = new ArrayList<>();

  /** Valid tubes by number, in file order, with their canonical sensors. */
  private final Map<Integer, CheckedTube> tubes = new LinkedHashMap<>();

  /** Where each sensor was first listed, to name both places of a duplicate. */
  private final Map<SensorId, String> listedAt = new HashMap<>();

  private NetworkValidation() {}

  /** The tube as checked: its number, its place in the file and its sensors in flow order. */
  record CheckedTube(int number, String where, Tube tube, List<SensorId> sensors) {}

  /** A valid network in canonical form. */
  record Checked(NetworkDescription canonical, Map<Integer, CheckedTube> tubes) {}

  static Checked check(NetworkDescription description) throws NetworkException {
    NetworkValidation validation = new NetworkValidation();
    Checked checked = validation.run(description);
    if (!validation.problems.isEmpty()) {
      throw new NetworkException("the network description is invalid", validation.problems);
    }
    return checked;
  }

  private Checked run(NetworkDescription description) {
    if (description == null || description.tubes() == null) {
      problems.add("there is no \"tubes\" list: a network file is {\"tubes\": [ … ]}");
      return null;
    }
    if (description.tubes().isEmpty()) {
      problems.add("\"tubes\" is empty: list at least one tube, or give no network file");
      return null;
    }
    List<Tube> given = description.tubes();
    Map<Integer, String> firstTubeAt = new HashMap<>();
    for (int i = 0; i < given.size(); i++) {
      checkTube(i, given.get(i), firstTubeAt);
    }
    for (CheckedTube tube : tubes.values()) {
      checkFlowsInto(tube);
    }
    checkCycles();
    if (!problems.isEmpty()) {
      return null;
    }
    List<Tube> canonical = new ArrayList<>();
    for (CheckedTube tube : tubes.values()) {
      canonical.add(canonical(tube));
    }
    return new Checked(new NetworkDescription(canonical), tubes);
  }

  private void checkTube(int index, Tube tube, Map<Integer, String> firstTubeAt) {
    // NetworkDescription's lists cannot hold null (List.copyOf), so neither tube nor sensor is.
    String where = "tubes[" + index + "]";
    Integer number = null;
    if (tube.id() == null) {
      problems.add(where + " has no \"id\": give its tube number as a string, e.g. \"0\"");
    } else if (!TUBE_NUMBER.matcher(tube.id()).matches()) {
      problems.add(
          where
              + ": tube id \""
              + clip(tube.id())
              + "\" is not a tube number (1–4 ASCII digits without leading zeros, e.g. \"0\" or"
              + " \"12\")");
    } else {
      number = Integer.valueOf(tube.id());
      where = "tube \"" + tube.id() + "\" (" + where + ")";
      String first = firstTubeAt.putIfAbsent(number, where);
      if (first != null) {
        problems.add(where + ": tube id \"" + tube.id() + "\" is used twice, first by " + first);
        number = null;
      }
    }
    List<SensorId> sensors = checkSensors(where, number, tube.sensors());
    if (number != null && sensors != null) {
      tubes.put(number, new CheckedTube(number, where, tube, sensors));
    }
  }

  /** The tube's sensors in canonical form, or null when the list itself is unusable. */
  private List<SensorId> checkSensors(String tubeWhere, Integer tubeNumber, List<Sensor> sensors) {
    if (sensors == null) {
      problems.add(tubeWhere + " has no \"sensors\": list the tube's sensors in flow order");
      return null;
    }
    if (sensors.isEmpty()) {
      problems.add(tubeWhere + ": \"sensors\" is empty; list the tube's sensors in flow order");
      return null;
    }
    List<SensorId> ids = new ArrayList<>();
    for (int j = 0; j < sensors.size(); j++) {
      String where = tubeWhere + ", sensors[" + j + "]";
      Sensor sensor = sensors.get(j);
      checkPosition(where, sensor);
      if (sensor.derived() != null) {
        problems.add(
            where
                + ": \"derived\" belongs to GET /network's answer only (it marks devices the file"
                + " does not name); remove it to name this sensor here");
      }
      if (sensor.id() == null) {
        problems.add(where + " has no \"id\": give its sensor id, e.g. \"01\" or \"12-7\"");
        continue;
      }
      String why = SensorId.whyInvalid(sensor.id());
      if (why != null) {
        problems.add(where + ": " + why);
        continue;
      }
      SensorId id = SensorId.parse(sensor.id());
      String named = named(sensor.id(), id);
      if (tubeNumber != null && id.tube() != tubeNumber) {
        problems.add(
            where
                + ": sensor "
                + named
                + " is on tube "
                + id.tube()
                + " (its first number), not on tube "
                + tubeNumber
                + "; list it under tube \""
                + id.tube()
                + "\"");
      }
      String first = listedAt.putIfAbsent(id, where);
      if (first != null) {
        problems.add(where + ": sensor " + named + " is listed twice, first at " + first);
        continue;
      }
      ids.add(id);
    }
    return ids;
  }

  private void checkPosition(String where, Sensor sensor) {
    Double lat = sensor.lat();
    Double lon = sensor.lon();
    if ((lat == null) != (lon == null)) {
      problems.add(
          where
              + ": give both \"lat\" and \"lon\" or neither (only "
              + (lat == null ? "lon" : "lat")
              + " is given)");
    }
    if (lat != null && !(lat >= -90 && lat <= 90)) {
      problems.add(where + ": lat " + lat + " is outside -90…90 (degrees north)");
    }
    if (lon != null && !(lon >= -180 && lon <= 180)) {
      problems.add(where + ": lon " + lon + " is outside -180…180 (degrees east)");
    }
  }

  private void checkFlowsInto(CheckedTube tube) {
    FlowsInto flowsInto = tube.tube().flowsInto();
    if (flowsInto == null) {
      return;
    }
    String where = tube.where() + ", flows_into";
    if (flowsInto.tube() == null) {
      problems.add(where + " has no \"tube\": name the tube this one drains into");
      return;
    }
    if (flowsInto.tube().equals(tube.tube().id())) {
      problems.add(where + ": tube \"" + flowsInto.tube() + "\" flows into itself");
      return;
    }
    CheckedTube target = findTube(flowsInto.tube());
    if (target == null) {
      problems.add(
          where
              + ": tube \""
              + clip(flowsInto.tube())
              + "\" is not a tube of this file (its tubes: "
              + tubes.values().stream()
                  .map(t -> "\"" + t.tube().id() + "\"")
                  .collect(Collectors.joining(", "))
              + ")");
      return;
    }
    if (flowsInto.at() == null) {
      problems.add(
          where
              + " has no \"at\": name the sensor of tube \""
              + target.tube().id()
              + "\" this tube drains into");
      return;
    }
    String why = SensorId.whyInvalid(flowsInto.at());
    if (why != null) {
      problems.add(where + ", at: " + why);
      return;
    }
    SensorId at = SensorId.parse(flowsInto.at());
    if (!target.sensors().contains(at)) {
      problems.add(
          where
              + ": \"at\" sensor "
              + named(flowsInto.at(), at)
              + " is not a sensor of tube \""
              + target.tube().id()
              + "\" (its sensors: "
              + target.sensors().stream().map(SensorId::toString).collect(Collectors.joining(", "))
              + ")");
    }
  }

  /** Reports each cycle of tubes once, in flow order from its lowest tube number. */
  private void checkCycles() {
    Map<Integer, Integer> drainsInto = new HashMap<>();
    for (CheckedTube tube : tubes.values()) {
      CheckedTube target = target(tube);
      if (target != null && target.number() != tube.number()) {
        drainsInto.put(tube.number(), target.number());
      }
    }
    Set<Integer> done = new HashSet<>();
    for (Integer start : tubes.keySet()) {
      List<Integer> path = new ArrayList<>();
      Integer at = start;
      while (at != null && !done.contains(at) && !path.contains(at)) {
        path.add(at);
        at = drainsInto.get(at);
      }
      if (at != null && path.contains(at)) {
        List<Integer> cycle = new ArrayList<>(path.subList(path.indexOf(at), path.size()));
        int lowest = cycle.indexOf(cycle.stream().min(Integer::compare).orElseThrow());
        List<Integer> ordered = new ArrayList<>(cycle.subList(lowest, cycle.size()));
        ordered.addAll(cycle.subList(0, lowest));
        ordered.add(ordered.get(0));
        problems.add(
            "tubes flow in a cycle: "
                + ordered.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(" → "))
                + "; water must leave the network somewhere (drop one \"flows_into\")");
      }
      done.addAll(path);
    }
  }

  private CheckedTube target(CheckedTube tube) {
    FlowsInto flowsInto = tube.tube().flowsInto();
    return flowsInto == null || flowsInto.tube() == null ? null : findTube(flowsInto.tube());
  }

  private CheckedTube findTube(String id) {
    return TUBE_NUMBER.matcher(id).matches() ? tubes.get(Integer.valueOf(id)) : null;
  }

  private static Tube canonical(CheckedTube checked) {
    Tube tube = checked.tube();
    List<Sensor> sensors = new ArrayList<>();
    for (int j = 0; j < tube.sensors().size(); j++) {
      Sensor sensor = tube.sensors().get(j);
      sensors.add(
          new Sensor(
              checked.sensors().get(j).toString(), sensor.name(), sensor.lat(), sensor.lon()));
    }
    FlowsInto flowsInto =
        tube.flowsInto() == null
            ? null
            : new FlowsInto(
                tube.flowsInto().tube(), SensorId.parse(tube.flowsInto().at()).toString());
    return new Tube(tube.id(), tube.name(), sensors, flowsInto);
  }

  /**
   * {@code "0-1" (= "01")} when the file spells an id other than canonically, else {@code "01"}.
   */
  private static String named(String asGiven, SensorId id) {
    String canonical = id.toString();
    return asGiven.equals(canonical)
        ? "\"" + canonical + "\""
        : "\"" + asGiven + "\" (= \"" + canonical + "\")";
  }

  private static String clip(String text) {
    return text.length() <= 24 ? text : text.substring(0, 24) + "…";
  }
}
