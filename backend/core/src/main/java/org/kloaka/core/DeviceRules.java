package org.kloaka.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.kloaka.ingest.IngestResult.Reading;
import org.kloaka.model.Device;
import org.kloaka.model.Measurement;

/** How one accepted reading changes a device record (docs/ingest.md). Pure functions. */
public final class DeviceRules {

  private DeviceRules() {}

  /**
   * The device's state after {@code reading}: its last value, last update and signal, without
   * measurements (the store keeps those, see {@link #recentWith}).
   */
  public static DeviceChange apply(Optional<Device> current, Reading reading) {
    if (current.isEmpty()) {
      Device registered =
          new Device(
              reading.id(),
              reading.filling(),
              reading.time(),
              null,
              reading.signal(),
              reading.devEui(),
              reading.battery(),
              reading.fCnt());
      return new DeviceChange(null, registered, true);
    }
    Device before = current.get().withoutMeasurements();
    boolean late = reading.time() < before.lastUpdate();
    // A late reading adds to the history only; a current one brings its extra fields, and what it
    // lacks (TTN omits empty fields) keeps the value of the last message that had it.
    Device after =
        late
            ? before
            : new Device(
                before.id(),
                reading.filling(),
                reading.time(),
                null,
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
   * A device's recent measurements after {@code added}: kept oldest first (a late one goes where
   * its time puts it, after those of the same second) and only the newest {@code keep}.
   */
  public static List<Measurement> recentWith(
      List<Measurement> recent, Measurement added, int keep) {
    List<Measurement> next = new ArrayList<>(recent.size() + 1);
    next.addAll(recent);
    int at = next.size();
    while (at > 0 && next.get(at - 1).dt() > added.dt()) {
      at--;
    }
    next.add(at, added);
    int excess = next.size() - keep;
    // Immutable here, so the Device record keeps it as it is instead of copying it again.
    return List.copyOf(excess > 0 ? next.subList(excess, next.size()) : next);
  }

  /**
   * @throws IllegalArgumentException when a store is asked to keep fewer than one measurement
   */
  public static int checkKeep(int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("keep must be at least 1, was " + keep);
    }
    return keep;
  }

  /**
   * The outcome of one reading.
   *
   * @param before the device's state before, or {@code null} when this reading registered it
   * @param after the device's state after (without measurements)
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
