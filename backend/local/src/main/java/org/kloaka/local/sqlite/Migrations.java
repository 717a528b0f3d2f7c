package org.kloaka.local.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema changes: the scripts {@code db/migration/V<n>__<what>.sql}, applied in order,
 * each in one transaction together with its row in {@code schema_version}.
 *
 * <p>To change the schema, add the next script and name it in {@link #SCRIPTS}; never edit one that
 * has shipped. A database whose version is newer than the newest script was written by a newer
 * Kloaka and is refused rather than guessed at.
 */
final class Migrations {

  static final String FOLDER = "db/migration/";

  /** Every migration, in order; the number in each name must be its position (1, 2, …). */
  static final List<String> SCRIPTS =
      List.of(
          "V1__init.sql",
          "V2__recent_measurements_from_history.sql",
          "V3__ttn_uplinks.sql",
          "V4__timeline.sql",
          "V5__operators.sql",
          "V6__history_by_day_and_device.sql",
          "V7__notifications.sql");

  private static final Pattern NAME = Pattern.compile("V([0-9]+)__([a-z0-9_]+)\\.sql");
  private static final Logger log = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {}

  /** The schema version this code writes. */
  static int latest() {
    return SCRIPTS.size();
  }

  /**
   * Brings the database to {@link #latest()}.
   *
   * @return the schema version after migrating
   * @throws StoreException when the database is newer than this code or is not Kloaka's
   */
  static int migrate(Session session, Path file, Clock clock) {
    try {
      int current = currentVersion(session, file);
      if (current > latest()) {
        throw new StoreException(
            "the database "
                + file
                + " has schema version "
                + current
                + " but this Kloaka knows versions up to "
                + latest()
                + ": it was written by a newer Kloaka. Run that version, or restore a backup made"
                + " for this one.");
      }
      for (int version = current + 1; version <= latest(); version++) {
        apply(session, version, clock);
      }
      return latest();
    } catch (SQLException e) {
      throw new StoreException(
          "cannot bring the database " + file + " up to date: " + e.getMessage(), e);
    }
  }

  private static int currentVersion(Session session, Path file) throws SQLException {
    if (tableExists(session, "schema_version")) {
      try (ResultSet row =
          session
              .connection()
              .createStatement()
              .executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
        return row.next() ? row.getInt(1) : 0;
      }
    }
    if (tableExists(session, null)) {
      throw new StoreException(
          "the database "
              + file
              + " holds tables but no schema_version: it is not a Kloaka database. Point --data at"
              + " another folder.");
    }
    return 0;
  }

  private static boolean tableExists(Session session, String name) throws SQLException {
    String sql =
        name == null
            ? "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
            : "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?";
    try (PreparedStatement statement = session.connection().prepareStatement(sql)) {
      if (name != null) {
        statement.setString(1, name);
      }
      try (ResultSet row = statement.executeQuery()) {
        return row.next() && row.getInt(1) > 0;
      }
    }
  }

  private static void apply(Session session, int version, Clock clock) throws SQLException {
    String name = SCRIPTS.get(version - 1);
    Matcher matcher = NAME.matcher(name);
    if (!matcher.matches() || Integer.parseInt(matcher.group(1)) != version) {
      throw new IllegalStateException(
          "migration "
              + name
              + " is listed at position "
              + version
              + "; its name must say V"
              + version);
    }
    String script = read(FOLDER + name);
    session.execute("BEGIN IMMEDIATE");
    try {
      session.execute(
          "CREATE TABLE IF NOT EXISTS schema_version ("
              + "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
      session.execute(script);
      try (PreparedStatement insert =
          session
              .connection()
              .prepareStatement(
                  "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)")) {
        insert.setInt(1, version);
        insert.setString(2, matcher.group(2));
        insert.setLong(3, clock.instant().getEpochSecond());
        insert.executeUpdate();
      }
      session.execute("COMMIT");
    } catch (SQLException | RuntimeException e) {
      try {
        session.execute("ROLLBACK");
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    }
    log.info("Database schema migrated to version {} ({})", version, name);
  }

  private static String read(String resource) {
    try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "migration script " + resource + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
