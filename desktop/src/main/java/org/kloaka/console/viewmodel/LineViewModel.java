package org.kloaka.console.viewmodel;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.SimpleObjectProperty;
import org.kloaka.api.Push;
import org.kloaka.core.network.Network;
import org.kloaka.model.Device;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemType;
import org.kloaka.model.SensorId;
import org.kloaka.network.NetworkDescription;
import org.kloaka.network.NetworkException;

/**
 * The sewer line's state: tubes of sensors in flow order, the segments between neighbours and what
 * each sensor and pair last said. Changes are counted in {@link #revision()} (once per batch, not
 * per sensor) so that a view of 2,000 sensors redraws once per pulse, not per push.
 *
 * <p>Only the FX thread (or a test's thread) calls the mutators.
 */
public final class LineViewModel {

  private final Clock clock;
  private final List<TubeRun> tubes = new ArrayList<>();
  private final Map<SensorId, SensorNode> sensors = new HashMap<>();
  private final Map<String, Segment> segments = new LinkedHashMap<>();
  private final Map<String, Problem> problems = new HashMap<>();

  /** Sensors named by an open, active SILENT record. */
  private final Set<SensorId> silentRecords = new HashSet<>();

  private final ReadOnlyIntegerWrapper silentCount = new ReadOnlyIntegerWrapper(this, "silent");
  private final ReadOnlyLongWrapper revision = new ReadOnlyLongWrapper(this, "revision");
  private final ReadOnlyLongWrapper layoutRevision = new ReadOnlyLongWrapper(this, "layout");
  private final ObjectProperty<Duration> staleAfter =
      new SimpleObjectProperty<>(this, "staleAfter", Duration.ofHours(1));
  private final ReadOnlyIntegerWrapper reporting = new ReadOnlyIntegerWrapper(this, "reporting");
  private Network rules = Network.byIdConvention();
  private boolean dirty;

  public LineViewModel(Clock clock, Duration staleAfter) {
    this.clock = clock;
    this.staleAfter.set(staleAfter);
    this.staleAfter.addListener((o, was, now) -> touch());
  }

  /** Bumped after every batch of changes: redraw. */
  public ReadOnlyLongProperty revision() {
    return revision.getReadOnlyProperty();
  }

  /** Bumped when tubes or sensors are added or removed: lay the line out again. */
  public ReadOnlyLongProperty layoutRevision() {
    return layoutRevision.getReadOnlyProperty();
  }

  public ObjectProperty<Duration> staleAfter() {
    return staleAfter;
  }

  public Clock clock() {
    return clock;
  }

  public List<TubeRun> tubes() {
    return Collections.unmodifiableList(tubes);
  }

  public Collection<Segment> segments() {
    return Collections.unmodifiableCollection(segments.values());
  }

  public int sensorCount() {
    return sensors.size();
  }

  /** How many sensors have reported at least once (updated with every batch). */
  public ReadOnlyIntegerProperty reportingCount() {
    return reporting.getReadOnlyProperty();
  }

  /** How many sensors are silent (stale by the clock or by an open SILENT record). */
  public ReadOnlyIntegerProperty silentCount() {
    return silentCount.getReadOnlyProperty();
  }

  public Optional<SensorNode> sensor(SensorId id) {
    return Optional.ofNullable(sensors.get(id));
  }

  public Optional<Segment> segment(String pairId) {
    return Optional.ofNullable(segments.get(pairId));
  }

  public boolean isStale(SensorNode node) {
    return node.isStale(clock.instant(), staleAfter.get());
  }

  /**
   * Replaces the whole line by the effective network and the devices' current values (a re-sync).
   * Devices the network does not name are added to their tube by the id convention.
   */
  public void replace(NetworkDescription network, List<Device> devices) {
    tubes.clear();
    sensors.clear();
    segments.clear();
    Map<String, TubeRun> byId = new LinkedHashMap<>();
    List<NetworkDescription.Tube> described =
        network == null || network.tubes() == null ? List.of() : network.tubes();
    for (NetworkDescription.Tube tube : described) {
      TubeRun run = byId.computeIfAbsent(tube.id(), id -> new TubeRun(id, tube.name()));
      for (NetworkDescription.Sensor sensor :
          tube.sensors() == null ? List.<NetworkDescription.Sensor>of() : tube.sensors()) {
        Optional<SensorId> id = SensorId.tryParse(sensor.id());
        if (id.isEmpty() || sensors.containsKey(id.get())) {
          continue; // the backend validated the file; a bad entry here is not worth a crash
        }
        SensorNode node =
            new SensorNode(
                id.get(),
                sensor.name(),
                sensor.lat(),
                sensor.lon(),
                Boolean.TRUE.equals(sensor.derived()));
        sensors.put(node.id(), node);
        run.mutableSensors().add(node);
      }
    }
    tubes.addAll(byId.values());
    rules = rulesOf(described);
    for (NetworkDescription.Tube tube : described) {
      NetworkDescription.FlowsInto into = tube.flowsInto();
      if (into != null) {
        SensorId.tryParse(into.at()).map(sensors::get).ifPresent(byId.get(tube.id())::drainsInto);
      }
    }
    for (Device device : devices) {
      if (!sensors.containsKey(device.id())) {
        addByConvention(device.id());
      }
      sensors.get(device.id()).update(device.lastValue(), device.lastUpdate(), device.signal());
    }
    rebuildSegments();
    layoutRevision.set(layoutRevision.get() + 1);
    dirty = true;
    commit();
  }

