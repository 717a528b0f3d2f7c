package org.kloaka.core.network;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.kloaka.core.Neighbours;
import org.kloaka.model.SensorId;
import org.kloaka.network.NetworkDescription;
import org.kloaka.network.NetworkDescription.Sensor;
import org.kloaka.network.NetworkDescription.Tube;

/**
 * Who flows into whom: the id convention (CONTRACT §1), overridden by an optional network file
 * (CONTRACT §6).
 *
 * <p>A sensor the file names follows the file: the one listed before it in its tube flows into it,
 * and so does the last sensor of every tube whose {@code flows_into} names it (a junction has
 * several previous sensors); the last sensor of a tube flows into its {@code flows_into.at}, or
 * nowhere. A sensor the file does not name, (T, S), follows the convention to (T, S±1) only when
 * that neighbour is not named either, so the file's chains and the convention's never mix.
 *
 * <p>Immutable and thread-safe.
 */
public final class Network implements Neighbours {

  private static final Network BY_ID_CONVENTION = new Network(null, Map.of(), Map.of());

  /** The file in canonical form, or null without a file. */
  private final NetworkDescription file;

  /** Previous sensors of every named sensor (empty list: a tube's source). */
  private final Map<SensorId, List<SensorId>> previous;

  /** The following sensor of every named sensor that has one. */
  private final Map<SensorId, SensorId> following;

  private Network(
      NetworkDescription file,
      Map<SensorId, List<SensorId>> previous,
      Map<SensorId, SensorId> following) {
    this.file = file;
    this.previous = previous;
    this.following = following;
  }

  /** The id convention alone, for a deployment without a network file. */
  public static Network byIdConvention() {
    return BY_ID_CONVENTION;
  }

  /**
   * The network a description gives.
   *
   * @throws NetworkException listing every problem, each naming its place in the description
   */
  public static Network of(NetworkDescription description) throws NetworkException {
    NetworkValidation.Checked checked = NetworkValidation.check(description);
    Map<SensorId, List<SensorId>> previous = new HashMap<>();
    Map<SensorId, SensorId> following = new HashMap<>();
    for (NetworkValidation.CheckedTube tube : checked.tubes().values()) {
      List<SensorId> sensors = tube.sensors();
      for (int i = 0; i < sensors.size(); i++) {
        previous.computeIfAbsent(sensors.get(i), id -> new ArrayList<>());
        if (i > 0) {
          previous.get(sensors.get(i)).add(sensors.get(i - 1));
          following.put(sensors.get(i - 1), sensors.get(i));
        }
      }
    }
    for (NetworkValidation.CheckedTube tube : checked.tubes().values()) {
      if (tube.tube().flowsInto() != null) {
        SensorId last = tube.sensors().get(tube.sensors().size() - 1);
        SensorId at = SensorId.parse(tube.tube().flowsInto().at());
        following.put(last, at);
        previous.get(at).add(last);
      }
    }
    Map<SensorId, List<SensorId>> frozen = new HashMap<>();
    previous.forEach((id, list) -> frozen.put(id, List.copyOf(list)));
    return new Network(checked.canonical(), Map.copyOf(frozen), Map.copyOf(following));
  }

  /** The network file in canonical form, or empty when the id convention alone applies. */
  public Optional<NetworkDescription> file() {
    return Optional.ofNullable(file);
  }

  /** Whether the network file lists {@code id}. */
  public boolean names(SensorId id) {
    return previous.containsKey(id);
  }

  @Override
  public List<SensorId> previousOf(SensorId id) {
    if (names(id)) {
      return previous.get(id);
    }
    return id.previous().filter(p -> !names(p)).map(List::of).orElse(List.of());
  }

  @Override
  public List<SensorId> followingOf(SensorId id) {
    if (names(id)) {
      SensorId next = following.get(id);
      return next == null ? List.of() : List.of(next);
    }
    return id.following().filter(f -> !names(f)).map(List::of).orElse(List.of());
  }

  /**
   * The network as {@code GET /network} shows it (CONTRACT §4): the file's tubes as given (ids
   * canonical), then, for the known devices the file does not name, sensors marked {@code derived}
   * in sensor-number order: appended to the file's tube of their number when there is one, else in
   * a tube of their own per tube number (by number, after the file's tubes). See
   * docs/decisions/004-effective-network.md.
   */
  public NetworkDescription effective(Collection<SensorId> knownDevices) {
    Map<Integer, Set<SensorId>> unnamedByTube = new TreeMap<>();
    for (SensorId id : knownDevices) {
      if (!names(id)) {
        unnamedByTube.computeIfAbsent(id.tube(), t -> new TreeSet<>()).add(id);
      }
    }
    List<Tube> tubes = new ArrayList<>();
    if (file != null) {
      for (Tube tube : file.tubes()) {
        Set<SensorId> extra = unnamedByTube.remove(Integer.valueOf(tube.id()));
        if (extra == null) {
          tubes.add(tube);
        } else {
          List<Sensor> sensors = new ArrayList<>(tube.sensors());
          extra.forEach(id -> sensors.add(Sensor.derived(id.toString())));
          tubes.add(new Tube(tube.id(), tube.name(), sensors, tube.flowsInto()));
        }
      }
    }
    unnamedByTube.forEach(
        (number, ids) ->
            tubes.add(
                new Tube(
                    String.valueOf(number),
                    null,
                    ids.stream().map(id -> Sensor.derived(id.toString())).toList(),
                    null)));
    return new NetworkDescription(tubes);
  }
}
