package org.kloaka.local.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.kloaka.core.port.SilenceWatch;
import org.kloaka.model.Device;
import org.kloaka.model.Filling;
import org.kloaka.model.SensorId;

/**
 * The silent-sensor sweep's reads: a range of the {@code device_by_last_update} index, and the
 * sweep's cut-off in {@code alarm_state} (docs/decisions/026).
 */
public final class SqliteSilenceWatch implements SilenceWatch {

  static final String CURSOR = "silence_swept_up_to";

  private static final String HEARD_IN =
      "SELECT id, last_value, last_update FROM device WHERE last_update > ? AND last_update <= ?";
  private static final String READ_CURSOR = "SELECT value FROM alarm_state WHERE name = ?";
  private static final String WRITE_CURSOR =
      "INSERT INTO alarm_state (name, value) VALUES (?, ?)"
          + " ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)";

  private final SqliteDatabase db;

  public SqliteSilenceWatch(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public List<Device> lastHeardIn(long after, long upTo) {
    return db.read(
        "find the devices last heard in a span",
        session -> {
          PreparedStatement query = session.statement(HEARD_IN);
          query.setLong(1, after);
          query.setLong(2, upTo);
          List<Device> devices = new ArrayList<>();
          try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
              devices.add(
                  new Device(
                      SensorId.parse(rows.getString(1)),
                      Filling.parse(rows.getString(2)),
                      rows.getLong(3),
                      null,
                      null));
            }
          }
          return devices;
        });
  }

  @Override
  public OptionalLong sweptUpTo() {
    return db.read(
        "read the silence sweep's cut-off",
        session -> {
          PreparedStatement read = session.statement(READ_CURSOR);
          read.setString(1, CURSOR);
          try (ResultSet row = read.executeQuery()) {
            return row.next() ? OptionalLong.of(row.getLong(1)) : OptionalLong.empty();
          }
        });
  }

  @Override
  public void sweptUpTo(long cutoff) {
    db.write(
        "write the silence sweep's cut-off",
        session -> {
          PreparedStatement write = session.statement(WRITE_CURSOR);
          write.setString(1, CURSOR);
          write.setLong(2, cutoff);
          return write.executeUpdate();
        });
  }
}
