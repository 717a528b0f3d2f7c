package org.kloaka.local.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;
import org.kloaka.core.port.PendingStore;
import org.kloaka.core.port.Stored;

/**
 * Confirmation waits in the {@code pending_fault} table, version-checked, written in the ingest
 * writer's transaction with the evaluation that found the pair not OK (docs/decisions/026).
 */
public final class SqlitePendingStore implements PendingStore {

  private static final String FIND =
      "SELECT since, version FROM pending_fault WHERE problem_id = ?";
  private static final String INSERT =
      "INSERT INTO pending_fault (problem_id, since, version) VALUES (?, ?, 1)"
          + " ON CONFLICT (problem_id) DO NOTHING";
  private static final String UPDATE =
      "UPDATE pending_fault SET since = ?, version = version + 1"
          + " WHERE problem_id = ? AND version = ?";
  private static final String DELETE =
      "DELETE FROM pending_fault WHERE problem_id = ? AND version = ?";

  private final SqliteDatabase db;

  public SqlitePendingStore(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public Optional<Stored<Pending>> find(String problemId) {
    return db.read(
        "read the wait of",
        problemId,
        session -> {
          PreparedStatement find = session.statement(FIND);
          find.setString(1, problemId);
          try (ResultSet row = find.executeQuery()) {
            return row.next()
                ? Optional.of(new Stored<>(new Pending(problemId, row.getLong(1)), row.getLong(2)))
                : Optional.empty();
          }
        });
  }

  @Override
  public boolean replace(Stored<Pending> expected, Pending next) {
    return db.write(
        "write the wait of",
        next.problemId(),
        session -> {
          PreparedStatement write;
          if (expected == null) {
            write = session.statement(INSERT);
            write.setString(1, next.problemId());
            write.setLong(2, next.since());
          } else {
            write = session.statement(UPDATE);
            write.setLong(1, next.since());
            write.setString(2, next.problemId());
            write.setLong(3, expected.version());
          }
          return write.executeUpdate() == 1;
        });
  }

  @Override
  public boolean remove(Stored<Pending> expected) {
    return db.write(
        "end the wait of",
        expected.value().problemId(),
        session -> {
          PreparedStatement delete = session.statement(DELETE);
          delete.setString(1, expected.value().problemId());
          delete.setLong(2, expected.version());
          return delete.executeUpdate() == 1;
        });
  }
}
