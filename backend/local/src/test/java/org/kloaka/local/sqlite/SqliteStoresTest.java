package org.kloaka.local.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.core.TestData;
import org.kloaka.core.port.Stored;
import org.kloaka.model.Device;
import org.kloaka.model.Filling;
import org.kloaka.model.Measurement;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemStatus;
import org.kloaka.model.ProblemType;
import org.kloaka.model.Reject;
import org.kloaka.model.SensorId;
import org.kloaka.model.Signal;
import org.kloaka.testing.TestClock;

class SqliteStoresTest {

  static final long T = 1_658_274_939L;

  @TempDir Path dir;
  SqliteDatabase db;
  SqliteDeviceStore devices;
  SqliteHistoryStore history;
  SqliteProblemStore problems;

  @BeforeEach
  void open() {
    db =
        SqliteDatabase.open(
            dir.resolve("kloaka.db"),
            SqliteDatabase.Durability.FULL,
            2,
            TestClock.atEpochSecond(T));
    devices = new SqliteDeviceStore(db);
    history = new SqliteHistoryStore(db);
    problems = new SqliteProblemStore(db);
  }

  @AfterEach
  void close() {
    db.close();
  }

  static Device device(String id, String value, long at) {
    return new Device(
        SensorId.parse(id),
        Filling.parse(value),
        at,
        List.of(new Measurement(Filling.parse(value), at)),
        new Signal(-97.0, 7.5));
  }

  /** Writes a device and, as the organizer does in the same transaction, its history row. */
  void store(Stored<Device> expected, Device next) {
    db.inTransaction(
        () -> {
          assertThat(TestData.record(devices, expected, next)).isTrue();
          Measurement newest = next.measurements().get(next.measurements().size() - 1);
          history.append(next.id(), newest, next.signal());
          return null;
        });
  }

  @Test
  void deviceRoundTripsWithMeasurementsAndSignal() {
    Device written = device("01", "62.5", T);
    store(null, written);

    Stored<Device> read = devices.find(SensorId.parse("01")).orElseThrow();

    assertThat(read.value()).isEqualTo(written);
    assertThat(devices.find(SensorId.parse("02"))).isEmpty();
  }

  @Test
  void theThingsStackFieldsRoundTripInTheListingAndTheRecord() {
    Device written =
        new Device(
            SensorId.parse("01"),
            Filling.of(100),
            T,
            List.of(new Measurement(Filling.of(100), T)),
            new Signal(null, 4.5, "kloaka-gw-12"),
            "0004A30B001C0530",
            new java.math.BigDecimal("3.610"),
            4021L);
    store(null, written);

    assertThat(devices.find(SensorId.parse("01")).orElseThrow().value()).isEqualTo(written);
    assertThat(devices.list()).containsExactly(written.withoutMeasurements());
  }

  @Test
  void recentMeasurementsAreTheNewestHistoryRowsOldestFirstLateOnesInTimeOrder() {
    SqliteDeviceStore keepThree = new SqliteDeviceStore(db, 3);
    SensorId id = SensorId.parse("01");
    TestData.record(keepThree, null, device("01", "10", T));
    long[][] arrivals = {{T, 10}, {T + 2, 20}, {T + 3, 30}, {T + 1, 40}, {T + 3, 50}};
    for (long[] arrival : arrivals) {
      history.append(id, new Measurement(Filling.of(arrival[1]), arrival[0]), null);
    }

    List<Measurement> recent = keepThree.find(id).orElseThrow().value().measurements();

    // The newest three by (time, arrival): the late T+1 falls out; the two of T+3 keep their order.
    assertThat(recent)
        .containsExactly(
            new Measurement(Filling.of(20), T + 2),
            new Measurement(Filling.of(30), T + 3),
            new Measurement(Filling.of(50), T + 3));
    assertThat(devices.find(id).orElseThrow().value().measurements()).hasSize(5);
  }

  @Test
  void aDeviceWithoutHistoryHasNoRecentMeasurements() {
    TestData.record(devices, null, device("01", "100", T));

    assertThat(devices.find(SensorId.parse("01")).orElseThrow().value().measurements()).isEmpty();
  }

