package org.kloaka.core.port;

import java.util.List;
import java.util.Optional;
import org.kloaka.model.Device;
import org.kloaka.model.SensorId;

/**
 * Where devices live: one record per sensor with its bounded list of recent measurements.
 *
 * <p>A store may keep that list itself (DynamoDB) or read it from the {@link HistoryStore} (the
 * local SQLite store, which then ignores the list given to {@link #replace}): the organizer appends
 * each reading to the history in the same unit of work as the device write, and the list it builds
 * is always the device's newest history rows.
 */
public interface DeviceStore {

  /** The device with its measurements, or empty when it never reported. */
  Optional<Stored<Device>> find(SensorId id);

  /** Every device without its measurements, sorted by id (tube, then sensor number). */
  List<Device> list();

  /**
   * Writes {@code next} only if the stored device is still {@code expected} (same version), or,
   * when {@code expected} is {@code null}, only if no device with that id exists yet.
   *
   * @return false when another writer got there first; the caller re-reads and retries
   */
  boolean replace(Stored<Device> expected, Device next);
}
