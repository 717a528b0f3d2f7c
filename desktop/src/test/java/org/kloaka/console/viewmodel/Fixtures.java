package org.kloaka.console.viewmodel;

import java.util.List;
import org.kloaka.api.Push;
import org.kloaka.model.Device;
import org.kloaka.model.Filling;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemStatus;
import org.kloaka.model.ProblemType;
import org.kloaka.model.SensorId;
import org.kloaka.network.NetworkDescription;
import org.kloaka.network.NetworkDescription.Sensor;
import org.kloaka.network.NetworkDescription.Tube;

/** Small records for the view-model tests. */
final class Fixtures {

  private Fixtures() {}

  static SensorId id(String text) {
    return SensorId.parse(text);
  }

  static Device device(String id, long value, long at) {
    return new Device(id(id), Filling.of(value), at, null, null);
  }

  static Push.DeviceState state(String id, long value, long at) {
    return new Push.DeviceState(id(id), Filling.of(value), at);
  }

  /** Tube 0: 01 → 02 → 03, draining into tube 1 at 12; tube 1: 11 → 12 → 13. */
  static NetworkDescription twoTubes() {
    return new NetworkDescription(
        List.of(
            new Tube(
                "0",
                "Via Roma trunk",
                List.of(
                    new Sensor("01", "Manhole 14", 41.9, 12.49),
                    new Sensor("02", null, null, null),
                    new Sensor("03", null, null, null)),
                new NetworkDescription.FlowsInto("1", "12")),
            new Tube(
                "1",
                null,
                List.of(
                    new Sensor("11", null, null, null),
                    new Sensor("12", null, null, null),
                    new Sensor("13", null, null, null)),
                null)));
  }

  static Problem problem(String up, String down, ProblemType type, long time, boolean active) {
    return new Problem(
        up + down,
        type,
        time,
        ProblemStatus.UNRESOLVED,
        id(up),
        id(down),
        Filling.of(100),
        Filling.of(50),
        active,
        time,
        null,
        null,
        null);
  }

  static Problem resolved(Problem p, long at, String note) {
    return new Problem(
        p.problemId(),
        p.problem(),
        p.problemTime(),
        ProblemStatus.RESOLVED,
        p.upstreamId(),
        p.downstreamId(),
        p.upstreamValue(),
        p.downstreamValue(),
        p.active(),
        p.lastSeen(),
        at,
        "operator",
        note);
  }

  static Problem seenAgain(Problem p, long lastSeen, boolean active) {
    return new Problem(
        p.problemId(),
        p.problem(),
        p.problemTime(),
        p.problemStatus(),
        p.upstreamId(),
        p.downstreamId(),
        p.upstreamValue(),
        p.downstreamValue(),
        active,
        lastSeen,
        p.resolvedTime(),
        p.resolvedBy(),
        p.note());
  }
}
