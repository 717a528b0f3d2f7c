package org.kloaka.local.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kloaka.api.Json;
import org.kloaka.core.port.DeviceStore;
import org.kloaka.core.port.Stored;
import org.kloaka.model.Device;
import org.kloaka.model.Filling;
import org.kloaka.model.Measurement;
import org.kloaka.model.SensorId;

/**
 * Devices in the {@code device} table; the recent measurements are a JSON array in one column.
 *
 * <p>Inside transactions (the ingest writer) devices are served from a cache of the ones last read
 * or written: the organizer and the inspector read the same few devices over and over, and decoding
 * their measurements dominated ingest time. The cache is touched only under the write lock, so it
 * always matches what the writer sees, and a rollback empties it. Reads outside transactions (REST)
 * go to the file.
 */
public final class SqliteDeviceStore implements DeviceStore {

  /** Devices kept decoded for the writer. */
  static final int CACHE_SIZE = 4_096;

  private static final TypeReference<List<Measurement>> MEASUREMENTS = new TypeReference<>() {};
  private static final String FIND =
      "SELECT last_value, last_update, measurements, rssi, snr, version FROM device WHERE id = ?";
  private static final String LIST =
      "SELECT id, last_value, last_update, rssi, snr FROM device ORDER BY tube, sensor";
  private static final String INSERT =
      "INSERT INTO device (id, tube, sensor, last_value, last_update, measurements, rssi, snr,"
          + " version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT (id) DO NOTHING";
  private static final String UPDATE =
      "UPDATE device SET last_value = ?, last_update = ?, measurements = ?, rssi = ?, snr = ?,"
          + " version = version + 1 WHERE id = ? AND version = ?";
  private static final String COUNT = "SELECT count(*) FROM device";

  private final SqliteDatabase db;
  private final ObjectMapper json = Json.newMapper();
  private final Map<SensorId, Stored<Device>> cache =
      new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<SensorId, Stored<Device>> eldest) {
          return size() > CACHE_SIZE;
        }
      };

  public SqliteDeviceStore(SqliteDatabase db) {
    this.db = db;
    db.onEveryRollback(cache::clear);
  }

  @Override
  public Optional<Stored<Device>> find(SensorId id) {
    if (!db.inTransactionOnThisThread()) {
      return read(id);
    }
    Stored<Device> cached = cache.get(id);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<Stored<Device>> read = read(id);
    read.ifPresent(stored -> cache.put(id, stored));
    return read;
  }

  private Optional<Stored<Device>> read(SensorId id) {
    return db.read(
        "read device " + id,
        session -> {
          PreparedStatement find = session.statement(FIND);
          find.setString(1, id.toString());
          try (ResultSet row = find.executeQuery()) {
            if (!row.next()) {
              return Optional.empty();
            }
            Device device =
                new Device(
                    id,
                    Filling.parse(row.getString(1)),
                    row.getLong(2),
                    measurements(row.getString(3)),
                    Columns.signal(row, 4));
            return Optional.of(new Stored<>(device, row.getLong(6)));
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
                      Columns.signal(rows, 4)));
            }
          }
          return devices;
        });
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
    String measurements = toJson(next.measurementsOrEmpty());
    Stored<Device> written = new Stored<>(next, expected == null ? 1 : expected.version() + 1);
    return db.write(
        "write device " + next.id(),
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
          write.setString(i++, measurements);
          i = Columns.setSignal(write, i, next.signal());
          if (expected != null) {
            write.setString(i++, next.id().toString());
            write.setLong(i, expected.version());
          }
          if (write.executeUpdate() != 1) {
            cache.remove(next.id());
            return false;
          }
          cache.put(next.id(), written);
          return true;
        });
  }

  private List<Measurement> measurements(String text) throws SQLException {
    try {
      return json.readValue(text, MEASUREMENTS);
    } catch (JsonProcessingException e) {
      throw new SQLException("a device's measurements column is not valid JSON", e);
    }
  }

  private String toJson(List<Measurement> measurements) {
    try {
      return json.writeValueAsString(measurements);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("measurements cannot be written as JSON", e);
    }
  }
}
