package org.kloaka.local.sqlite;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kloaka.core.DeviceRules;
import org.kloaka.core.port.DeviceStore;
import org.kloaka.core.port.Stored;
import org.kloaka.model.Device;
import org.kloaka.model.Filling;
import org.kloaka.model.Measurement;
import org.kloaka.model.SensorId;
import org.kloaka.model.Signal;

/**
 * Devices in the {@code device} table. A device's recent measurements are not stored with it: they
 * are its newest {@code keep} rows of the measurement history (docs/decisions/012, 028). The port
 * has the caller append each recorded measurement to the history in the same transaction as {@link
 * #record}, so {@link #record} stores the device's state only and {@link #find} reads the recent
 * measurements back from the history. Ingest never reads them: the organizer and the inspector ask
 * for {@link #findState}.
 *
 * <p>Inside transactions (the ingest writer) device states are served from a cache of the ones last
 * read or written: the organizer and the inspector read the same few devices over and over. The
 * cache is touched only under the write lock, so it always matches what the writer sees (every
 * device write goes through {@link #record}), and a rollback empties it. Reads outside transactions
 * (REST) go to the file.
 */
public final class SqliteDeviceStore implements DeviceStore {

  /** Device states kept decoded for the writer. */
  static final int CACHE_SIZE = 4_096;

  /** The default length of the recent list (docs/ingest.md). */
  public static final int DEFAULT_KEEP = 100;

  private static final String FIND =
      "SELECT last_value, last_update, rssi, snr, version, gateway_id, dev_eui, battery, f_cnt"
          + " FROM device WHERE id = ?";
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

  /** With the default {@value #DEFAULT_KEEP} recent measurements per device (docs/ingest.md). */
  public SqliteDeviceStore(SqliteDatabase db) {
    this(db, DEFAULT_KEEP);
  }

  /**
   * @param keep how many of the newest history rows are a device's recent measurements
   */
  public SqliteDeviceStore(SqliteDatabase db, int keep) {
    this.db = db;
    this.keep = DeviceRules.checkKeep(keep);
    db.onEveryRollback(cache::clear);
  }

  /** The state and its newest {@code keep} history rows, from one snapshot. */
  @Override
  public Optional<Stored<Device>> find(SensorId id) {
    return db.readSnapshot(
        "read device",
        id,
        session -> {
          Optional<Stored<Device>> state = readState(session, id);
          if (state.isEmpty()) {
            return state;
          }
          List<Measurement> recent =
              SqliteHistoryStore.range(session, id, Long.MIN_VALUE, Long.MAX_VALUE, keep);
          return Optional.of(
              new Stored<>(state.get().value().withMeasurements(recent), state.get().version()));
        });
  }

  @Override
  public Optional<Stored<Device>> findState(SensorId id) {
    if (!db.inTransactionOnThisThread()) {
      return db.read("read device", id, session -> readState(session, id));
    }
    Optional<Stored<Device>> cached = cache.get(id);
    if (cached == null) {
      cached = db.read("read device", id, session -> readState(session, id));
      cache.put(id, cached);
    }
    return cached;
  }

  private static Optional<Stored<Device>> readState(Session session, SensorId id)
      throws SQLException {
    PreparedStatement find = session.statement(FIND);
    find.setString(1, id.toString());
    try (ResultSet row = find.executeQuery()) {
      if (!row.next()) {
        return Optional.empty();
      }
      return Optional.of(
          new Stored<>(
              new Device(
                  id,
                  Filling.parse(row.getString(1)),
                  row.getLong(2),
                  null,
                  signal(row, 3, 6),
                  row.getString(7),
                  battery(row.getString(8)),
                  Columns.nullableLong(row, 9)),
              row.getLong(5)));
    }
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
  public int keep() {
    return keep;
  }

  /** {@inheritDoc} The measurement itself is the history row the caller appends. */
  @Override
  public boolean record(Stored<Device> expected, Device next, Measurement added) {
    DeviceStore.requireState(next);
    if (expected != null && !expected.value().id().equals(next.id())) {
      throw new IllegalArgumentException(
          "cannot replace device " + expected.value().id() + " with " + next.id());
    }
    // What findState reads back after the commit.
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