  @Test
  void deviceReplaceChecksTheVersion() {
    assertThat(TestData.record(devices, null, device("01", "100", T))).isTrue();
    assertThat(TestData.record(devices, null, device("01", "50", T)))
        .as("insert over existing")
        .isFalse();
    Stored<Device> first = devices.find(SensorId.parse("01")).orElseThrow();

    assertThat(TestData.record(devices, first, device("01", "50", T + 1))).isTrue();
    assertThat(TestData.record(devices, first, device("01", "0", T + 2)))
        .as("stale version")
        .isFalse();
    assertThat(devices.find(SensorId.parse("01")).orElseThrow().value().lastValue())
        .isEqualTo(Filling.parse("50"));
  }

  @Test
  void aRolledBackDeviceWriteIsForgottenByTheWritersCache() {
    TestData.record(devices, null, device("01", "100", T));
    try {
      db.inTransaction(
          () -> {
            Stored<Device> current = devices.find(SensorId.parse("01")).orElseThrow();
            TestData.record(devices, current, device("01", "0", T + 1));
            TestData.record(devices, null, device("02", "50", T + 1));
            throw new IllegalStateException("roll back");
          });
    } catch (IllegalStateException expected) {
      // the point of the test
    }

    db.inTransaction(
        () -> {
          assertThat(devices.find(SensorId.parse("01")).orElseThrow().value().lastValue())
              .isEqualTo(Filling.of(100));
          assertThat(devices.find(SensorId.parse("02"))).isEmpty();
          return null;
        });
  }

  @Test
  void theWriterSeesADeviceItFirstFoundAbsentOnceItIsRegisteredAndNotAfterARollback() {
    SensorId id = SensorId.parse("02");
    try {
      db.inTransaction(
          () -> {
            assertThat(devices.find(id)).isEmpty();
            TestData.record(devices, null, device("02", "50", T));
            assertThat(devices.find(id)).isPresent();
            throw new IllegalStateException("roll back");
          });
    } catch (IllegalStateException expected) {
      // the point of the test
    }

    db.inTransaction(
        () -> {
          assertThat(devices.find(id)).as("rolled back").isEmpty();
          TestData.record(devices, null, device("02", "100", T + 1));
          return null;
        });
    assertThat(devices.find(id).orElseThrow().value().lastValue()).isEqualTo(Filling.of(100));
  }

  @Test
  void devicesAreListedByTubeThenSensorNumberWithoutMeasurements() {
    for (String id : List.of("1-0", "0-10", "09", "01", "12-7", "2-3")) {
      TestData.record(devices, null, device(id, "100", T));
    }

    List<Device> listed = devices.list();

    assertThat(listed)
        .extracting(d -> d.id().toString())
        .containsExactly("01", "09", "0-10", "10", "23", "12-7");
    assertThat(listed).allSatisfy(d -> assertThat(d.measurements()).isNull());
    assertThat(devices.count()).isEqualTo(6);
  }

  @Test
  void historyRangeIsTheMostRecentNInWindowOldestFirstKeepingArrivalOrderWithinASecond() {
    SensorId id = SensorId.parse("01");
    TestData.record(devices, null, device("01", "100", T));
    history.append(id, new Measurement(Filling.of(10), T), null);
    history.append(id, new Measurement(Filling.of(20), T + 5), null);
    history.append(id, new Measurement(Filling.of(30), T + 5), null);
    history.append(id, new Measurement(Filling.of(40), T + 1), null); // late
    history.append(id, new Measurement(Filling.of(50), T + 9), null);

    assertThat(history.range(id, T, T + 9, 1000))
        .extracting(m -> m.filling().toString())
        .containsExactly("10", "40", "20", "30", "50");
    assertThat(history.range(id, T, T + 5, 2))
        .extracting(m -> m.filling().toString())
        .containsExactly("20", "30");
    assertThat(history.range(id, T + 2, T + 4, 10)).isEmpty();
    assertThat(history.range(SensorId.parse("02"), 0, Long.MAX_VALUE, 10)).isEmpty();
  }

