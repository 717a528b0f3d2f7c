package org.kloaka.local.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.kloaka.core.port.HistoryStore;
import org.kloaka.model.Filling;
import org.kloaka.model.Measurement;
import org.kloaka.model.SensorId;
import org.kloaka.model.Signal;

/**
 * The measurement history: one row per accepted message, in arrival order within a second, kept in
 * two tables (schema version 6, docs/decisions/028). Every message is appended to {@code
 * history_recent}, a rowid table with no other index: an ingest batch writes its last pages only.
 * Once it holds {@value #MOVE_ROWS} rows or more, the next append moves them all, in the same
 * transaction and sorted, to {@code history}, clustered by (UTC day, device, time, seq): each
 * device's page is then written once per move instead of once per message. Reads merge both;
 * retention deletes whole days from the front of {@code history}, in chunks.
 */
public final class SqliteHistoryStore implements HistoryStore {

  /** Rows deleted per transaction when pruning, about, so ingest is never held up for long. */
  static final int PRUNE_CHUNK = 5_000;

  /** After each pruned chunk, the writer is left to ingest this many times the chunk's time. */
  static final int PRUNE_PAUSE = 4;

  private static final long MAX_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** How many rows {@code history_recent} gathers before they move to {@code history}. */
  static final int MOVE_ROWS = 20_000;

  /** Appends between two looks at how full {@code history_recent} is. */
  private static final int CHECK_EVERY = 1_024;

  static final long SECONDS_PER_DAY = 86_400;

  private static final String APPEND =
      "INSERT INTO history_recent (device_id, dt, filling, rssi, snr) VALUES (?, ?, ?, ?, ?)";
  // seq is contiguous in history_recent but for pruned rows: max - min bounds the row count.
  private static final String RECENT_SPAN =
      "SELECT (SELECT max(seq) FROM history_recent) - (SELECT min(seq) FROM history_recent)";
  private static final String MOVE =
      "INSERT INTO history (day, device_id, dt, seq, filling, rssi, snr)"
          + " SELECT dt / 86400, device_id, dt, seq, filling, rssi, snr FROM history_recent"
          + " ORDER BY 1, 2, 3, 4";
  private static final String MOVED = "DELETE FROM history_recent";
  private static final String RANGE_RECENT =
      "SELECT filling, dt, seq FROM history_recent WHERE device_id = ? AND dt BETWEEN ? AND ?";
  // One statement for every day, newest first: SQLite walks the days' list in descending order
  // and seeks (day, device) in each (no sort: the ORDER BY is the key's), stopping at the LIMIT.
  // A statement per day cost ~100 µs each through the driver: 10-18 ms for 100 days.
  private static final String RANGE_DAYS =
      "WITH RECURSIVE days(day) AS (SELECT ? UNION ALL SELECT day - 1 FROM days WHERE day > ?)"
          + " SELECT filling, dt, seq FROM history WHERE day IN (SELECT day FROM days)"
          + " AND device_id = ? AND dt BETWEEN ? AND ? ORDER BY day DESC, dt DESC, seq DESC LIMIT ?";
  private static final String DAYS =
      "SELECT (SELECT min(day) FROM history), (SELECT max(day) FROM history)";
  private static final String CHUNK_END =
      "SELECT device_id FROM history WHERE day = ? AND device_id >= ? AND dt < ?"
          + " ORDER BY device_id, dt, seq LIMIT 1 OFFSET ?";
  private static final String PRUNE_CHUNK_SQL =
      "DELETE FROM history WHERE day = ? AND device_id >= ? AND device_id < ? AND dt < ?";
  private static final String PRUNE_RECENT = "DELETE FROM history_recent WHERE dt < ?";
  private static final String PRUNE_REST =
      "DELETE FROM history WHERE day = ? AND device_id >= ? AND dt < ?";

