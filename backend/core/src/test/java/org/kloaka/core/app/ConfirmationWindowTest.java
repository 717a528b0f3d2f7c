package org.kloaka.core.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.kloaka.api.Push;
import org.kloaka.core.DeviceRules.DeviceChange;
import org.kloaka.core.InMemoryStores;
import org.kloaka.core.Inspector;
import org.kloaka.core.Organizer;
import org.kloaka.core.TestData;
import org.kloaka.core.network.Network;
import org.kloaka.core.port.Stored;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemType;
import org.kloaka.testing.TestClock;

/**
 * The confirmation window (docs/problems.md): a pair opens or re-activates only once not OK for
 * that long in measurement time; an OK evaluation restarts the wait. On a forwardable clock.
 */
class ConfirmationWindowTest {

  static final long T0 = 1_795_860_000L;

  final InMemoryStores stores = new InMemoryStores();
  final TestClock clock = new TestClock(T0);
  final Organizer organizer = stores.organizer(clock);

  InspectPairs inspect(Duration confirmAfter) {
    return new InspectPairs(
        new Inspector(
            stores.devices,
            stores.problems,
            Network.byIdConvention(),
            clock,
            stores.pending,
            confirmAfter));
  }

  InspectPairs inspect = inspect(Duration.ofMinutes(30));

  void report(String id, String filling) {
    Organizer.Outcome.Accepted accepted =
        organizer.apply(TestData.reading(id, filling, clock.seconds()));
    DeviceChange change = accepted.change();
    stores.events.publish(
        inspect.handle(new InspectPairs.Command(change.before(), change.after())).changes());
  }

  void minutes(long m) {
    clock.set(T0 + m * 60);
  }

  Optional<Problem> record(String id) {
    return stores.problems.find(id).map(Stored::value);
  }

  List<Problem> problemPushes() {
    return stores.events.of(Push.ProblemPush.class).stream()
        .map(Push.ProblemPush::problem)
        .toList();
  }

  @Test
  void anObstructionOpensAtTheFirstEvaluationAtOrAfterTheWindowThatStillFindsIt() {
    report("01", "100");
    report("02", "50"); // 10:00 not OK: the wait starts
    minutes(29);
    report("02", "50");
    assertThat(record("0102")).as("29 minutes in").isEmpty();
    assertThat(stores.pending.size()).isEqualTo(1);

    minutes(30);
    report("02", "50");

    Problem opened = record("0102").orElseThrow();
    assertThat(opened.problem()).isEqualTo(ProblemType.OBSTRUCTION);
    assertThat(opened.problemTime()).isEqualTo(T0 + 30 * 60);
    assertThat(opened.active()).isTrue();
    assertThat(problemPushes()).containsExactly(opened);
    assertThat(stores.pending.size()).as("the wait ended with the record").isZero();
  }

  @Test
  void anOkEvaluationInBetweenStartsTheWaitAgain() {
    report("01", "100");
    report("02", "50");
    minutes(20);
    report("02", "100"); // OK
    minutes(25);
    report("02", "50"); // not OK again: waits from here
    minutes(50);
    report("02", "50");
    assertThat(record("0102")).as("25 minutes since the OK").isEmpty();
    minutes(55);
    report("02", "50");
    assertThat(record("0102")).isPresent();
  }

  @Test
  void aChangeOfTypeOfAnActiveRecordIsNotDelayedReActivationIs() {
    report("01", "100");
    report("02", "50");
    minutes(30);
    report("02", "50"); // opens OBSTRUCTION
    minutes(31);
    report("01", "25"); // LOW vs LOW: OK → inactive at once
    assertThat(record("0102").orElseThrow().active()).isFalse();

    minutes(32);
    report("01", "100"); // not OK again: the inactive record waits
    assertThat(record("0102").orElseThrow().active()).isFalse();
    minutes(62);
    report("01", "100");
    assertThat(record("0102").orElseThrow().active()).isTrue();

    minutes(63);
    report("01", "0"); // PROBLEM: NO upstream, LOW downstream, changes type at once
    assertThat(record("0102").orElseThrow().problem()).isEqualTo(ProblemType.PROBLEM);
    assertThat(record("0102").orElseThrow().active()).isTrue();
  }

  @Test
  void aWaitSurvivesANewInspectorOnTheSameStores() {
    report("01", "100");
    report("02", "50");
    minutes(15);
    inspect = inspect(Duration.ofMinutes(30)); // a restart: new objects, the stored wait
    report("02", "50");
    assertThat(record("0102")).isEmpty();
    minutes(30);
    report("02", "50");
    assertThat(record("0102")).isPresent();
  }

  /**
   * Downstream flapping across the CORRECT/LOW boundary (74/76) every five minutes for a day, below
   * a full upstream: problem pushes per hour with and without the window.
   */
  @Test
  void flappingAtALevelBoundaryOpensAndClearsEveryReadingWithoutTheWindowAndNothingWithIt() {
    double without = flappingPushesPerHour(Duration.ZERO);
    double with = flappingPushesPerHour(Duration.ofMinutes(30));
    System.out.printf(
        "flapping 74/76 every 5 min: %.1f problem pushes/hour with confirm-after 0, %.1f with 30m%n",
        without, with);
    assertThat(without).isEqualTo(12.0);
    assertThat(with).isZero();
  }

  private double flappingPushesPerHour(Duration confirmAfter) {
    InMemoryStores fresh = new InMemoryStores();
    TestClock time = new TestClock(T0);
    Organizer org = fresh.organizer(time);
    InspectPairs pairs =
        new InspectPairs(
            new Inspector(
                fresh.devices,
                fresh.problems,
                Network.byIdConvention(),
                time,
                fresh.pending,
                confirmAfter));
    int hours = 24;
    for (int i = 0; i <= hours * 12; i++) {
      time.set(T0 + i * 300L);
      List<String[]> readings =
          i == 0
              ? List.of(new String[] {"01", "100"}, new String[] {"02", "76"})
              : List.<String[]>of(new String[] {"02", i % 2 == 1 ? "74" : "76"});
      for (String[] r : readings) {
        DeviceChange change = org.apply(TestData.reading(r[0], r[1], time.seconds())).change();
        fresh.events.publish(
            pairs.handle(new InspectPairs.Command(change.before(), change.after())).changes());
      }
    }
    return fresh.events.of(Push.ProblemPush.class).size() / (double) hours;
  }
}