  @Test
  void historyPruneDeletesOnlyRowsStrictlyBeforeTheCutoffAcrossChunks() {
    SensorId id = SensorId.parse("01");
    TestData.record(devices, null, device("01", "100", T));
    int old = SqliteHistoryStore.PRUNE_CHUNK + 7;
    db.inTransaction(
        () -> {
          for (int i = 0; i < old; i++) {
            history.append(id, new Measurement(Filling.of(1), T - 100), null);
          }
          return null;
        });
    history.append(id, new Measurement(Filling.of(2), T), null);

    assertThat(history.pruneBefore(T)).isEqualTo(old);
    assertThat(history.range(id, 0, Long.MAX_VALUE, 10_000))
        .extracting(Measurement::dt)
        .containsExactly(T);
  }

  /**
   * Enough rows over several days and devices that the recent table moves into the clustered one
   * more than once: every range still answers exactly what a plain list in arrival order says, and
   * pruning removes exactly the rows before the cut-off, whichever table holds them.
   */
  @Test
  void historyAcrossMovesAndDaysAnswersLikeAListInArrivalOrder() {
    List<SensorId> ids = List.of(SensorId.parse("01"), SensorId.parse("02"), SensorId.parse("1-7"));
    for (SensorId id : ids) {
      TestData.record(devices, null, device(id.toString(), "1", T));
    }
    int rows = 2 * SqliteHistoryStore.MOVE_ROWS + 3_000;
    java.util.Random random = new java.util.Random(17);
    List<Object[]> all = new java.util.ArrayList<>(); // {id, measurement} in arrival order
    db.inTransaction(
        () -> {
          for (int i = 0; i < rows; i++) {
            SensorId id = ids.get(random.nextInt(ids.size()));
            // Mostly in order, some late, many in the same second, over about four days.
            long dt =
                T - 4 * 86_400 + i * 8L - (random.nextInt(10) == 0 ? random.nextInt(50_000) : 0);
            Measurement m = new Measurement(Filling.of(random.nextInt(101)), dt);
            history.append(id, m, null);
            all.add(new Object[] {id, m});
          }
          return null;
        });
    history.append(ids.get(0), new Measurement(Filling.of(5), T), null); // after the last move
    all.add(new Object[] {ids.get(0), new Measurement(Filling.of(5), T)});

    for (SensorId id : ids) {
      for (long[] window : new long[][] {{0, Long.MAX_VALUE}, {T - 3 * 86_400, T - 86_400 - 7}}) {
        for (int limit : new int[] {1, 100, 1000, rows}) {
          assertThat(history.range(id, window[0], window[1], limit))
              .as("%s %s..%s limit %d", id, window[0], window[1], limit)
              .containsExactlyElementsOf(expected(all, id, window[0], window[1], limit));
        }
      }
      assertThat(devices.find(id).orElseThrow().value().measurements())
          .containsExactlyElementsOf(expected(all, id, Long.MIN_VALUE, Long.MAX_VALUE, 100));
    }

    long cutoff = T - 2 * 86_400 + 3_600;
    long before = all.stream().filter(r -> ((Measurement) r[1]).dt() < cutoff).count();
    assertThat(history.pruneBefore(cutoff)).isEqualTo(before);
    all.removeIf(r -> ((Measurement) r[1]).dt() < cutoff);
    for (SensorId id : ids) {
      assertThat(history.range(id, 0, Long.MAX_VALUE, rows))
          .containsExactlyElementsOf(expected(all, id, 0, Long.MAX_VALUE, rows));
    }
  }

  /** The newest {@code limit} rows of {@code id} in the window by (time, arrival), oldest first. */
  private static List<Measurement> expected(
      List<Object[]> all, SensorId id, long since, long until, int limit) {
    List<Measurement> rows = new java.util.ArrayList<>();
    for (Object[] row : all) {
      Measurement m = (Measurement) row[1];
      if (row[0].equals(id) && m.dt() >= since && m.dt() <= until) {
        rows.add(m);
      }
    }
    // A stable sort: rows of the same second keep their arrival order.
    rows.sort(java.util.Comparator.comparingLong(Measurement::dt));
    return rows.subList(Math.max(0, rows.size() - limit), rows.size());
  }