  private final SqliteDatabase db;
  // Touched under the write lock only.
  private int appendsSinceCheck;

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
          append.executeUpdate();
          if (++appendsSinceCheck >= CHECK_EVERY) {
            appendsSinceCheck = 0;
            if (recentSpan(session) >= MOVE_ROWS) {
              move(session);
            }
          }
          return null;
        });
  }

  private static long recentSpan(Session session) throws SQLException {
    try (ResultSet row = session.statement(RECENT_SPAN).executeQuery()) {
      return row.next() ? row.getLong(1) : 0;
    }
  }

  /** Moves every row of {@code history_recent} to {@code history}. */
  private static int move(Session session) throws SQLException {
    int moved = session.statement(MOVE).executeUpdate();
    session.statement(MOVED).executeUpdate();
    return moved;
  }

  /**
   * Moves what {@code history_recent} holds to {@code history} now, in its own transaction (or the
   * caller's): for a bulk load and for tests.
   *
   * @return how many rows moved
   */
  public int moveRecent() {
    return db.write("move the recent history", SqliteHistoryStore::move);
  }

  @Override
  public List<Measurement> range(SensorId id, long since, long until, int limit) {
    if (limit < 1 || since > until) {
      return List.of();
    }
    // One read transaction: both tables from the same snapshot, whatever commits meanwhile.
    return db.readSnapshot(
        "read the history of", id, session -> range(session, id, since, until, limit));
  }

  /** {@link #range(SensorId, long, long, int)} on a session already in a snapshot. */
  static List<Measurement> range(Session session, SensorId id, long since, long until, int limit)
      throws SQLException {
    List<long[]> keys = new ArrayList<>();
    List<String> fillings = new ArrayList<>();
    PreparedStatement recent = session.statement(RANGE_RECENT);
    recent.setString(1, id.toString());
    recent.setLong(2, since);
    recent.setLong(3, until);
    collect(recent, keys, fillings);
    long[] days = days(session);
    if (days != null) {
      long first = Math.max(dayOf(since), days[0]);
      long last = Math.min(dayOf(until), days[1]);
      if (first <= last) {
        PreparedStatement day = session.statement(RANGE_DAYS);
        day.setLong(1, last);
        day.setLong(2, first);
        day.setString(3, id.toString());
        day.setLong(4, since);
        day.setLong(5, until);
        day.setInt(6, limit);
        collect(day, keys, fillings);
      }
    }
    return newestOldestFirst(keys, fillings, limit);
  }

  /** The day a row of {@code dt} is filed under, as the schema computes it ({@code dt / 86400}). */
  static long dayOf(long dt) {
    return dt / SECONDS_PER_DAY;
  }

  private static int collect(PreparedStatement query, List<long[]> keys, List<String> fillings)
      throws SQLException {
    int count = 0;
    try (ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        fillings.add(rows.getString(1));
        keys.add(new long[] {rows.getLong(2), rows.getLong(3), keys.size()});
        count++;
      }
    }
    return count;
  }

  /** The newest {@code limit} of the rows by (dt, seq), listed oldest first. */
  private static List<Measurement> newestOldestFirst(
      List<long[]> keys, List<String> fillings, int limit) {
    keys.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    List<Measurement> oldestFirst = new ArrayList<>(Math.min(limit, keys.size()));
    for (int i = Math.max(0, keys.size() - limit); i < keys.size(); i++) {
      long[] key = keys.get(i);
      oldestFirst.add(new Measurement(Filling.parse(fillings.get((int) key[2])), key[0]));
    }
    return oldestFirst;
  }

  private static long[] days(Session session) throws SQLException {
    try (ResultSet row = session.statement(DAYS).executeQuery()) {
      if (!row.next()) {
        return null;
      }
      long first = row.getLong(1);
      return row.wasNull() ? null : new long[] {first, row.getLong(2)};
    }
  }

  /**
   * {@inheritDoc} Deletes the old rows of the recent table, then day by day from the oldest, in
   * chunks of about {@value #PRUNE_CHUNK} rows, each its own transaction (unless in one), so ingest
   * waits at most one chunk. An interrupted thread stops after the chunk under way.
   */
  @Override
  public long pruneBefore(long cutoff) {
    // The few old rows still in history_recent (late readings; a quiet store that has not moved
    // yet) are deleted where they are: a scan of at most ~MOVE_ROWS rows. Moving all of them first
    // held the writer for one large transaction (0.3-0.6 s here) at every run.
    long total =
        db.write(
            "prune the recent history",
            session -> {
              PreparedStatement prune = session.statement(PRUNE_RECENT);
              prune.setLong(1, cutoff);
              return (long) prune.executeUpdate();
            });
    long[] days = db.read("read the history's days", SqliteHistoryStore::days);
    if (days == null) {
      return total;
    }
    for (long day = days[0];
        day <= Math.min(days[1], dayOf(cutoff)) && !Thread.currentThread().isInterrupted();
        day++) {
      total += pruneDay(day, cutoff);
    }
    return total;
  }

  /**
   * After a chunk that held the writer for {@code heldNanos}, leaves it {@value #PRUNE_PAUSE} times
   * as long to ingest: the purge takes at most a fifth of the writer's time (at full ingest,
   * deleting a day of 200,000 rows in back-to-back chunks halved ingest meanwhile,
   * docs/decisions/028). An interrupt ends the pause and, through the caller's loop, the purge.
   */
  private static void pause(long heldNanos) {
    long nanos = Math.min(heldNanos * PRUNE_PAUSE, MAX_PAUSE_NANOS);
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private long pruneDay(long day, long cutoff) {
    long total = 0;
    String from = "";
    // Interrupted (the runtime stops): after the chunk under way; the next run goes on.
    while (from != null && !Thread.currentThread().isInterrupted()) {
      String start = from;
      String[] next = new String[1];
      long began = System.nanoTime();
      total +=
          db.write(
              "prune the history",
              session -> {
                PreparedStatement end = session.statement(CHUNK_END);
                end.setLong(1, day);
                end.setString(2, start);
                end.setLong(3, cutoff);
                end.setInt(4, PRUNE_CHUNK);
                String until = null;
                try (ResultSet row = end.executeQuery()) {
                  if (row.next()) {
                    until = row.getString(1);
                  }
                }
                PreparedStatement prune;
                if (until == null) {
                  // The rest of the day.
                  prune = session.statement(PRUNE_REST);
                  prune.setLong(1, day);
                  prune.setString(2, start);
                  prune.setLong(3, cutoff);
                } else if (until.equals(start)) {
                  // One device with more than a chunk's rows that day: all of them, then on.
                  prune = session.statement(PRUNE_CHUNK_SQL);
                  prune.setLong(1, day);
                  prune.setString(2, start);
                  prune.setString(3, start + '\0');
                  prune.setLong(4, cutoff);
                  next[0] = start + '\0';
                } else {
                  prune = session.statement(PRUNE_CHUNK_SQL);
                  prune.setLong(1, day);
                  prune.setString(2, start);
                  prune.setString(3, until);
                  prune.setLong(4, cutoff);
                  next[0] = until;
                }
                return (long) prune.executeUpdate();
              });
      from = next[0];
      if (from != null && !db.inTransactionOnThisThread()) {
        pause(System.nanoTime() - began);
      }
    }
    return total;
  }
}
