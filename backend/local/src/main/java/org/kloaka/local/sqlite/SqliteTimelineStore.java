package org.kloaka.local.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.kloaka.core.port.TimelineStore;
import org.kloaka.model.ProblemEvent;
import org.kloaka.model.ProblemType;

/**
 * The pairs' timelines in the {@code problem_event} table, keyed by pair and {@link
 * TimelineStore#keyOf}: an equal event is ignored. {@link SqliteProblemStore} writes a record's
 * events through {@link #insert} in the record's own transaction.
 */
public final class SqliteTimelineStore implements TimelineStore {

  private static final String COLUMNS =
      "problem_id, type, time, by_name, note, problem_time, problem";
  private static final String INSERT =
      "INSERT INTO problem_event (problem_id, type, time, by_name, note, problem_time, problem,"
          + " event_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
  private static final String HISTORY =
      "SELECT "
          + COLUMNS
          + " FROM problem_event WHERE problem_id = ? ORDER BY event_key DESC LIMIT ?";
  private static final String BETWEEN =
      "SELECT "
          + COLUMNS
          + " FROM problem_event WHERE time >= ? AND time <= ?"
          + " ORDER BY time, event_key, problem_id LIMIT ?";

  private final SqliteDatabase db;

  public SqliteTimelineStore(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public void append(ProblemEvent event) {
    db.write(
        "add a timeline event",
        event.problemId(),
        session -> {
          insert(session, List.of(event));
          return null;
        });
  }

  /** Inserts {@code events} on the session's current transaction, equal ones skipped. */
  static void insert(Session session, List<ProblemEvent> events) throws SQLException {
    if (events.isEmpty()) {
      return;
    }
    PreparedStatement insert = session.statement(INSERT);
    for (ProblemEvent e : events) {
      insert.setString(1, e.problemId());
      insert.setString(2, e.type().wire());
      insert.setLong(3, e.time());
      insert.setString(4, e.by());
      insert.setString(5, e.note());
      insert.setLong(6, e.problemTime());
      insert.setString(7, e.problem() == null ? null : e.problem().name());
      insert.setString(8, TimelineStore.keyOf(e));
      insert.executeUpdate();
    }
  }

  @Override
  public List<ProblemEvent> history(String problemId, int limit) {
    return db.read(
        "read a timeline",
        problemId,
        session -> {
          PreparedStatement query = session.statement(HISTORY);
          query.setString(1, problemId);
          query.setInt(2, limit);
          List<ProblemEvent> events = rows(query);
          Collections.reverse(events);
          return events;
        });
  }

  @Override
  public List<ProblemEvent> between(long since, long until, int limit) {
    return db.read(
        "read the timeline of a span",
        session -> {
          PreparedStatement query = session.statement(BETWEEN);
          query.setLong(1, since);
          query.setLong(2, until);
          query.setInt(3, limit);
          return rows(query);
        });
  }

  private static List<ProblemEvent> rows(PreparedStatement query) throws SQLException {
    List<ProblemEvent> events = new ArrayList<>();
    try (ResultSet row = query.executeQuery()) {
      while (row.next()) {
        String problem = row.getString(7);
        events.add(
            new ProblemEvent(
                row.getString(1),
                ProblemEvent.Type.ofWire(row.getString(2)),
                row.getLong(3),
                row.getString(4),
                row.getString(5),
                row.getLong(6),
                problem == null ? null : ProblemType.valueOf(problem)));
      }
    }
    return events;
  }
}
