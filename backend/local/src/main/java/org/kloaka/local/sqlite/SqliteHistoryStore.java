package org.kloaka.local.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.kloaka.core.port.HistoryStore;
import org.kloaka.model.Filling;
import org.kloaka.model.Measurement;
import org.kloaka.model.SensorId;
import org.kloaka.model.Signal;

/** The measurement history: one row per accepted message, in arrival order within a second. */
public final class SqliteHistoryStore implements HistoryStore {

  /** Rows deleted per transaction when pruning, so ingest is never held up for long. */
  static final int PRUNE_CHUNK = 5_000;

  private static final String APPEND =
      "INSERT INTO measurement (device_id, dt, filling, rssi, snr) VALUES (?, ?, ?, ?, ?)";
  // Newest first to apply the limit, read back in reverse: the most recent N, oldest first.
  private static final String RANGE =
      "SELECT filling, dt FROM measurement WHERE device_id = ? AND dt BETWEEN ? AND ?"
          + " ORDER BY dt DESC, seq DESC LIMIT ?";
  private static final String PRUNE =
      "DELETE FROM measurement WHERE seq IN"
          + " (SELECT seq FROM measurement WHERE dt < ? ORDER BY dt LIMIT ?)";

  private final SqliteDatabase db;

  public SqliteHistoryStore(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public void append(SensorId id, Measurement measurement, Signal signal) {
    db.write(
        "add a measurement of",
        id,
        session -> {
          PreparedStatement append = session.statement(APPEND);
          append.setString(1, id.toString());
          append.setLong(2, measurement.dt());
          append.setString(3, measurement.filling().toString());
          Columns.setSignal(append, 4, signal);
          return append.executeUpdate();
        });
  }

  @Override
  public List<Measurement> range(SensorId id, long since, long until, int limit) {
    if (limit < 1 || since > until) {
      return List.of();
    }
    return db.read(
        "read the history of " + id,
        session -> {
          PreparedStatement range = session.statement(RANGE);
          range.setString(1, id.toString());
          range.setLong(2, since);
          range.setLong(3, until);
          range.setInt(4, limit);
          List<Measurement> newestFirst = new ArrayList<>();
          try (ResultSet rows = range.executeQuery()) {
            while (rows.next()) {
              newestFirst.add(new Measurement(Filling.parse(rows.getString(1)), rows.getLong(2)));
            }
          }
          Collections.reverse(newestFirst);
          return newestFirst;
        });
  }

  /** Deletes in chunks of {@value #PRUNE_CHUNK}, each its own transaction (unless in one). */
  @Override
  public long pruneBefore(long cutoff) {
    long total = 0;
    while (true) {
      int deleted =
          db.write(
              "prune the history",
              session -> {
                PreparedStatement prune = session.statement(PRUNE);
                prune.setLong(1, cutoff);
                prune.setInt(2, PRUNE_CHUNK);
                return prune.executeUpdate();
              });
      total += deleted;
      if (deleted < PRUNE_CHUNK) {
        return total;
      }
    }
  }
}
