package org.kloaka.core;

import java.util.List;
import org.kloaka.ingest.IngestResult.Reading;
import org.kloaka.model.Device;
import org.kloaka.model.Filling;
import org.kloaka.model.Measurement;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemStatus;
import org.kloaka.model.ProblemType;
import org.kloaka.model.SensorId;

/** Short ways to build the records core tests need. */
public final class TestData {

  private TestData() {}

  public static SensorId id(String text) {
    return SensorId.parse(text);
  }

  public static Reading reading(String id, String filling, long time) {
    return new Reading(id(id), Filling.parse(filling), time, null);
  }

  /** A device whose one measurement is its last value. */
  public static Device device(String id, String filling, long time) {
    Filling value = Filling.parse(filling);
    return new Device(id(id), value, time, List.of(new Measurement(value, time)), null);
  }

  public static Problem unresolved(String up, String down, ProblemType type, long time) {
    return new Problem(
        Problem.idOf(id(up), id(down)),
        type,
        time,
        ProblemStatus.UNRESOLVED,
        id(up),
        id(down),
        Filling.of(100),
        Filling.of(0),
        true,
        time,
        null,
        null,
        null);
  }

  public static Problem resolved(String up, String down, ProblemType type, long time, long at) {
    Problem open = unresolved(up, down, type, time);
    return ProblemLifecycle.resolved(open, "operator", null, at).orElseThrow();
  }
}
