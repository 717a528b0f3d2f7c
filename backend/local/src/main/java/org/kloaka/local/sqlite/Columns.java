package org.kloaka.local.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import org.kloaka.model.Signal;

/** Reading and writing the nullable columns several tables share. */
final class Columns {

  private Columns() {}

  /** The signal in columns {@code at} (rssi) and {@code at + 1} (snr), or null when both are. */
  static Signal signal(ResultSet row, int at) throws SQLException {
    Double rssi = nullableDouble(row, at);
    Double snr = nullableDouble(row, at + 1);
    return rssi == null && snr == null ? null : new Signal(rssi, snr);
  }

  /** Binds rssi and snr at {@code at} and {@code at + 1}; answers the next parameter index. */
  static int setSignal(PreparedStatement statement, int at, Signal signal) throws SQLException {
    setNullableDouble(statement, at, signal == null ? null : signal.rssi());
    setNullableDouble(statement, at + 1, signal == null ? null : signal.snr());
    return at + 2;
  }

  static Double nullableDouble(ResultSet row, int column) throws SQLException {
    double value = row.getDouble(column);
    return row.wasNull() ? null : value;
  }

  static Long nullableLong(ResultSet row, int column) throws SQLException {
    long value = row.getLong(column);
    return row.wasNull() ? null : value;
  }

  static void setNullableDouble(PreparedStatement statement, int at, Double value)
      throws SQLException {
    if (value == null) {
      statement.setNull(at, Types.REAL);
    } else {
      statement.setDouble(at, value);
    }
  }

  static void setNullableLong(PreparedStatement statement, int at, Long value) throws SQLException {
    if (value == null) {
      statement.setNull(at, Types.INTEGER);
    } else {
      statement.setLong(at, value);
    }
  }

  static void setNullableString(PreparedStatement statement, int at, Object value)
      throws SQLException {
    if (value == null) {
      statement.setNull(at, Types.VARCHAR);
    } else {
      statement.setString(at, value.toString());
    }
  }
}
