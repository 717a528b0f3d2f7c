package org.kloaka.core.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kloaka.api.Push;
import org.kloaka.core.DeviceRules.DeviceChange;
import org.kloaka.core.InMemoryStores;
import org.kloaka.core.Inspector;
import org.kloaka.core.Organizer;
import org.kloaka.core.Silence;
import org.kloaka.core.TestData;
import org.kloaka.core.network.Network;
import org.kloaka.core.port.Stored;
import org.kloaka.model.Filling;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemStatus;
import org.kloaka.model.ProblemType;
import org.kloaka.testing.TestClock;

/** Silent sensors (docs/problems.md), on a forwardable clock: no sleeps, exact deadlines. */
class SweepSilentSensorsTest {

  static final long T0 = 1_795_860_000L;
  static final Duration WINDOW = Duration.ofHours(3);
  static final long W = WINDOW.toSeconds();

  final InMemoryStores stores = new InMemoryStores();
  final TestClock clock = new TestClock(T0);
  final Organizer organizer = stores.organizer(clock);
  final Silence silence = new Silence(stores.devices, stores.problems, clock, WINDOW);
  final InspectPairs inspect =
      new InspectPairs(
          new Inspector(stores.devices, stores.problems, Network.byIdConvention(), clock), silence);
  final SweepSilentSensors sweep =
      new SweepSilentSensors(
          silence, stores.silenceWatch, stores.transactions, stores.events, clock);

  /** A reading at the clock's time, stored and inspected as the local runtime does. */
  void report(String id, String filling) {
    Organizer.Outcome.Accepted accepted =
        organizer.apply(TestData.reading(id, filling, clock.seconds()));
    stores.events.publish(accepted.changes());
    DeviceChange change = accepted.change();
    stores.events.publish(
        inspect.handle(new InspectPairs.Command(change.before(), change.after())).changes());
  }

  void at(long epochSecond) {
    clock.set(epochSecond);
  }

  Problem record(String id) {
    return stores.problems.find(id).map(Stored::value).orElseThrow();
  }

  List<Problem> problemPushes() {
    return stores.events.of(Push.ProblemPush.class).stream()
        .map(Push.ProblemPush::problem)
        .toList();
  }

  @Test
  void oneSecondBeforeTheDeadlineNothingAtTheDeadlineSilentWithItsLastValue() {
    report("0-10", "62.5");

    at(T0 + W - 1);
    assertThat(sweep.sweep().marked()).isZero();
    assertThat(stores.problems.find("0-10")).isEmpty();

    at(T0 + W);
    SweepSilentSensors.Result result = sweep.sweep();

    assertThat(result.marked()).isEqualTo(1);
    assertThat(record("0-10"))
        .isEqualTo(
            new Problem(
                "0-10",
                ProblemType.SILENT,
                T0 + W,
                ProblemStatus.UNRESOLVED,
                TestData.id("0-10"),
                null,
                Filling.parse("62.5"),
                null,
                true,
                T0,
                null,
                null,
                null));
    assertThat(problemPushes()).containsExactly(record("0-10"));
  }

  @Test
  void aSweepAfterTheDeadlineFindsItTooAndLaterSweepsWriteNothingMore() {
    report("01", "100");
    at(T0 + W + 29);
    assertThat(sweep.sweep().marked()).isEqualTo(1);
    assertThat(record("01").problemTime()).isEqualTo(T0 + W + 29);
    int writes = stores.problems.writes();

    for (int i = 1; i <= 10; i++) {
      at(T0 + W + 29 + 30L * i);
      assertThat(sweep.sweep().candidates()).as("sweep %d reads nothing already swept", i).isZero();
    }
    assertThat(stores.problems.writes()).isEqualTo(writes);
    assertThat(problemPushes()).hasSize(1);
  }

  @Test
  void aSensorReportingAtTheLastSecondIsNotSilent() {
    report("01", "100");
    at(T0 + W - 1);
    report("01", "100");

    at(T0 + W);
    assertThat(sweep.sweep().marked()).isZero();
    at(T0 + W - 1 + W - 1);
    assertThat(sweep.sweep().marked()).isZero();
    at(T0 + W - 1 + W);
    assertThat(sweep.sweep().marked()).isEqualTo(1);
    assertThat(record("01").lastSeen()).isEqualTo(T0 + W - 1);
  }

