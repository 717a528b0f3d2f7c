package org.kloaka.local.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kloaka.core.port.ProblemStore;
import org.kloaka.core.port.Stored;
import org.kloaka.model.Filling;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemEvent;
import org.kloaka.model.ProblemStatus;
import org.kloaka.model.ProblemType;
import org.kloaka.model.SensorId;

/**
 * Problem records in the {@code problem} table, one per pair, version-checked.
 *
 * <p>Inside transactions (the ingest writer, a PATCH) records are served from a cache of the ones
 * last read or written — absent ones included: the inspector looks up every pair of every message,
 * and almost always finds nothing. As for devices, the cache is touched only under the write lock,
 * every write goes through {@link #replace}, and a rollback empties it. A record's timeline events
 * are inserted in the same transaction ({@link SqliteTimelineStore}).
 */
public final class SqliteProblemStore implements ProblemStore {

  private static final String COLUMNS =
      "problem_id, problem, problem_time, problem_status, upstream_id, downstream_id,"
          + " upstream_value, downstream_value, active, last_seen, resolved_time, resolved_by,"
          + " note, acknowledged_time, acknowledged_by";
  private static final String FIND =
      "SELECT " + COLUMNS + ", version FROM problem WHERE problem_id = ?";
  private static final String LIST_ALL =
      "SELECT " + COLUMNS + " FROM problem ORDER BY problem_time DESC, problem_id";
  private static final String LIST_BY_STATUS =
      "SELECT "
          + COLUMNS
          + " FROM problem WHERE problem_status = ? ORDER BY problem_time DESC, problem_id";
  private static final String INSERT =
      "INSERT INTO problem (problem, problem_time, problem_status, upstream_id, downstream_id,"
          + " upstream_value, downstream_value, active, last_seen, resolved_time, resolved_by,"
          + " note, acknowledged_time, acknowledged_by, problem_id, version)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)"
          + " ON CONFLICT (problem_id) DO NOTHING";
  private static final String UPDATE =
      "UPDATE problem SET problem = ?, problem_time = ?, problem_status = ?, upstream_id = ?,"
          + " downstream_id = ?, upstream_value = ?, downstream_value = ?, active = ?,"
          + " last_seen = ?, resolved_time = ?, resolved_by = ?, note = ?, acknowledged_time = ?,"
          + " acknowledged_by = ?, version = version + 1"
          + " WHERE problem_id = ? AND version = ?";

  /** Problem records (and pairs without one) kept for the writer. */
  static final int CACHE_SIZE = 8_192;

  private final SqliteDatabase db;
  private final Map<String, Optional<Stored<Problem>>> cache =
      new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Optional<Stored<Problem>>> eldest) {
          return size() > CACHE_SIZE;
        }
      };

  public SqliteProblemStore(SqliteDatabase db) {
    this.db = db;
    db.onEveryRollback(cache::clear);
  }

  @Override
  public Optional<Stored<Problem>> find(String problemId) {
    if (!db.inTransactionOnThisThread()) {
      return read(problemId);
    }
    Optional<Stored<Problem>> cached = cache.get(problemId);
    if (cached == null) {
      cached = read(problemId);
      cache.put(problemId, cached);
    }
    return cached;
  }

  private Optional<Stored<Problem>> read(String problemId) {
    return db.read(
        "read problem",
        problemId,
        session -> {
          PreparedStatement find = session.statement(FIND);
          find.setString(1, problemId);
          try (ResultSet row = find.executeQuery()) {
            return row.next()
                ? Optional.of(new Stored<>(problem(row), row.getLong(16)))
                : Optional.empty();
          }
        });
  }

  @Override
  public List<Problem> list(ProblemStatus status) {
    return db.read(
        "list problems",
        session -> {
          PreparedStatement list = session.statement(status == null ? LIST_ALL : LIST_BY_STATUS);
          if (status != null) {
            list.setString(1, status.name());
          }
          List<Problem> problems = new ArrayList<>();
          try (ResultSet rows = list.executeQuery()) {
            while (rows.next()) {
              problems.add(problem(rows));
            }
          }
          return problems;
        });
  }

  @Override
  public boolean replace(Stored<Problem> expected, Problem next, List<ProblemEvent> events) {
    if (expected != null && !expected.value().problemId().equals(next.problemId())) {
      throw new IllegalArgumentException(
          "cannot replace problem " + expected.value().problemId() + " with " + next.problemId());
    }
    return db.write(
        "write problem",
        next.problemId(),
        session -> {
          PreparedStatement write = session.statement(expected == null ? INSERT : UPDATE);
          write.setString(1, next.problem().name());
          write.setLong(2, next.problemTime());
          write.setString(3, next.problemStatus().name());
          write.setString(4, next.upstreamId().toString());
          write.setString(5, next.downstreamId().toString());
          Columns.setNullableString(write, 6, next.upstreamValue());
          Columns.setNullableString(write, 7, next.downstreamValue());
          write.setInt(8, next.active() ? 1 : 0);
          write.setLong(9, next.lastSeen());
          Columns.setNullableLong(write, 10, next.resolvedTime());
          Columns.setNullableString(write, 11, next.resolvedBy());
          Columns.setNullableString(write, 12, next.note());
          Columns.setNullableLong(write, 13, next.acknowledgedTime());
          Columns.setNullableString(write, 14, next.acknowledgedBy());
          write.setString(15, next.problemId());
          if (expected != null) {
            write.setLong(16, expected.version());
          }
          if (write.executeUpdate() != 1) {
            cache.remove(next.problemId());
            return false;
          }
          SqliteTimelineStore.insert(session, events);
          cache.put(
              next.problemId(),
              Optional.of(new Stored<>(next, expected == null ? 1 : expected.version() + 1)));
          return true;
        });
  }

  private static Problem problem(ResultSet row) throws SQLException {
    String upstreamValue = row.getString(7);
    String downstreamValue = row.getString(8);
    return new Problem(
        row.getString(1),
        ProblemType.valueOf(row.getString(2)),
        row.getLong(3),
        ProblemStatus.valueOf(row.getString(4)),
        SensorId.parse(row.getString(5)),
        SensorId.parse(row.getString(6)),
        upstreamValue == null ? null : Filling.parse(upstreamValue),
        downstreamValue == null ? null : Filling.parse(downstreamValue),
        row.getInt(9) == 1,
        row.getLong(10),
        Columns.nullableLong(row, 11),
        row.getString(12),
        row.getString(13),
        Columns.nullableLong(row, 14),
        row.getString(15));
  }
}
