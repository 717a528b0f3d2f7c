package org.kloaka.local.sqlite;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kloaka.core.port.DeviceStore;
import org.kloaka.core.port.Stored;
import org.kloaka.model.Device;
import org.kloaka.model.Filling;
import org.kloaka.model.Measurement;
import org.kloaka.model.SensorId;
import org.kloaka.model.Signal;

/**
 * Devices in the {@code device} table. A device's recent measurements are not stored with it: they
 * are its newest {@code keep} rows of the measurement history (docs/decisions/012). The organizer
 * appends every accepted reading to the history in the same transaction as the device write, and
 * the list it computes is exactly those rows, so {@link #replace} stores everything of {@code next}
 * but its list, and {@link #find} reads the list back from the history. Rewriting a 100-entry JSON
 * list on every message took 40 % of the ingest writer's time.
 *
 * <p>Inside transactions (the ingest writer) devices are served from a cache of the ones last read
 * or written: the organizer and the inspector read the same few devices over and over. The cache is
 * touched only under the write lock, so it always matches what the writer sees (every device write
 * goes through {@link #replace}), and a rollback empties it. Reads outside transactions (REST) go
 * to the file.
 */
public final class SqliteDeviceStore implements DeviceStore {

  /** Devices kept decoded for the writer. */
  static final int CACHE_SIZE = 4_096;

  /** CONTRACT §2's default length of the recent list. */
  public static final int DEFAULT_KEEP = 100;

  // One statement, so the device and its measurements come from one snapshot: a row per recent
  // measurement, newest first (one row with null measurement columns for a device without any).
  private static final String FIND =
      "SELECT d.last_value, d.last_update, d.rssi, d.snr, d.version, m.filling, m.dt,"
          + " d.gateway_id, d.dev_eui, d.battery, d.f_cnt"
          + " FROM device d LEFT JOIN (SELECT filling, dt, seq FROM measurement"
          + " WHERE device_id = ?1 ORDER BY dt DESC, seq DESC LIMIT ?2) m ON 1"
          + " WHERE d.id = ?1 ORDER BY m.dt DESC, m.seq DESC";
  private static final String LIST =
      "SELECT id, last_value, last_update, rssi, snr, gateway_id, dev_eui, battery, f_cnt"
          + " FROM device ORDER BY tube, sensor";
  private static final String INSERT =
      "INSERT INTO device (id, tube, sensor, last_value, last_update, rssi, snr, gateway_id,"
          + " dev_eui, battery, f_cnt, version)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT (id) DO NOTHING";
  private static final String UPDATE =
      "UPDATE device SET last_value = ?, last_update = ?, rssi = ?, snr = ?, gateway_id = ?,"
          + " dev_eui = ?, battery = ?, f_cnt = ?, version = version + 1"
          + " WHERE id = ? AND version = ?";
  private static final String COUNT = "SELECT count(*) FROM device";