  @Test
  void reportingAgainMakesItInactiveWithTheSilencesValuesThenSilentAgainActiveAgain() {
    report("01", "50");
    at(T0 + W);
    sweep.sweep();
    at(T0 + W + 600);
    report("01", "100");

    Problem back = record("01");
    assertThat(back.active()).isFalse();
    assertThat(back.problemStatus()).isEqualTo(ProblemStatus.UNRESOLVED);
    assertThat(back.upstreamValue()).as("the value of the fault").isEqualTo(Filling.parse("50"));
    assertThat(problemPushes()).last().isEqualTo(back);

    at(T0 + W + 600 + W);
    assertThat(sweep.sweep().marked()).isEqualTo(1);
    Problem again = record("01");
    assertThat(again.active()).isTrue();
    assertThat(again.problemTime()).as("the same occurrence").isEqualTo(T0 + W);
    assertThat(again.lastSeen()).isEqualTo(T0 + W + 600);
    assertThat(again.upstreamValue()).isEqualTo(Filling.parse("100"));
    assertThat(problemPushes()).hasSize(3);

    // Each change is an event of the sensor's timeline, at its time, written with the record.
    assertThat(stores.timeline.history("01", 10))
        .extracting(e -> e.type() + "@" + (e.time() - T0))
        .containsExactly("OPENED@" + W, "INACTIVE@" + (W + 600), "ACTIVE@" + (W + 600 + W));
    assertThat(stores.timeline.history("01", 10))
        .allSatisfy(e -> assertThat(e.problemTime()).isEqualTo(T0 + W));
  }

  @Test
  void anotherSweepOfTheSameSilenceAddsNoEvent() {
    report("01", "100");
    at(T0 + W);
    sweep.sweep();
    at(T0 + W + 30);
    sweep.sweep();
    at(T0 + 2 * W);
    sweep.sweep();
    assertThat(stores.timeline.history("01", 10)).hasSize(1);
  }

  @Test
  void resolvedWhileSilentStaysResolvedANewSilenceAfterAReadingOpensANewRecord() {
    report("01", "100");
    at(T0 + W);
    sweep.sweep();
    ResolveProblem resolve =
        new ResolveProblem(stores.problems, stores.transactions, stores.events, clock);
    at(T0 + W + 60);
    resolve.handle(new ResolveProblem.Command("01", "maria", "battery swapped"));

    at(T0 + W + 120);
    sweep.sweep();
    assertThat(record("01").problemStatus()).isEqualTo(ProblemStatus.RESOLVED);

    report("01", "100");
    assertThat(record("01").problemStatus())
        .as("a resolved record is left alone when the sensor reports")
        .isEqualTo(ProblemStatus.RESOLVED);
    at(T0 + W + 120 + W);
    assertThat(sweep.sweep().marked()).isEqualTo(1);
    assertThat(record("01").problemStatus()).isEqualTo(ProblemStatus.UNRESOLVED);
    assertThat(record("01").problemTime()).isEqualTo(T0 + W + 120 + W);
  }

  @Test
  void fiveThousandSensorsFallingSilentAtOnceAreOneSweepWithOneWriteEach() {
    for (int tube = 0; tube < 50; tube++) {
      for (int sensor = 1; sensor <= 100; sensor++) {
        report(tube + "-" + sensor, "100");
      }
    }
    stores.events.clear();
    int writesBefore = stores.problems.writes();
    at(T0 + W);

    long started = System.nanoTime();
    SweepSilentSensors.Result result = sweep.sweep();
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.printf("sweep of 5,000 silent sensors (in memory): %d ms%n", millis);

    assertThat(result.candidates()).isEqualTo(5000);
    assertThat(result.marked()).isEqualTo(5000);
    assertThat(stores.problems.writes() - writesBefore).isEqualTo(5000);
    assertThat(problemPushes()).hasSize(5000);
    assertThat(stores.problems.list(ProblemStatus.UNRESOLVED))
        .allSatisfy(p -> assertThat(p.problem()).isEqualTo(ProblemType.SILENT));
    assertThat(stores.transactions.units()).as("one unit of work").isEqualTo(1);

    at(T0 + W + 30);
    assertThat(sweep.sweep().candidates()).isZero();
    assertThat(stores.problems.writes() - writesBefore).isEqualTo(5000);
  }

  @Test
  void offWritesNothingAndLooksNothingUp() {
    Silence off = new Silence(stores.devices, stores.problems, clock, Duration.ZERO);
    SweepSilentSensors none =
        new SweepSilentSensors(off, stores.silenceWatch, stores.transactions, stores.events, clock);
    report("01", "100");
    at(T0 + 30 * 86_400L);
    assertThat(none.sweep().candidates()).isZero();
    assertThat(stores.silenceWatch.reads()).isZero();
    assertThat(stores.problems.find("01")).isEmpty();
  }

  @Test
  void aFirstSweepLongAfterTheLastReadingStillFindsItWithinTheCatchUp() {
    report("01", "100");
    at(T0 + W + 6 * 86_400L);
    assertThat(sweep.sweep().marked()).isEqualTo(1);
  }

  @Test
  void aFirstSweepLooksBackAWeekAtMost() {
    report("01", "100");
    at(T0 + W + 7 * 86_400L + 1);
    assertThat(sweep.sweep().candidates()).isZero();
  }
}
