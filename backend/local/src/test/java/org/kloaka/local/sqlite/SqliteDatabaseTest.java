package org.kloaka.local.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.api.Json;
import org.kloaka.api.Push;
import org.kloaka.core.TestData;
import org.kloaka.core.port.Stored;
import org.kloaka.model.Device;
import org.kloaka.model.Filling;
import org.kloaka.model.Measurement;
import org.kloaka.model.Problem;
import org.kloaka.model.Reject;
import org.kloaka.model.SensorId;
import org.kloaka.testing.TestClock;

class SqliteDatabaseTest {

  static final long T = 1_658_274_939L;

  @TempDir Path dir;

  SqliteDatabase open() {
    return SqliteDatabase.open(
        dir.resolve("kloaka.db"), SqliteDatabase.Durability.FULL, 1, TestClock.atEpochSecond(T));
  }

  List<String> query(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("kloaka.db"));
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      while (rows.next()) {
        out.add(rows.getString(1));
      }
      return out;
    }
  }

  @Test
  void freshDatabaseIsMigratedToTheLatestVersionOnceInWalMode() throws Exception {
    try (SqliteDatabase db = open()) {
      assertThat(db.schemaVersion()).isEqualTo(Migrations.latest());
    }
    try (SqliteDatabase again = open()) {
      assertThat(again.schemaVersion()).isEqualTo(Migrations.latest());
    }

    assertThat(query("SELECT version || ':' || name || ':' || applied_at FROM schema_version"))
        .containsExactly(
            "1:init:" + T,
            "2:recent_measurements_from_history:" + T,
            "3:ttn_uplinks:" + T,
            "4:timeline:" + T,
            "5:operators:" + T,
            "6:history_by_day_and_device:" + T,
            "7:notifications:" + T,
            "8:alarm_rules:" + T);
    assertThat(query("PRAGMA journal_mode")).containsExactly("wal");
  }

  @Test
  void aVersion1DatabaseKeepsItsDevicesAndTheirRecentMeasurementsComeFromItsHistory()
      throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("kloaka.db"));
        Statement s = c.createStatement()) {
      s.executeUpdate(
          "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
              + " applied_at INTEGER NOT NULL)");
      s.executeUpdate(
          new String(
              getClass().getResourceAsStream("/db/migration/V1__init.sql").readAllBytes(),
              StandardCharsets.UTF_8));
      s.executeUpdate("INSERT INTO schema_version VALUES (1, 'init', 0)");
      // Version 1 kept the recent list as JSON in the device row.
      try (PreparedStatement insert =
          c.prepareStatement("INSERT INTO device VALUES ('01', 0, 1, '50', ?, ?, NULL, NULL, 2)")) {
        insert.setLong(1, T + 1);
        insert.setString(
            2,
            Json.newMapper()
                .writeValueAsString(
                    List.of(
                        new Measurement(Filling.of(100), T),
                        new Measurement(Filling.of(50), T + 1))));
        insert.executeUpdate();
      }
      s.executeUpdate(
          "INSERT INTO measurement (device_id, dt, filling) VALUES ('01', "
              + T
              + ", '100'), ('01', "
              + (T + 1)
              + ", '50')");
      s.executeUpdate(
          "INSERT INTO problem VALUES ('0102', 'OBSTRUCTION', "
              + T
              + ", 'RESOLVED', '01', '02', '100', '50', 0, "
              + T
              + ", "
              + (T + 9)
              + ", 'operator', 'flushed', 3)");
    }

    try (SqliteDatabase db = open()) {
      assertThat(db.schemaVersion()).isEqualTo(Migrations.latest());
      // Version 7 rebuilt the problem table (SILENT records): the pair's record came along.
      Stored<Problem> stored = new SqliteProblemStore(db).find("0102").orElseThrow();
      assertThat(stored.version()).isEqualTo(3);
      Problem kept = stored.value();
      assertThat(kept.downstreamId()).isEqualTo(SensorId.parse("02"));
      assertThat(kept.upstreamValue()).isEqualTo(Filling.of(100));
      assertThat(kept.note()).isEqualTo("flushed");
      assertThat(kept.acknowledgedTime())
          .as("records before version 4 are unacknowledged")
          .isNull();
      assertThat(kept.acknowledgedBy()).isNull();
      assertThat(new SqliteTimelineStore(db).history("0102", 10)).isEmpty();
      Stored<Device> device = new SqliteDeviceStore(db).find(SensorId.parse("01")).orElseThrow();

      assertThat(device.version()).isEqualTo(2);
      assertThat(device.value().lastValue()).isEqualTo(Filling.of(50));
      assertThat(device.value().measurements())
          .containsExactly(
              new Measurement(Filling.of(100), T), new Measurement(Filling.of(50), T + 1));
    }
    assertThat(query("SELECT name FROM pragma_table_info('device')"))
        .doesNotContain("measurements");
  }

  @Test
  void databaseFromANewerKloakaIsRefusedWithAMessage() throws Exception {
    open().close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("kloaka.db"))) {
      c.createStatement()
          .executeUpdate(
              "INSERT INTO schema_version VALUES (" + (Migrations.latest() + 1) + ", 'future', 0)");
    }

    assertThatThrownBy(this::open)
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("schema version " + (Migrations.latest() + 1))
        .hasMessageContaining("newer Kloaka");
  }

  @Test
  void databaseOfAnotherProgramIsRefused() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("kloaka.db"))) {
      c.createStatement().executeUpdate("CREATE TABLE customers (name TEXT)");
    }

    assertThatThrownBy(this::open)
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("not a Kloaka database");
  }

  @Test
  void fileThatIsNotADatabaseIsRefusedWithAMessage() throws Exception {
    Files.write(
        dir.resolve("kloaka.db"),
        "hello, this is not SQLite at all".repeat(100).getBytes(StandardCharsets.US_ASCII));

    assertThatThrownBy(this::open)
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(dir.resolve("kloaka.db").toString())
        .hasMessageContaining("not a SQLite database");
  }

  @Test
  void damagedDatabaseFailsTheIntegrityCheck() throws Exception {
    try (SqliteDatabase db = open()) {
      SqliteRejectStore rejects = new SqliteRejectStore(db, 10_000);
      db.inTransaction(
          () -> {
            for (int i = 0; i < 2000; i++) {
              rejects.add(new Reject("reason " + i, T, "x".repeat(200)));
            }
            return null;
          });
    }
    // Fold the WAL into the file, then scribble over a page in the middle of the table.
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("kloaka.db"))) {
      c.createStatement().execute("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    byte[] file = Files.readAllBytes(dir.resolve("kloaka.db"));
    for (int i = file.length / 2; i < file.length / 2 + 4096; i++) {
      file[i] = (byte) 0x5A;
    }
    Files.write(dir.resolve("kloaka.db"), file);

    assertThatThrownBy(this::open)
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("is damaged");
  }

  @Test
  void theFileIsCheckedUnlessItsLastStopWasCleanAndItIsUnchangedSince() throws Exception {
    Path file = dir.resolve("kloaka.db");
    Path mark = dir.resolve("kloaka.db.clean");
    try (SqliteDatabase db = open()) {
      assertThat(db.integrity()).startsWith("ok (quick_check: a new file");
      assertThat(mark).as("no mark while open").doesNotExist();
    }
    assertThat(mark).exists();
    try (SqliteDatabase db = open()) {
      assertThat(db.integrity()).startsWith("not checked (the last stop was clean");
      assertThat(mark).as("an open takes the mark away").doesNotExist();
      // Not closed: what a crash leaves. The second open stands for the start after it.
      try (SqliteDatabase afterCrash = open()) {
        assertThat(afterCrash.integrity())
            .startsWith("ok (quick_check: the last stop was not clean");
      }
    }
    try (SqliteDatabase db =
        SqliteDatabase.open(
            file,
            SqliteDatabase.Durability.FULL,
            1,
            TestClock.atEpochSecond(T),
            SqliteDatabase.IntegrityCheck.ALWAYS)) {
      assertThat(db.integrity()).as("--check-integrity").startsWith("ok (quick_check: asked for");
    }
    // Anything else that writes the file after a clean stop (a tool, a restored copy).
    Files.setLastModifiedTime(
        file,
        java.nio.file.attribute.FileTime.fromMillis(
            Files.getLastModifiedTime(file).toMillis() - 60_000));
    try (SqliteDatabase db = open()) {
      assertThat(db.integrity())
          .startsWith("ok (quick_check: the file changed after its last clean stop");
    }
    // A WAL beside the file: SQLite's own sign that it was not closed.
    Files.write(dir.resolve("kloaka.db-wal"), new byte[] {1});
    assertThat(CleanStop.whyCheck(file)).isEqualTo("a WAL was left behind");
    Files.writeString(mark, "garbage");
    Files.delete(dir.resolve("kloaka.db-wal"));
    assertThat(CleanStop.whyCheck(file)).isEqualTo("the file changed after its last clean stop");
  }

  @Test
  void failedWorkRollsBackAndItsEventsAreDropped() {
    try (SqliteDatabase db = open()) {
      SqliteRejectStore rejects = new SqliteRejectStore(db, 10);
      List<Push> delivered = new ArrayList<>();

      assertThatThrownBy(
              () ->
                  db.inTransaction(
                      () -> {
                        rejects.add(new Reject("lost", T, ""));
                        if (delivered.isEmpty()) {
                          throw new IllegalStateException("boom");
                        }
                        return List.<Push>of(new Push.Pong());
                      },
                      delivered::addAll))
          .hasMessage("boom");

      assertThat(rejects.newest(10)).isEmpty();
      assertThat(delivered).isEmpty();
    }
  }

  @Test
  void eventsAreDeliveredOnlyAfterTheOutermostCommitInOrder() {
    try (SqliteDatabase db = open()) {
      List<Push> delivered = new ArrayList<>();
      Push first = new Push.Error("first");
      Push second = new Push.Error("second");

      db.inTransaction(
          () -> {
            List<Push> changes = new ArrayList<>(List.of(first));
            db.inTransaction(
                () -> {
                  changes.add(second);
                  return null;
                });
            assertThat(delivered).as("before the outer commit").isEmpty();
            return changes;
          },
          committed -> {
            assertThat(db.inTransactionOnThisThread()).as("after the commit").isFalse();
            delivered.addAll(committed);
          });

      assertThat(delivered).containsExactly(first, second);
      assertThatThrownBy(
              () ->
                  db.inTransaction(
                      () -> db.inTransaction(() -> null, committed -> delivered.add(first))))
          .as("only the outermost unit of work hands back what it committed")
          .isInstanceOf(IllegalStateException.class);
      assertThat(delivered).hasSize(2);
    }
  }

  @Test
  void innerFailureCaughtByTheOuterWorkStillRollsEverythingBack() {
    try (SqliteDatabase db = open()) {
      SqliteRejectStore rejects = new SqliteRejectStore(db, 10);

      assertThatThrownBy(
              () ->
                  db.inTransaction(
                      () -> {
                        rejects.add(new Reject("outer", T, ""));
                        try {
                          db.inTransaction(
                              () -> {
                                throw new IllegalArgumentException("inner");
                              });
                        } catch (IllegalArgumentException expected) {
                          // the caller goes on as if nothing happened
                        }
                        return null;
                      }))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("rolled back");

      assertThat(rejects.newest(10)).isEmpty();
    }
  }

  @Test
  void readsOutsideATransactionDoNotSeeItsUncommittedWrites() throws Exception {
    try (SqliteDatabase db = open()) {
      SqliteRejectStore rejects = new SqliteRejectStore(db, 10);
      List<Integer> seenFromOtherThread = new ArrayList<>();
      db.inTransaction(
          () -> {
            rejects.add(new Reject("pending", T, ""));
            assertThat(rejects.newest(10)).as("same thread sees its own write").hasSize(1);
            Thread other = new Thread(() -> seenFromOtherThread.add(rejects.newest(10).size()));
            other.start();
            try {
              other.join();
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            }
            return null;
          });

      assertThat(seenFromOtherThread).containsExactly(0);
      assertThat(rejects.newest(10)).hasSize(1);
    }
  }

  @Test
  void retentionPrunesByTheClockAtEachRun() {
    TestClock clock = TestClock.atEpochSecond(T);
    try (SqliteDatabase db = open()) {
      SqliteDeviceStore devices = new SqliteDeviceStore(db);
      SqliteHistoryStore history = new SqliteHistoryStore(db);
      TestData.record(devices, null, SqliteStoresTest.device("01", "100", T));
      var id = org.kloaka.model.SensorId.parse("01");
      history.append(
          id,
          new org.kloaka.model.Measurement(org.kloaka.model.Filling.of(1), T - 86_400 * 2),
          null);
      history.append(id, new org.kloaka.model.Measurement(org.kloaka.model.Filling.of(2), T), null);
      HistoryRetention retention = new HistoryRetention(history, clock, 1);

      assertThat(retention.pruneNow()).isEqualTo(1);
      assertThat(retention.pruneNow()).isZero();
      clock.forward(java.time.Duration.ofDays(1).plusSeconds(1));
      assertThat(retention.pruneNow()).isEqualTo(1);
      assertThat(history.range(id, 0, Long.MAX_VALUE, 10)).isEmpty();
    }
  }
}
