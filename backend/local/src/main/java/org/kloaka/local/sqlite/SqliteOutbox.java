package org.kloaka.local.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kloaka.api.Json;
import org.kloaka.core.notify.Notification;
import org.kloaka.core.port.NotificationOutbox;
import org.kloaka.model.Problem;

/**
 * The notification outbox in the {@code notification} table. Entries are added in the ingest or
 * resolve transaction that made them due. Claims are held in memory: one runtime owns a data folder
 * (its lock file), so claims need not survive it: after a crash nothing is held and every pending
 * entry is claimable at once — an entry sent but not yet marked delivered when the process died is
 * sent again (the rare repeat of docs/notifications.md).
 */
public final class SqliteOutbox implements NotificationOutbox {

  private static final String COLUMNS =
      "problem_id, problem_time, step, channel, event, due_at, problem, state, attempts,"
          + " next_attempt_at, error, done_at";
  private static final String INSERT =
      "INSERT INTO notification (key, "
          + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING";
  private static final String CANCEL =
      "UPDATE notification SET state = 'CANCELLED', done_at = ? WHERE problem_id = ? AND"
          + " problem_time = ? AND event <> 'RESOLVED' AND state = 'PENDING' AND due_at > ?";
  private static final String DUE =
      "SELECT key, "
          + COLUMNS
          + " FROM notification WHERE channel = ? AND state = 'PENDING' AND next_attempt_at <= ?"
          + " ORDER BY next_attempt_at LIMIT ?";
  private static final String FINISH =
      "UPDATE notification SET state = ?, attempts = ?, next_attempt_at = ?, error = ?, done_at = ?"
          + " WHERE key = ?";
  private static final String NEWEST =
      "SELECT key, "
          + COLUMNS
          + " FROM notification WHERE done_at IS NOT NULL OR attempts > 0"
          + " ORDER BY coalesce(done_at, next_attempt_at) DESC, key LIMIT ?";
  private static final String COUNTS =
      "SELECT state, count(*) FROM notification WHERE state IN ('PENDING', 'FAILED') GROUP BY"
          + " state";

  // Done entries (delivered, failed for good, cancelled) older than the cut-off, a chunk at a time
  // through the index on coalesce(done_at, next_attempt_at); a pending entry has no done_at.
  private static final String PRUNE =
      "DELETE FROM notification WHERE key IN (SELECT key FROM notification WHERE"
          + " coalesce(done_at, next_attempt_at) < ? AND done_at IS NOT NULL LIMIT ?)";
  static final int PRUNE_CHUNK = 5_000;

  /** How long done entries stay listed in GET /notifications (the timeline keeps its events). */
  public static final java.time.Duration KEEP_DONE = java.time.Duration.ofDays(30);

  private final SqliteDatabase db;
  private final ObjectMapper mapper = Json.newMapper();
  private final Map<String, Long> claimed = new HashMap<>(); // key → lease end

