package org.kloaka.local.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.kloaka.core.port.RejectStore;
import org.kloaka.model.Reject;

/**
 * Refused messages, capped at the newest {@code keep}: every insert deletes the rows that fell out
 * of the window, in the same transaction (one index seek when nothing is to go).
 */
public final class SqliteRejectStore implements RejectStore {

  private static final String INSERT =
      "INSERT INTO reject (reason, received, payload) VALUES (?, ?, ?)";
  private static final String PRUNE =
      "DELETE FROM reject WHERE seq <= (SELECT max(seq) FROM reject) - ?";
  private static final String NEWEST =
      "SELECT reason, received, payload FROM reject ORDER BY seq DESC LIMIT ?";

  private final SqliteDatabase db;
  private final int keep;

  public SqliteRejectStore(SqliteDatabase db, int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("keep must be at least 1, was " + keep);
    }
    this.db = db;
    this.keep = keep;
    prune();
  }

  @Override
  public void add(Reject reject) {
    db.write(
        "record a rejected message",
        session -> {
          PreparedStatement insert = session.statement(INSERT);
          insert.setString(1, reject.reason());
          insert.setLong(2, reject.received());
          insert.setString(3, reject.payload());
          insert.executeUpdate();
          return prune(session.statement(PRUNE));
        });
  }

  /** Applies the cap at once, e.g. after it was lowered between runs. */
  private void prune() {
    db.write("prune the rejected messages", session -> prune(session.statement(PRUNE)));
  }

  private int prune(PreparedStatement prune) throws java.sql.SQLException {
    prune.setInt(1, keep);
    return prune.executeUpdate();
  }

  @Override
  public List<Reject> newest(int limit) {
    if (limit < 1) {
      return List.of();
    }
    return db.read(
        "read rejected messages",
        session -> {
          PreparedStatement newest = session.statement(NEWEST);
          newest.setInt(1, limit);
          List<Reject> rejects = new ArrayList<>();
          try (ResultSet rows = newest.executeQuery()) {
            while (rows.next()) {
              rejects.add(new Reject(rows.getString(1), rows.getLong(2), rows.getString(3)));
            }
          }
          return rejects;
        });
  }
}
