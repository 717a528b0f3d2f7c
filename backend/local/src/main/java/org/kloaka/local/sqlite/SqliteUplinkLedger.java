package org.kloaka.local.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.OptionalLong;
import org.kloaka.local.ingest.UplinkLedger;

/**
 * The {@code ttn_uplink} table: one row per uplink taken from The Things Stack by device and
 * received_at (docs/decisions/021). Claims run inside the ingest writer's transaction, so a claim
 * and the message it stands for commit or roll back together.
 */
public final class SqliteUplinkLedger implements UplinkLedger {

  private static final String CLAIM =
      "INSERT INTO ttn_uplink (device_id, received_ns) VALUES (?, ?) ON CONFLICT DO NOTHING";
  private static final String NEWEST = "SELECT max(received_ns) FROM ttn_uplink";
  // The newest row stays whatever its age: it is where the next backfill starts.
  private static final String PRUNE =
      "DELETE FROM ttn_uplink WHERE received_ns < ?"
          + " AND received_ns < (SELECT max(received_ns) FROM ttn_uplink)";

  private final SqliteDatabase db;

  public SqliteUplinkLedger(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public boolean claim(UplinkKey key) {
    return db.write(
        "record the uplink of",
        key.deviceId(),
        session -> {
          PreparedStatement claim = session.statement(CLAIM);
          claim.setString(1, key.deviceId());
          claim.setLong(2, key.receivedNanos());
          return claim.executeUpdate() == 1;
        });
  }

  @Override
  public OptionalLong newestNanos() {
    return db.read(
        "find the newest uplink from The Things Stack",
        session -> {
          try (ResultSet row = session.statement(NEWEST).executeQuery()) {
            long value = row.next() ? row.getLong(1) : 0;
            return row.wasNull() ? OptionalLong.empty() : OptionalLong.of(value);
          }
        });
  }

  @Override
  public int pruneBefore(long nanos) {
    return db.write(
        "forget old uplinks from The Things Stack",
        session -> {
          PreparedStatement prune = session.statement(PRUNE);
          prune.setLong(1, nanos);
          return prune.executeUpdate();
        });
  }
}