  static Problem problem(String up, String down, ProblemStatus status, long time) {
    SensorId u = SensorId.parse(up);
    SensorId d = SensorId.parse(down);
    boolean resolved = status == ProblemStatus.RESOLVED;
    return new Problem(
        Problem.idOf(u, d),
        ProblemType.OBSTRUCTION,
        time,
        status,
        u,
        d,
        Filling.of(100),
        Filling.of(50),
        true,
        time,
        resolved ? time + 60 : null,
        resolved ? "operator" : null,
        resolved ? "cleared" : null);
  }

  @Test
  void problemsRoundTripAndListNewestFirstByStatus() {
    Problem a = problem("01", "02", ProblemStatus.UNRESOLVED, T);
    Problem b = problem("02", "03", ProblemStatus.RESOLVED, T + 10);
    Problem c = problem("11", "12", ProblemStatus.UNRESOLVED, T + 20);
    for (Problem p : List.of(a, b, c)) {
      assertThat(problems.replace(null, p)).isTrue();
    }

    assertThat(problems.find("0203").orElseThrow().value()).isEqualTo(b);
    assertThat(problems.list(null)).containsExactly(c, b, a);
    assertThat(problems.list(ProblemStatus.UNRESOLVED)).containsExactly(c, a);
    assertThat(problems.list(ProblemStatus.RESOLVED)).containsExactly(b);
  }

  @Test
  void problemReplaceChecksTheVersion() {
    Problem open = problem("01", "02", ProblemStatus.UNRESOLVED, T);
    problems.replace(null, open);
    Stored<Problem> stored = problems.find("0102").orElseThrow();
    Problem resolved = problem("01", "02", ProblemStatus.RESOLVED, T);

    assertThat(problems.replace(null, resolved)).isFalse();
    assertThat(problems.replace(stored, resolved)).isTrue();
    assertThat(problems.replace(stored, open)).isFalse();
    assertThat(problems.find("0102").orElseThrow().value()).isEqualTo(resolved);
  }

  @Test
  void theWriterSeesAProblemItFirstFoundAbsentOnceWrittenAndForgetsItOnRollback() {
    Problem open = problem("01", "02", ProblemStatus.UNRESOLVED, T);
    try {
      db.inTransaction(
          () -> {
            assertThat(problems.find("0102")).isEmpty();
            assertThat(problems.replace(null, open)).isTrue();
            assertThat(problems.find("0102").orElseThrow().value()).isEqualTo(open);
            throw new IllegalStateException("roll back");
          });
    } catch (IllegalStateException expected) {
      // the point of the test
    }

    db.inTransaction(
        () -> {
          assertThat(problems.find("0102")).as("rolled back").isEmpty();
          assertThat(problems.replace(null, open)).isTrue();
          Stored<Problem> written = problems.find("0102").orElseThrow();
          assertThat(written.version()).isEqualTo(1);
          Problem resolved = problem("01", "02", ProblemStatus.RESOLVED, T);
          assertThat(problems.replace(written, resolved)).isTrue();
          assertThat(problems.find("0102").orElseThrow().version()).isEqualTo(2);
          return null;
        });
    assertThat(problems.find("0102").orElseThrow())
        .satisfies(
            stored -> {
              assertThat(stored.version()).as("version in the file").isEqualTo(2);
              assertThat(stored.value().problemStatus()).isEqualTo(ProblemStatus.RESOLVED);
            });
  }

  @Test
  void rejectsKeepOnlyTheNewestNNewestFirst() {
    SqliteRejectStore rejects = new SqliteRejectStore(db, 5);
    for (int i = 1; i <= 12; i++) {
      rejects.add(new Reject("reason " + i, T + i, "payload " + i));
    }

    assertThat(rejects.newest(100))
        .extracting(Reject::reason)
        .containsExactly("reason 12", "reason 11", "reason 10", "reason 9", "reason 8");
    assertThat(rejects.newest(2)).extracting(Reject::received).containsExactly(T + 12, T + 11);
  }

  @Test
  void loweringTheRejectCapAppliesAtOnce() {
    SqliteRejectStore generous = new SqliteRejectStore(db, 100);
    for (int i = 1; i <= 10; i++) {
      generous.add(new Reject("reason " + i, T, "p"));
    }

    SqliteRejectStore strict = new SqliteRejectStore(db, 3);

    assertThat(strict.newest(100))
        .extracting(Reject::reason)
        .containsExactly("reason 10", "reason 9", "reason 8");
  }
}