  public SqliteOutbox(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public void add(List<Notification> entries) {
    db.write(
        "add notifications",
        session -> {
          PreparedStatement insert = session.statement(INSERT);
          for (Notification entry : entries) {
            insert.setString(1, entry.key());
            insert.setString(2, entry.problemId());
            insert.setLong(3, entry.problemTime());
            insert.setInt(4, entry.step());
            insert.setString(5, entry.channel());
            insert.setString(6, entry.event().name());
            insert.setLong(7, entry.dueAt());
            insert.setString(8, json(entry.problem()));
            insert.setString(9, entry.state().name());
            insert.setInt(10, entry.attempts());
            insert.setLong(11, entry.nextAttemptAt());
            Columns.setNullableString(insert, 12, entry.error());
            Columns.setNullableLong(insert, 13, entry.doneAt());
            insert.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public void cancelAfter(String problemId, long problemTime, long stopTime, long now) {
    db.write(
        "cancel notifications of",
        problemId,
        session -> {
          PreparedStatement cancel = session.statement(CANCEL);
          cancel.setLong(1, now);
          cancel.setString(2, problemId);
          cancel.setLong(3, problemTime);
          cancel.setLong(4, stopTime);
          return cancel.executeUpdate();
        });
  }

  @Override
  public List<Notification> claimDue(String channel, long now, long leaseUntil, int limit) {
    synchronized (claimed) {
      // Read a few more than asked: some of the due rows may be held by this sender already.
      // One query; a row's problem snapshot is parsed only for the rows this sender takes.
      return db.read(
          "read due notifications",
          session -> {
            PreparedStatement select = session.statement(DUE);
            select.setString(1, channel);
            select.setLong(2, now);
            select.setInt(3, limit + claimed.size());
            List<Notification> mine = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next() && mine.size() < limit) {
                Long held = claimed.get(rows.getString(1));
                if (held == null || held <= now) {
                  Notification entry = row(rows);
                  claimed.put(entry.key(), leaseUntil);
                  mine.add(entry);
                }
              }
            }
            return mine;
          });
    }
  }

  @Override
  public void finish(List<Notification> outcomes) {
    db.write(
        "write notification outcomes",
        session -> {
          PreparedStatement update = session.statement(FINISH);
          for (Notification outcome : outcomes) {
            update.setString(1, outcome.state().name());
            update.setInt(2, outcome.attempts());
            update.setLong(3, outcome.nextAttemptAt());
            Columns.setNullableString(update, 4, outcome.error());
            Columns.setNullableLong(update, 5, outcome.doneAt());
            update.setString(6, outcome.key());
            update.executeUpdate();
          }
          return null;
        });
    synchronized (claimed) {
      outcomes.forEach(outcome -> claimed.remove(outcome.key()));
    }
  }

  /** Forgets this sender's claims without an outcome (a send that was never started). */
  public void release(List<Notification> entries) {
    synchronized (claimed) {
      entries.forEach(entry -> claimed.remove(entry.key()));
    }
  }

  /**
   * Deletes the entries done (delivered, failed for good or cancelled) before {@code cutoff}, in
   * chunks of {@value #PRUNE_CHUNK}, each its own transaction, so a sender or ingest waits for one
   * chunk at most. Pending entries stay, however old.
   *
   * @return how many were deleted
   */
  public long pruneDoneBefore(long cutoff) {
    long total = 0;
    while (true) {
      int deleted =
          db.write(
              "prune done notifications",
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

  @Override
  public List<Notification> newest(int limit) {
    return db.read(
        "read recent notifications",
        session -> {
          PreparedStatement select = session.statement(NEWEST);
          select.setInt(1, limit);
          return rows(select);
        });
  }

  @Override
  public Counts counts() {
    return db.read(
        "count notifications",
        session -> {
          long pending = 0;
          long failed = 0;
          try (ResultSet rows = session.statement(COUNTS).executeQuery()) {
            while (rows.next()) {
              if (rows.getString(1).equals("PENDING")) {
                pending = rows.getLong(2);
              } else {
                failed = rows.getLong(2);
              }
            }
          }
          return new Counts(pending, failed);
        });
  }

  private List<Notification> rows(PreparedStatement select) throws SQLException {
    List<Notification> found = new ArrayList<>();
    try (ResultSet row = select.executeQuery()) {
      while (row.next()) {
        found.add(row(row));
      }
    }
    return found;
  }

  /** The entry at the result's current row ({@code key, } then {@link #COLUMNS}). */
  private Notification row(ResultSet row) throws SQLException {
    return new Notification(
        row.getString(2),
        row.getLong(3),
        row.getInt(4),
        row.getString(5),
        Notification.Event.valueOf(row.getString(6)),
        row.getLong(7),
        problem(row.getString(8)),
        Notification.State.valueOf(row.getString(9)),
        row.getInt(10),
        row.getLong(11),
        row.getString(12),
        Columns.nullableLong(row, 13));
  }

  private String json(Problem problem) {
    try {
      return mapper.writeValueAsString(problem);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write problem " + problem.problemId(), e);
    }
  }

  private Problem problem(String json) {
    try {
      return mapper.readValue(json, Problem.class);
    } catch (JsonProcessingException e) {
      throw new StoreException("a stored notification holds an unreadable problem: " + json, e);
    }
  }
}
