package org.kloaka.core.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kloaka.core.TestData;
import org.kloaka.model.Device;
import org.kloaka.model.Filling;
import org.kloaka.model.Measurement;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemEvent;
import org.kloaka.model.ProblemEvent.Type;
import org.kloaka.model.ProblemStatus;
import org.kloaka.model.ProblemType;
import org.kloaka.model.Reject;
import org.kloaka.model.SensorId;
import org.kloaka.model.Signal;
import org.kloaka.testing.TestClock;

/**
 * What every implementation of the core's store ports promises, as their Javadoc says it, run
 * against each of them: {@code InMemoryStoresContractTest} (the fake the core's tests use), {@code
 * SqliteStoresContractTest} and {@code DynamoStoresContractMotoTest}. A store passes or the core's
 * tests prove nothing about it.
 *
 * <p>Writes of one reading (device and history row) go through {@link Stores#transactions()} in one
 * unit of work, as the organizer does. Between writes the test clock moves on by a millisecond, as
 * real time does: stores may order rows of the same second by arrival time.
 */
public abstract class StoreContract {

  protected static final long T = 1_795_860_000L; // 2026-11-28T10:00:00Z

  /**
   * The stores of one deployment and how it runs a unit of work; {@code timeline} holds the events
   * {@code problems} writes with its records.
   */
  public record Stores(
      DeviceStore devices,
      HistoryStore history,
      ProblemStore problems,
      RejectStore rejects,
      Transactions transactions,
      TimelineStore timeline) {}

  protected final TestClock clock = new TestClock(T);

  /**
   * Fresh, empty stores whose devices keep {@code keep} recent measurements, reading {@link
   * #clock}.
   */
  protected abstract Stores open(int keep);

  private Stores stores;

  private Stores stores() {
    if (stores == null) {
      stores = open(100);
    }
    return stores;
  }

  private void tick() {
    clock.forward(Duration.ofMillis(1));
  }

  /** One accepted reading, as the organizer stores it. */
  private boolean record(Stores in, Stored<Device> expected, Device state, Measurement added) {
    tick();
    return in.transactions()
        .inTransaction(
            () -> {
              if (!in.devices().record(expected, state, added)) {
                return false;
              }
              in.history().append(state.id(), added, state.signal());
              return true;
            });
  }

  private static Device state(String id, String value, long at) {
    return new Device(SensorId.parse(id), Filling.parse(value), at, null, new Signal(-97.0, 7.5));
  }

  private static Measurement m(String value, long at) {
    return new Measurement(Filling.parse(value), at);
  }

  private static SensorId id(String id) {
    return SensorId.parse(id);
  }

  @Test
  void aDeviceIsRegisteredOnlyOnceAndReadBackWithItsStateAndMeasurement() {
    Stores s = stores();
    assertThat(record(s, null, state("01", "62.5", T), m("62.5", T))).isTrue();
    assertThat(record(s, null, state("01", "50", T), m("50", T)))
        .as("a second registration")
        .isFalse();

    Device read = s.devices().find(id("01")).orElseThrow().value();
    assertThat(read)
        .isEqualTo(
            new Device(
                id("01"), Filling.parse("62.5"), T, List.of(m("62.5", T)), new Signal(-97.0, 7.5)));
    assertThat(s.devices().find(id("02"))).isEmpty();
  }

  @Test
  void aDeviceWriteBasedOnAStaleReadLoses() {
    Stores s = stores();
    record(s, null, state("01", "100", T), m("100", T));
    Stored<Device> read = s.devices().find(id("01")).orElseThrow();

    assertThat(record(s, read, state("01", "50", T + 1), m("50", T + 1))).isTrue();
    assertThat(record(s, read, state("01", "0", T + 2), m("0", T + 2)))
        .as("stale version")
        .isFalse();

    Device now = s.devices().find(id("01")).orElseThrow().value();
    assertThat(now.lastValue()).isEqualTo(Filling.parse("50"));
    assertThat(now.measurements()).containsExactly(m("100", T), m("50", T + 1));
  }

  @Test
  void theStateIsTheDeviceWithoutMeasurementsAtTheVersionFindGives() {
    Stores s = stores();
    record(s, null, state("01", "62.5", T), m("62.5", T));
    record(
        s, s.devices().findState(id("01")).orElseThrow(), state("01", "50", T + 1), m("50", T + 1));

    Stored<Device> found = s.devices().find(id("01")).orElseThrow();
    Stored<Device> state = s.devices().findState(id("01")).orElseThrow();
    assertThat(found.value().measurements()).containsExactly(m("62.5", T), m("50", T + 1));
    assertThat(state.value().measurements()).isNull();
    assertThat(state.value()).isEqualTo(found.value().withoutMeasurements());
    assertThat(state.version()).isEqualTo(found.version());
    assertThat(record(s, state, state("01", "0", T + 2), m("0", T + 2))).isTrue();
    assertThat(record(s, state, state("01", "10", T + 3), m("10", T + 3)))
        .as("stale version")
        .isFalse();
    assertThat(s.devices().findState(id("02"))).isEmpty();
  }

