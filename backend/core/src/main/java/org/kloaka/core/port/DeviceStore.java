package org.kloaka.core.port;

import java.util.List;
import java.util.Optional;
import org.kloaka.model.Device;
import org.kloaka.model.Measurement;
import org.kloaka.model.SensorId;

/**
 * Where devices live: one record per sensor with its recent measurements, which are the newest
 * {@link #keep()} of its accepted measurements, oldest first (docs/ingest.md). How many that is,
 * and how the list is kept, is the store's business: it is configured on the store alone.
 */
public interface DeviceStore {

  /** The device with its recent measurements, or empty when it never reported. */
  Optional<Stored<Device>> find(SensorId id);

  /**
   * The device's state without its recent measurements ({@code measurements()} is {@code null}), at
   * the same version {@link #find} would give: all that the organizer and the inspector read on
   * every message. Stores that keep the recent measurements apart from the device (SQLite,
   * DynamoDB: they are the newest history rows) answer it without reading the history.
   */
  default Optional<Stored<Device>> findState(SensorId id) {
    return find(id)
        .map(found -> new Stored<>(found.value().withoutMeasurements(), found.version()));
  }

  /** Every device without its measurements, sorted by id (tube, then sensor number). */
  List<Device> list();

  /** How many recent measurements {@link #find} gives per device. */
  int keep();

  /**
   * Stores one accepted reading of a device, only if the stored device is still {@code expected}
   * (same version), or, when {@code expected} is {@code null}, only if no device with that id
   * exists yet: its last value, last update and signal become those of {@code state}, and {@code
   * added} joins its recent measurements where its time puts it (after those of the same second),
   * keeping the newest {@link #keep()}.
   *
   * <p>The caller appends {@code added} to the {@link HistoryStore} in the same unit of work; a
   * store whose recent measurements are the newest rows of that history (SQLite) relies on it.
   *
   * @param state the device's state after the reading, without measurements ({@link
   *     Device#withoutMeasurements()})
   * @return false when another writer got there first; the caller re-reads and retries
   * @throws IllegalArgumentException when {@code state} carries measurements
   */
  boolean record(Stored<Device> expected, Device state, Measurement added);

  /**
   * @throws IllegalArgumentException when {@code state} carries a measurement list
   */
  static void requireState(Device state) {
    if (state.measurements() != null) {
      throw new IllegalArgumentException(
          "a device's state is written without measurements: they are kept by the store");
    }
  }
}