  private final SqliteDatabase db;
  private final int keep;
  // Absent devices too: the inspector asks for the neighbours of every tube's first and last
  // sensor (T,0) and (T,S+1) on each of their messages, and they mostly do not exist.
  private final Map<SensorId, Optional<Stored<Device>>> cache =
      new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<SensorId, Optional<Stored<Device>>> eldest) {
          return size() > CACHE_SIZE;
        }
      };

  /** With CONTRACT §2's {@value #DEFAULT_KEEP} recent measurements per device. */
  public SqliteDeviceStore(SqliteDatabase db) {
    this(db, DEFAULT_KEEP);
  }

  /**
   * @param keep how many of the newest history rows are a device's recent measurements: the
   *     organizer's {@code keep}
   */
  public SqliteDeviceStore(SqliteDatabase db, int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("keep must be at least 1, was " + keep);
    }
    this.db = db;
    this.keep = keep;
    db.onEveryRollback(cache::clear);
  }

  @Override
  public Optional<Stored<Device>> find(SensorId id) {
    if (!db.inTransactionOnThisThread()) {
      return read(id);
    }
    Optional<Stored<Device>> cached = cache.get(id);
    if (cached == null) {
      cached = read(id);
      cache.put(id, cached);
    }
    return cached;
  }

  private Optional<Stored<Device>> read(SensorId id) {
    return db.read(
        "read device",
        id,
        session -> {
          PreparedStatement find = session.statement(FIND);
          find.setString(1, id.toString());
          find.setInt(2, keep);
          try (ResultSet rows = find.executeQuery()) {
            if (!rows.next()) {
              return Optional.empty();
            }
            Filling lastValue = Filling.parse(rows.getString(1));
            long lastUpdate = rows.getLong(2);
            Signal signal = signal(rows, 3, 8);
            long version = rows.getLong(5);
            String devEui = rows.getString(9);
            BigDecimal battery = battery(rows.getString(10));
            Long fCnt = Columns.nullableLong(rows, 11);
            List<Measurement> newestFirst = new ArrayList<>();
            do {
              String filling = rows.getString(6);
              if (filling != null) {
                newestFirst.add(new Measurement(Filling.parse(filling), rows.getLong(7)));
              }
            } while (rows.next());
            Collections.reverse(newestFirst);
            return Optional.of(
                new Stored<>(
                    new Device(
                        id, lastValue, lastUpdate, newestFirst, signal, devEui, battery, fCnt),
                    version));
          }
        });
  }

  @Override
  public List<Device> list() {
    return db.read(
        "list devices",
        session -> {
          List<Device> devices = new ArrayList<>();
          try (ResultSet rows = session.statement(LIST).executeQuery()) {
            while (rows.next()) {
              devices.add(
                  new Device(
                      SensorId.parse(rows.getString(1)),
                      Filling.parse(rows.getString(2)),
                      rows.getLong(3),
                      null,
                      signal(rows, 4, 6),
                      rows.getString(7),
                      battery(rows.getString(8)),
                      Columns.nullableLong(rows, 9)));
            }
          }
          return devices;
        });
  }

  private static Signal signal(ResultSet row, int rssiAt, int gatewayAt) throws SQLException {
    Signal radio = Columns.signal(row, rssiAt);
    String gateway = row.getString(gatewayAt);
    if (gateway == null) {
      return radio;
    }
    return radio == null
        ? new Signal(null, null, gateway)
        : new Signal(radio.rssi(), radio.snr(), gateway);
  }

  private static BigDecimal battery(String text) {
    return text == null ? null : new BigDecimal(text);
  }

  /** How many devices are registered (for the start-up log). */
  public int count() {
    return db.read(
        "count devices",
        session -> {
          try (ResultSet row = session.statement(COUNT).executeQuery()) {
            return row.next() ? row.getInt(1) : 0;
          }
        });
  }

  @Override
  public boolean replace(Stored<Device> expected, Device next) {
    if (expected != null && !expected.value().id().equals(next.id())) {
      throw new IllegalArgumentException(
          "cannot replace device " + expected.value().id() + " with " + next.id());
    }
    Stored<Device> written = new Stored<>(next, expected == null ? 1 : expected.version() + 1);
    return db.write(
        "write device",
        next.id(),
        session -> {
          PreparedStatement write;
          int i = 1;
          if (expected == null) {
            write = session.statement(INSERT);
            write.setString(i++, next.id().toString());
            write.setInt(i++, next.id().tube());
            write.setInt(i++, next.id().sensor());
          } else {
            write = session.statement(UPDATE);
          }
          write.setString(i++, next.lastValue().toString());
          write.setLong(i++, next.lastUpdate());
          i = Columns.setSignal(write, i, next.signal());
          Columns.setNullableString(
              write, i++, next.signal() == null ? null : next.signal().gatewayId());
          Columns.setNullableString(write, i++, next.devEui());
          Columns.setNullableString(
              write, i++, next.battery() == null ? null : next.battery().toString());
          Columns.setNullableLong(write, i++, next.fCnt());
          if (expected != null) {
            write.setString(i++, next.id().toString());
            write.setLong(i, expected.version());
          }
          if (write.executeUpdate() != 1) {
            cache.remove(next.id());
            return false;
          }
          cache.put(next.id(), Optional.of(written));
          return true;
        });
  }
}
