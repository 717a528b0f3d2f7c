package org.kloaka.local.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.core.port.Stored;
import org.kloaka.local.MutableClock;
import org.kloaka.model.Device;
import org.kloaka.model.Filling;
import org.kloaka.model.Measurement;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemStatus;
import org.kloaka.model.ProblemType;
import org.kloaka.model.Reject;
import org.kloaka.model.SensorId;
import org.kloaka.model.Signal;

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
            MutableClock.atEpochSecond(T));
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
          assertThat(devices.replace(expected, next)).isTrue();
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
    keepThree.replace(null, device("01", "10", T));
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
    devices.replace(null, device("01", "100", T));

    assertThat(devices.find(SensorId.parse("01")).orElseThrow().value().measurements()).isEmpty();
  }

  @Test
  void deviceReplaceChecksTheVersion() {
    assertThat(devices.replace(null, device("01", "100", T))).isTrue();
    assertThat(devices.replace(null, device("01", "50", T))).as("insert over existing").isFalse();
    Stored<Device> first = devices.find(SensorId.parse("01")).orElseThrow();

    assertThat(devices.replace(first, device("01", "50", T + 1))).isTrue();
    assertThat(devices.replace(first, device("01", "0", T + 2))).as("stale version").isFalse();
    assertThat(devices.find(SensorId.parse("01")).orElseThrow().value().lastValue())
        .isEqualTo(Filling.parse("50"));
  }

  @Test
  void aRolledBackDeviceWriteIsForgottenByTheWritersCache() {
    devices.replace(null, device("01", "100", T));
    try {
      db.inTransaction(
          () -> {
            Stored<Device> current = devices.find(SensorId.parse("01")).orElseThrow();
            devices.replace(current, device("01", "0", T + 1));
            devices.replace(null, device("02", "50", T + 1));
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
            devices.replace(null, device("02", "50", T));
            assertThat(devices.find(id)).isPresent();
            throw new IllegalStateException("roll back");
          });
    } catch (IllegalStateException expected) {
      // the point of the test
    }

    db.inTransaction(
        () -> {
          assertThat(devices.find(id)).as("rolled back").isEmpty();
          devices.replace(null, device("02", "100", T + 1));
          return null;
        });
    assertThat(devices.find(id).orElseThrow().value().lastValue()).isEqualTo(Filling.of(100));
  }

  @Test
  void devicesAreListedByTubeThenSensorNumberWithoutMeasurements() {
    for (String id : List.of("1-0", "0-10", "09", "01", "12-7", "2-3")) {
      devices.replace(null, device(id, "100", T));
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
    devices.replace(null, device("01", "100", T));
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
    devices.replace(null, device("01", "100", T));
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