  private SensorNode addByConvention(SensorId id) {
    String tubeId = Integer.toString(id.tube());
    TubeRun run = null;
    for (TubeRun candidate : tubes) {
      if (candidate.id().equals(tubeId)) {
        run = candidate;
      }
    }
    if (run == null) {
      run = new TubeRun(tubeId, null);
      int at = 0;
      while (at < tubes.size() && tubeNumber(tubes.get(at)) < id.tube()) {
        at++;
      }
      tubes.add(at, run);
    }
    SensorNode node = new SensorNode(id, null, null, null, true);
    List<SensorNode> list = run.mutableSensors();
    int at = list.size();
    while (at > 0
        && list.get(at - 1).id().tube() == id.tube()
        && list.get(at - 1).id().sensor() > id.sensor()) {
      at--;
    }
    list.add(at, node);
    sensors.put(id, node);
    return node;
  }

  private static int tubeNumber(TubeRun run) {
    try {
      return Integer.parseInt(run.id());
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }

  /**
   * The segments between neighbours as the backend's own rules ({@link Network}) define them, from
   * the named sensors of the effective network; a link between sensors that are not next to each
   * other in one run is a junction.
   */
  private void rebuildSegments() {
    segments.clear();
    Map<SensorNode, TubeRun> runOf = new HashMap<>();
    Map<SensorNode, Integer> indexOf = new HashMap<>();
    for (TubeRun run : tubes) {
      for (int i = 0; i < run.sensors().size(); i++) {
        runOf.put(run.sensors().get(i), run);
        indexOf.put(run.sensors().get(i), i);
      }
    }
    for (TubeRun run : tubes) {
      for (SensorNode node : run.sensors()) {
        for (SensorId next : rules.followingOf(node.id())) {
          SensorNode target = sensors.get(next);
          if (target != null) {
            boolean adjacent =
                runOf.get(target) == run && indexOf.get(target) == indexOf.get(node) + 1;
            put(new Segment(node, target, !adjacent));
          }
        }
      }
    }
  }

  /** The neighbour rules of the network's named sensors (the derived ones follow the ids). */
  private static Network rulesOf(List<NetworkDescription.Tube> described) {
    List<NetworkDescription.Tube> named = new ArrayList<>();
    for (NetworkDescription.Tube tube : described) {
      List<NetworkDescription.Sensor> sensors = new ArrayList<>();
      for (NetworkDescription.Sensor sensor :
          tube.sensors() == null ? List.<NetworkDescription.Sensor>of() : tube.sensors()) {
        if (!Boolean.TRUE.equals(sensor.derived())) {
          sensors.add(sensor);
        }
      }
      if (!sensors.isEmpty()) {
        named.add(new NetworkDescription.Tube(tube.id(), tube.name(), sensors, tube.flowsInto()));
      }
    }
    if (named.isEmpty()) {
      return Network.byIdConvention();
    }
    try {
      return Network.of(new NetworkDescription(named));
    } catch (NetworkException e) {
      // The backend validated its file; if its answer does not pass, the ids still place sensors.
      return Network.byIdConvention();
    }
  }

  private void put(Segment segment) {
    segment.problem(problems.get(segment.pairId()));
    segments.put(segment.pairId(), segment);
  }

  /** A device push: a newer value for a sensor (an unknown sensor joins its tube). */
  public void apply(Push.DeviceState device) {
    SensorNode node = sensors.get(device.id());
    if (node == null) {
      node = addByConvention(device.id());
      rebuildSegments();
      layoutRevision.set(layoutRevision.get() + 1);
      dirty = true;
    }
    if (node.update(device.lastValue(), device.lastUpdate(), null)) {
      dirty = true;
    }
  }

  /** A problem record (pushed or re-read): the segment of its pair shows it. */
  public void apply(Problem problem) {
    problems.put(problem.problemId(), problem);
    if (problem.problem() == ProblemType.SILENT) {
      if (!problem.isResolved() && problem.active()) {
        silentRecords.add(problem.upstreamId());
      } else {
        silentRecords.remove(problem.upstreamId());
      }
    }
    Segment segment = segments.get(problem.problemId());
    if (segment != null) {
      segment.problem(problem);
    }
    dirty = true;
  }

  /** All problem records after a re-sync: records no longer listed are forgotten. */
  public void replaceProblems(Collection<Problem> all) {
    problems.clear();
    silentRecords.clear();
    for (Segment segment : segments.values()) {
      segment.problem(null);
    }
    all.forEach(this::apply);
  }

  /** Ends a batch: one revision bump if anything changed. */
  public void commit() {
    if (dirty) {
      dirty = false;
      countAndMarkSilent();
      revision.set(revision.get() + 1);
    }
  }

  /** Forces a redraw, e.g. when time passes and sensors turn stale. */
  public void touch() {
    countAndMarkSilent();
    revision.set(revision.get() + 1);
  }

  private void countAndMarkSilent() {
    int count = 0;
    int silent = 0;
    java.time.Instant now = clock.instant();
    Duration after = staleAfter.get();
    for (SensorNode node : sensors.values()) {
      count += node.value() == null ? 0 : 1;
      node.silent(node.isStale(now, after) || silentRecords.contains(node.id()));
      silent += node.silent() ? 1 : 0;
    }
    reporting.set(count);
    silentCount.set(silent);
  }

  /**
   * The sensor an operator typed: an id in either spelling, else the first whose name contains the
   * text (case-insensitive).
   */
  public Optional<SensorNode> find(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    String query = text.strip();
    Optional<SensorId> id = SensorId.tryParse(query);
    if (id.isPresent() && sensors.containsKey(id.get())) {
      return Optional.of(sensors.get(id.get()));
    }
    String lower = query.toLowerCase(Locale.ROOT);
    for (TubeRun run : tubes) {
      for (SensorNode node : run.sensors()) {
        if (node.name() != null && node.name().toLowerCase(Locale.ROOT).contains(lower)) {
          return Optional.of(node);
        }
      }
    }
    return Optional.empty();
  }
}
