package org.kloaka.local.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.kloaka.model.SensorId;

/**
 * Grows a Kloaka store fast for {@code Bench --scale}: devices and history rows written straight
 * into the tables of schema version 4 (docs/decisions/028) in their key order, in large
 * transactions without fsync — a stand-in for months of traffic, not a way to ingest. Devices are
 * {@code devices / 100} tubes of 100 sensors (the benchmark's fleet among them); rows come two per
 * device per day, the oldest day first, ending yesterday, so that the newest day loaded is the one
 * before the runtime's own rows. The runtime must not be running on the file meanwhile, and must
 * have created it (the schema is the runtime's).
 */
final class BulkLoad {

  static final int ROWS_PER_DEVICE_PER_DAY = 2;
  private static final int PER_TUBE = 100;

  private final Path file;
  private final int deviceCount;
  private final long totalRows;
  private final long firstDay;
  private final List<String> ids; // in the text order of the history's key
  private long loaded;
  private int devicesLoaded;
  private long nextDay;

  BulkLoad(Path file, int devices, long totalRows, long nowSeconds) {
    this.file = file;
    this.deviceCount = Math.max(PER_TUBE, devices / PER_TUBE * PER_TUBE);
    this.totalRows = totalRows;
    long days =
        Math.max(1, (totalRows + rowsPerDay() - 1) / rowsPerDay()); // whole days of all devices
    this.firstDay = nowSeconds / 86_400 - days;
    this.nextDay = firstDay;
    List<String> all = new ArrayList<>(deviceCount);
    for (int i = 0; i < deviceCount; i++) {
      all.add(new SensorId(i / PER_TUBE, 1 + i % PER_TUBE).toString());
    }
    Collections.sort(all);
    this.ids = all;
  }

  private long rowsPerDay() {
    return (long) deviceCount * ROWS_PER_DEVICE_PER_DAY;
  }

  long loaded() {
    return loaded;
  }

  int devices() {
    return devicesLoaded;
  }

  /** The first (oldest) UTC day loaded. */
  long firstDay() {
    return firstDay;
  }

  String deviceId(int i) {
    return ids.get(i);
  }

  /** Adds devices (once) and whole days of rows until at least {@code target} rows are loaded. */
  void growTo(long target) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        Statement s = c.createStatement()) {
      s.execute("PRAGMA synchronous = OFF");
      s.execute("PRAGMA cache_size = -262144");
      c.setAutoCommit(false);
      if (devicesLoaded == 0) {
        loadDevices(c);
      }
      long seq;
      try (ResultSet row =
          s.executeQuery("SELECT seq FROM sqlite_sequence WHERE name = 'history_recent'")) {
        seq = row.next() ? row.getLong(1) : 0;
      }
      try (PreparedStatement insert =
          c.prepareStatement(
              "INSERT INTO history (day, device_id, dt, seq, filling, rssi, snr)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        int inBatch = 0;
        while (loaded < Math.min(target, totalRows)) {
          long day = nextDay++;
          for (String id : ids) {
            for (int k = 0; k < ROWS_PER_DEVICE_PER_DAY; k++) {
              insert.setLong(1, day);
              insert.setString(2, id);
              insert.setLong(3, day * 86_400 + 3_600 + k * 43_200L);
              insert.setLong(4, ++seq);
              insert.setString(5, Long.toString((seq * 7) % 101));
              insert.setDouble(6, -97);
              insert.setDouble(7, 7.5);
              insert.addBatch();
              if (++inBatch == 10_000) {
                insert.executeBatch();
                inBatch = 0;
              }
            }
          }
          loaded += rowsPerDay();
        }
        insert.executeBatch();
      }
      s.executeUpdate("UPDATE sqlite_sequence SET seq = " + seq + " WHERE name = 'history_recent'");
      if (s.getUpdateCount() == 0) {
        s.executeUpdate(
            "INSERT INTO sqlite_sequence (name, seq) VALUES ('history_recent', " + seq + ")");
      }
      c.commit();
      c.setAutoCommit(true);
      s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    }
  }

  private void loadDevices(Connection c) throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT OR IGNORE INTO device (id, tube, sensor, last_value, last_update, rssi, snr,"
                + " version) VALUES (?, ?, ?, '50', ?, -97, 7.5, 1)")) {
      for (int i = 0; i < deviceCount; i++) {
        SensorId id = new SensorId(i / PER_TUBE, 1 + i % PER_TUBE);
        insert.setString(1, id.toString());
        insert.setInt(2, id.tube());
        insert.setInt(3, id.sensor());
        insert.setLong(4, firstDay * 86_400);
        insert.addBatch();
      }
      insert.executeBatch();
    }
    devicesLoaded = deviceCount;
  }
}