  @Test
  void recentMeasurementsAreTheNewestKeepOldestFirstLateOnesWhereTheirTimePutsThem() {
    Stores s = open(3);
    record(s, null, state("01", "10", T), m("10", T));
    long[][] later = {{T + 2, 20}, {T + 3, 30}, {T + 1, 40}, {T + 3, 50}};
    for (long[] arrival : later) {
      Stored<Device> current = s.devices().find(id("01")).orElseThrow();
      Device before = current.value();
      boolean late = arrival[0] < before.lastUpdate();
      Device state = late ? before.withoutMeasurements() : state("01", "" + arrival[1], arrival[0]);
      assertThat(record(s, current, state, m("" + arrival[1], arrival[0]))).isTrue();
    }

    Device read = s.devices().find(id("01")).orElseThrow().value();
    // The newest three by (time, arrival): the late T+1 falls out; the two of T+3 keep their order.
    assertThat(read.measurements()).containsExactly(m("20", T + 2), m("30", T + 3), m("50", T + 3));
    assertThat(read.lastValue()).isEqualTo(Filling.of(50));
    assertThat(s.devices().keep()).isEqualTo(3);
  }

  @Test
  void aStateWithAMeasurementListIsRefused() {
    Stores s = stores();
    Device withList = TestData.device("01", "100", T);
    assertThatThrownBy(() -> s.devices().record(null, withList, m("100", T)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(s.devices().find(id("01"))).isEmpty();
  }

  @Test
  void devicesAreListedByTubeThenSensorNumberWithoutMeasurements() {
    Stores s = stores();
    for (String id : List.of("0-10", "12-7", "09", "01", "1-20")) {
      assertThat(record(s, null, state(id, "75", T), m("75", T))).isTrue();
    }
    List<Device> listed = s.devices().list();
    assertThat(listed)
        .extracting(d -> d.id().toString())
        .containsExactly("01", "09", "0-10", "1-20", "12-7");
    assertThat(listed).allSatisfy(d -> assertThat(d.measurements()).isNull());
  }

  @Test
  void historyRangesGiveTheMostRecentRowsOldestFirstSameSecondInArrivalOrder() {
    Stores s = stores();
    SensorId id = id("01");
    // Rows belong to registered devices, as the organizer writes them (SQLite checks it).
    record(s, null, state("01", "0", T - 100), m("0", T - 100));
    record(s, null, state("02", "0", T - 100), m("0", T - 100));
    long[][] rows = {{T + 10, 1}, {T, 2}, {T + 20, 3}, {T + 20, 4}, {T + 30, 5}};
    for (long[] row : rows) {
      tick();
      s.history().append(id, m("" + row[1], row[0]), null);
    }
    s.history().append(id("02"), m("99", T + 20), null);

    assertThat(s.history().range(id, T, Long.MAX_VALUE, 100))
        .containsExactly(m("2", T), m("1", T + 10), m("3", T + 20), m("4", T + 20), m("5", T + 30));
    assertThat(s.history().range(id, T + 10, T + 20, 100))
        .containsExactly(m("1", T + 10), m("3", T + 20), m("4", T + 20));
    assertThat(s.history().range(id, T, Long.MAX_VALUE, 2))
        .as("the most recent two")
        .containsExactly(m("4", T + 20), m("5", T + 30));
    assertThat(s.history().range(id, 0, T - 1, 100)).containsExactly(m("0", T - 100));
    assertThat(s.history().range(id("03"), 0, Long.MAX_VALUE, 100)).isEmpty();
  }

  @Test
  void aProblemWriteChecksTheVersion() {
    Stores s = stores();
    Problem open = TestData.unresolved("01", "02", ProblemType.OBSTRUCTION, T);
    Problem resolved = TestData.resolved("01", "02", ProblemType.OBSTRUCTION, T, T + 60);
    assertThat(s.problems().replace(null, open)).isTrue();
    assertThat(s.problems().replace(null, resolved)).as("a second record of the pair").isFalse();

    Stored<Problem> stored = s.problems().find("0102").orElseThrow();
    assertThat(stored.value()).isEqualTo(open);
    assertThat(s.problems().replace(stored, resolved)).isTrue();
    assertThat(s.problems().replace(stored, open)).as("stale version").isFalse();
    assertThat(s.problems().find("0102").orElseThrow().value()).isEqualTo(resolved);
    assertThat(s.problems().find("0203")).isEmpty();
  }

  @Test
  void problemsAreListedNewestFirstTiesByIdAndFilteredByStatus() {
    Stores s = stores();
    Problem older = TestData.unresolved("01", "02", ProblemType.OBSTRUCTION, T);
    Problem newer = TestData.resolved("02", "03", ProblemType.PROBLEM, T + 60, T + 90);
    Problem tie = TestData.unresolved("03", "04", ProblemType.PROBLEM, T + 60);
    for (Problem p : List.of(older, tie, newer)) {
      assertThat(s.problems().replace(null, p)).isTrue();
    }

    assertThat(s.problems().list(null)).containsExactly(newer, tie, older);
    assertThat(s.problems().list(ProblemStatus.UNRESOLVED)).containsExactly(tie, older);
    assertThat(s.problems().list(ProblemStatus.RESOLVED)).containsExactly(newer);
  }

  private static ProblemEvent event(String pair, Type type, long time, String by, String note) {
    return new ProblemEvent(pair, type, time, by, note, T, ProblemType.OBSTRUCTION);
  }

  @Test
  void eventsWrittenWithARecordAreStoredOnceAndNotWhenTheWriteLoses() {
    Stores s = stores();
    Problem open = TestData.unresolved("01", "02", ProblemType.OBSTRUCTION, T);
    ProblemEvent opened = event("0102", Type.OPENED, T, null, null);
    assertThat(s.problems().replace(null, open, List.of(opened))).isTrue();
    ProblemEvent lost = event("0102", Type.CHANGED, T + 5, null, null);
    assertThat(s.problems().replace(null, open, List.of(lost))).as("a second record").isFalse();

    Stored<Problem> stored = s.problems().find("0102").orElseThrow();
    Problem resolved = TestData.resolved("01", "02", ProblemType.OBSTRUCTION, T, T + 60);
    ProblemEvent done = event("0102", Type.RESOLVED, T + 60, "maria", "flushed");
    assertThat(s.problems().replace(stored, resolved, List.of(done))).isTrue();
    assertThat(s.problems().replace(stored, resolved, List.of(lost))).as("stale").isFalse();
    // A redelivered write carries the same events again: they are not added twice.
    s.timeline().append(done);
    s.timeline().append(opened);

    assertThat(s.timeline().history("0102", 100)).containsExactly(opened, done);
    assertThat(s.timeline().history("0203", 100)).isEmpty();
  }

  @Test
  void aPairsTimelineIsTheMostRecentEventsOldestFirstAcrossOccurrences() {
    Stores s = stores();
    // Same second: lifecycle order (acknowledged before resolved), whatever the append order.
    ProblemEvent resolved = event("0102", Type.RESOLVED, T + 60, "maria", null);
    ProblemEvent acknowledged = event("0102", Type.ACKNOWLEDGED, T + 60, "maria", null);
    ProblemEvent comment = event("0102", Type.COMMENT, T + 30, "ivo", "on my way");
    ProblemEvent secondComment = event("0102", Type.COMMENT, T + 30, "ivo", "there");
    ProblemEvent opened = event("0102", Type.OPENED, T, null, null);
    ProblemEvent nextOccurrence =
        new ProblemEvent("0102", Type.OPENED, T + 600, null, null, T + 600, ProblemType.PROBLEM);
    ProblemEvent otherPair = event("0203", Type.OPENED, T + 1, null, null);
    for (ProblemEvent e :
        List.of(
            resolved, acknowledged, comment, secondComment, opened, nextOccurrence, otherPair)) {
      s.timeline().append(e);
    }

    List<ProblemEvent> all = s.timeline().history("0102", 100);
    assertThat(all).hasSize(6);
    assertThat(all.get(0)).isEqualTo(opened);
    assertThat(all.subList(1, 3)).containsExactlyInAnyOrder(comment, secondComment);
    assertThat(all.subList(3, 6)).containsExactly(acknowledged, resolved, nextOccurrence);
    assertThat(s.timeline().history("0102", 2))
        .as("the most recent two")
        .containsExactly(resolved, nextOccurrence);
  }

  @Test
  void eventsOfASpanComeFromEveryPairOldestFirstUpToTheLimit() {
    Stores s = stores();
    ProblemEvent a = event("0102", Type.OPENED, T, null, null);
    ProblemEvent b = event("0203", Type.OPENED, T + 10, null, null);
    ProblemEvent c = event("0102", Type.ACKNOWLEDGED, T + 20, "maria", null);
    ProblemEvent d = event("1-201-21", Type.RESOLVED, T + 86_400 * 3, "ivo", "ok");
    for (ProblemEvent e : List.of(d, c, b, a)) {
      s.timeline().append(e);
    }

    assertThat(s.timeline().between(T, T + 86_400 * 3, 100)).containsExactly(a, b, c, d);
    assertThat(s.timeline().between(T + 1, T + 20, 100)).containsExactly(b, c);
    assertThat(s.timeline().between(T, T + 10_000_000, 2)).containsExactly(a, b);
    assertThat(s.timeline().between(T + 21, T + 86_399, 100)).isEmpty();
  }

  @Test
  void rejectsAreGivenNewestFirstUpToTheLimit() {
    Stores s = stores();
    for (int i = 1; i <= 4; i++) {
      tick();
      s.rejects().add(new Reject("reason " + i, T + i, "payload " + i));
    }

    assertThat(s.rejects().newest(2))
        .containsExactly(
            new Reject("reason 4", T + 4, "payload 4"), new Reject("reason 3", T + 3, "payload 3"));
    assertThat(s.rejects().newest(10)).hasSize(4);
  }
}
