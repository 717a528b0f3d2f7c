package org.kloaka.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.kloaka.ingest.IngestResult.Reading;
import org.kloaka.model.Device;
import org.kloaka.model.Measurement;

/** How one accepted reading changes a device record (CONTRACT §2). Pure functions. */
public final class DeviceRules {

  private DeviceRules() {}

  /**
   * The device after {@code reading}.
   *
   * @param keep how many recent measurements the record holds (older ones live in the history)
   */
  public static DeviceChange apply(Optional<Device> current, Reading reading, int keep) {
    Measurement measurement = new Measurement(reading.filling(), reading.time());
    if (current.isEmpty()) {
      Device registered =
          new Device(
              reading.id(),
              reading.filling(),
              reading.time(),
              List.of(measurement),
              reading.signal(),
              reading.devEui(),
              reading.battery(),
              reading.fCnt());
      return new DeviceChange(null, registered, true);
    }
    Device before = current.get();
    boolean late = reading.time() < before.lastUpdate();
    List<Measurement> recent = insertInOrder(before.measurementsOrEmpty(), measurement, keep);
    // A late reading adds to the history only; a current one brings its extra fields, and what it
    // lacks (TTN omits empty fields) keeps the value of the last message that had it.
    Device after =
        late
            ? before.withMeasurements(recent)
            : new Device(
                before.id(),
                reading.filling(),
                reading.time(),
                recent,
                newer(reading.signal(), before.signal()),
                newer(reading.devEui(), before.devEui()),
                newer(reading.battery(), before.battery()),
                newer(reading.fCnt(), before.fCnt()));
    return new DeviceChange(before, after, !late);
  }

  private static <T> T newer(T fromReading, T before) {
    return fromReading != null ? fromReading : before;
  }

  /**
   * Adds a measurement keeping the list oldest first (a late one goes where its time puts it, after
   * those of the same second) and only the newest {@code keep}.
   */
  private static List<Measurement> insertInOrder(
      List<Measurement> recent, Measurement measurement, int keep) {
    List<Measurement> next = new ArrayList<>(recent.size() + 1);
    next.addAll(recent);
    int at = next.size();
    while (at > 0 && next.get(at - 1).dt() > measurement.dt()) {
      at--;
    }
    next.add(at, measurement);
    int excess = next.size() - keep;
    // Immutable here, so the Device record keeps it as it is instead of copying it again.
    return List.copyOf(excess > 0 ? next.subList(excess, next.size()) : next);
  }

  /**
   * The outcome of one reading.
   *
   * @param before the device before, or {@code null} when this reading registered it
   * @param current says whether the reading became the device's last value (false for a late one)
   */
  public record DeviceChange(Device before, Device after, boolean current) {

    /** Whether {@code last_value} or {@code last_update} moved, which consoles are told about. */
    public boolean lastChanged() {
      return before == null
          || !before.lastValue().equals(after.lastValue())
          || before.lastUpdate() != after.lastUpdate();
    }
  }
}
