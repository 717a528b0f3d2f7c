package org.kloaka.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kloaka.core.TestData.id;
import static org.kloaka.core.TestData.reading;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.kloaka.api.Push;
import org.kloaka.core.DeviceRules.DeviceChange;
import org.kloaka.core.app.InspectPairs;
import org.kloaka.core.network.Network;
import org.kloaka.core.port.Stored;
import org.kloaka.model.Filling;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemEvent;
import org.kloaka.model.ProblemStatus;
import org.kloaka.model.ProblemType;
import org.kloaka.model.SensorId;
import org.kloaka.network.NetworkJson;
import org.kloaka.testing.TestClock;

/** The problem lifecycle of docs/problems.md, driven the way the runtimes drive it. */
class InspectorTest {

  static final long T0 = 1_658_274_939L;

  final InMemoryStores stores = new InMemoryStores();
  final TestClock clock = new TestClock(T0);
  final Organizer organizer = stores.organizer(clock);
  Inspector inspector = inspector(Network.byIdConvention());

  Inspector inspector(Neighbours neighbours) {
    return new Inspector(stores.devices, stores.problems, neighbours, clock);
  }

  /**
   * A message at the clock's time, organized and, by the use case's rule, inspected — as the
   * runtimes do; what changed goes to the feed.
   */
  List<Problem> report(String id, String filling) {
    Organizer.Outcome.Accepted accepted = organizer.apply(reading(id, filling, clock.seconds()));
    stores.events.publish(accepted.changes());
    DeviceChange change = accepted.change();
    Inspector.Inspection inspection =
        new InspectPairs(inspector)
            .handle(new InspectPairs.Command(change.before(), change.after()));
    stores.events.publish(inspection.changes());
    return inspection.written();
  }

  /** One inspection of {@code sensor}; what changed goes to the feed. */
  List<Problem> inspect(SensorId sensor) {
    Inspector.Inspection inspection = inspector.inspect(sensor);
    stores.events.publish(inspection.changes());
    return inspection.written();
  }

  void later(long seconds) {
    clock.set(clock.seconds() + seconds);
  }

  Problem problem(String problemId) {
    return stores.problems.find(problemId).map(Stored::value).orElseThrow();
  }

  List<Problem> problemPushes() {
    return stores.events.of(Push.ProblemPush.class).stream()
        .map(Push.ProblemPush::problem)
        .toList();
  }

  @Nested
  class Lifecycle {

    @Test
    void aFaultOpensANewActiveRecordAndPushesIt() {
      report("01", "100");
      later(60);
      report("02", "50");
      Problem p = problem("0102");
      assertThat(p.problem()).isEqualTo(ProblemType.OBSTRUCTION);
      assertThat(p.problemStatus()).isEqualTo(ProblemStatus.UNRESOLVED);
      assertThat(p.problemTime()).isEqualTo(T0 + 60);
      assertThat(p.lastSeen()).isEqualTo(T0 + 60);
      assertThat(p.active()).isTrue();
      assertThat(p.upstreamId()).isEqualTo(id("01"));
      assertThat(p.downstreamId()).isEqualTo(id("02"));
      assertThat(p.upstreamValue()).isEqualTo(Filling.of(100));
      assertThat(p.downstreamValue()).isEqualTo(Filling.of(50));
      assertThat(p.resolvedTime()).isNull();
      assertThat(problemPushes()).containsExactly(p);
    }

    @Test
    void theSameFaultAgainOnlyMovesLastSeenAndPushesNothing() {
      report("01", "100");
      report("02", "50");
      later(300);
      report("02", "40");
      Problem p = problem("0102");
      assertThat(p.lastSeen()).isEqualTo(T0 + 300);
      assertThat(p.problemTime()).isEqualTo(T0);
      assertThat(p.downstreamValue()).isEqualTo(Filling.of(40));
      assertThat(problemPushes()).hasSize(1);
    }

    @Test
    void normalFlowMakesTheRecordInactiveButLeavesItUnresolvedAndPushes() {
      report("01", "100");
      report("02", "50");
      later(60);
      report("02", "100");
      Problem p = problem("0102");
      assertThat(p.active()).isFalse();
      assertThat(p.problemStatus()).isEqualTo(ProblemStatus.UNRESOLVED);
      assertThat(p.lastSeen()).as("last_seen is when the fault was seen").isEqualTo(T0);
      assertThat(problemPushes()).hasSize(2);
      assertThat(problemPushes().get(1)).isEqualTo(p);
      later(60);
      report("02", "90");
      assertThat(problemPushes()).as("inactive and OK again: nothing new").hasSize(2);
    }

    @Test
    void theFaultReturningReactivatesTheSameRecordAndPushes() {
      report("01", "100");
      report("02", "50");
      later(60);
      report("02", "100");
      later(60);
      report("02", "50");
      Problem p = problem("0102");
      assertThat(p.active()).isTrue();
      assertThat(p.problemTime()).isEqualTo(T0);
      assertThat(p.lastSeen()).isEqualTo(T0 + 120);
      assertThat(problemPushes()).hasSize(3);
    }

    @Test
    void anotherFaultOnTheSamePairSwitchesTheTypeAndPushes() {
      report("01", "50");
      report("02", "0");
      assertThat(problem("0102").problem()).isEqualTo(ProblemType.OBSTRUCTION);
      later(60);
      report("01", "0");
      report("02", "50");
      Problem p = problem("0102");
      assertThat(p.problem()).isEqualTo(ProblemType.PROBLEM);
      assertThat(p.problemTime()).isEqualTo(T0);
      assertThat(problemPushes()).extracting(Problem::problem).endsWith(ProblemType.PROBLEM);
    }

    @Test
    void resolvingRecordsWhoAndWhenAndResolvingAgainChangesNothing() {
      report("01", "100");
      report("02", "50");
      Problem open = problem("0102");
      Problem done = ProblemLifecycle.resolved(open, "ana", "cleared", T0 + 900).orElseThrow();
      assertThat(done.problemStatus()).isEqualTo(ProblemStatus.RESOLVED);
      assertThat(done.resolvedTime()).isEqualTo(T0 + 900);
      assertThat(done.resolvedBy()).isEqualTo("ana");
      assertThat(done.note()).isEqualTo("cleared");
      assertThat(done.problemTime()).isEqualTo(open.problemTime());
      assertThat(ProblemLifecycle.worthPushing(open, done)).isTrue();
      assertThat(ProblemLifecycle.resolved(done, "bob", "again", T0 + 999)).isEmpty();
    }

    @Test
    void aNewFaultOnAResolvedPairOpensAFreshRecord() {
      report("01", "100");
      report("02", "50");
      stores.problems.put(
          ProblemLifecycle.resolved(problem("0102"), "ana", "cleared", T0 + 10).orElseThrow());
      later(60);
      report("02", "100");
      assertThat(problem("0102").isResolved()).as("OK on a resolved pair changes nothing").isTrue();
      later(60);
      report("02", "0");
      Problem fresh = problem("0102");
      assertThat(fresh.problemStatus()).isEqualTo(ProblemStatus.UNRESOLVED);
      assertThat(fresh.problemTime()).isEqualTo(T0 + 120);
      assertThat(fresh.active()).isTrue();
      assertThat(fresh.resolvedTime()).isNull();
      assertThat(fresh.resolvedBy()).isNull();
      assertThat(fresh.note()).isNull();
      assertThat(problemPushes()).hasSize(2).last().isEqualTo(fresh);
    }

    @Test
    void aFaultAgainWithinTheSecondItOpenedIsANewOccurrenceOfItsOwn() {
      report("01", "100");
      report("02", "50");
      Problem first = problem("0102");
      Problem done = ProblemLifecycle.resolved(first, "ana", "rodded", T0).orElseThrow();
      assertThat(
              stores.problems.replace(
                  stores.problems.find("0102").orElseThrow(),
                  done,
                  ProblemLifecycle.eventsOf(first, done, T0, "rodded")))
          .isTrue();
      report("02", "40"); // still T0: opened, resolved and faulty again within one second

      Problem fresh = problem("0102");
      assertThat(fresh.problemStatus()).isEqualTo(ProblemStatus.UNRESOLVED);
      assertThat(fresh.problemTime()).isEqualTo(T0 + 1);
      assertThat(fresh.lastSeen()).isEqualTo(T0 + 1);
      List<ProblemEvent> events = stores.timeline.history("0102", 1000);
      assertThat(events)
          .extracting(ProblemEvent::type, ProblemEvent::problemTime)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(ProblemEvent.Type.OPENED, T0),
              org.assertj.core.groups.Tuple.tuple(ProblemEvent.Type.ACKNOWLEDGED, T0),
              org.assertj.core.groups.Tuple.tuple(ProblemEvent.Type.RESOLVED, T0),
              org.assertj.core.groups.Tuple.tuple(ProblemEvent.Type.OPENED, T0 + 1));
      assertThat(HotSpots.rank(events, T0 - 60, T0 + 60))
          .singleElement()
          .extracting(HotSpots.Figures::occurrences)
          .isEqualTo(2);
      assertThat(problemPushes()).hasSize(2).last().isEqualTo(fresh);
    }

    @Test
    void aStillResolvedPairThatStaysFaultyIsReopenedOnlyOnce() {
      report("01", "100");
      report("02", "50");
      stores.problems.put(
          ProblemLifecycle.resolved(problem("0102"), "ana", null, T0 + 10).orElseThrow());
      later(60);
      report("02", "40");
      later(60);
      report("02", "30");
      assertThat(problem("0102").problemTime()).isEqualTo(T0 + 60);
      assertThat(problemPushes()).hasSize(2);
    }
  }

  @Nested
  class Pairs {

    @Test
    void aPairWhoseNeighbourNeverReportedIsNotEvaluated() {
      assertThat(report("02", "0")).isEmpty();
      assertThat(stores.problems.list(null)).isEmpty();
      assertThat(problemPushes()).isEmpty();
    }

    @Test
    void bothPairsOfAMiddleSensorAreEvaluated() {
      report("01", "100");
      report("03", "0");
      report("02", "50");
      assertThat(stores.problems.list(null))
          .extracting(Problem::problemId)
          .containsExactlyInAnyOrder("0102", "0203");
    }

    @Test
    void aJunctionSensorEvaluatesEveryPreviousSensor() throws Exception {
      inspector =
          inspector(
              Network.of(
                  NetworkJson.parse(
                      "test",
                      """
                      {"tubes": [
                        {"id": "0", "sensors": [{"id": "01"}, {"id": "02"}, {"id": "03"}],
                         "flows_into": {"tube": "1", "at": "12"}},
                        {"id": "1", "sensors": [{"id": "11"}, {"id": "12"}, {"id": "13"}]}]}
                      """
                          .getBytes(StandardCharsets.UTF_8))));
      report("11", "100");
      report("03", "50");
      List<Problem> written = report("12", "0");
      assertThat(written).extracting(Problem::problemId).containsExactlyInAnyOrder("1112", "0312");
      assertThat(problem("1112").problem()).isEqualTo(ProblemType.OBSTRUCTION);
      assertThat(problem("0312").problem()).isEqualTo(ProblemType.OBSTRUCTION);
      assertThat(stores.problems.find("1213")).as("13 never reported").isEmpty();
      assertThat(stores.problems.find(Problem.idOf(id("02"), id("03")))).isEmpty();
    }

    @Test
    void aLateMessageTriggersNoInspection() {
      report("01", "100");
      report("02", "100");
      Organizer.Outcome.Accepted late = organizer.apply(reading("02", "0", T0 - 100));
      assertThat(late.change().current()).isFalse();
      assertThat(stores.problems.list(null)).isEmpty();
    }
  }

  @Nested
  class Redelivery {

    @Test
    void inspectingTheSameStateAgainWritesNothingAndPushesNothing() {
      report("01", "100");
      report("02", "50");
      int writes = stores.problems.writes();
      assertThat(inspect(id("02"))).isEmpty();
      assertThat(inspect(id("01"))).isEmpty();
      assertThat(stores.problems.writes()).isEqualTo(writes);
      assertThat(problemPushes()).hasSize(1);
      assertThat(stores.problems.list(null)).hasSize(1);
    }

    @Test
    void aRedeliveredMessageLaterOnlyMovesLastSeen() {
      report("01", "100");
      report("02", "50");
      later(30);
      inspect(id("02"));
      assertThat(problem("0102").lastSeen()).isEqualTo(T0 + 30);
      assertThat(problemPushes()).hasSize(1);
    }

    @Test
    void aConflictingWriterMakesTheInspectorRetryWithoutASecondRecordOrPush() {
      report("01", "100");
      stores.problems.failNextReplaces(3);
      report("02", "50");
      assertThat(stores.problems.list(null)).hasSize(1);
      assertThat(problemPushes()).hasSize(1);
    }

    @Test
    void aRecordCreatedMeanwhileIsUpdatedNotDuplicated() {
      report("01", "100");
      report("02", "50");
      Problem meanwhile = problem("0102");
      // Another inspector (a redelivered stream record) already wrote the same record.
      Optional<Problem> again =
          ProblemLifecycle.afterVerdict(
              Optional.of(meanwhile),
              org.kloaka.model.Verdict.OBSTRUCTION,
              stores.devices.find(id("01")).orElseThrow().value(),
              stores.devices.find(id("02")).orElseThrow().value(),
              T0);
      assertThat(again).as("same step twice: nothing to write").isEmpty();
    }
  }

  @Nested
  class Timeline {

    List<ProblemEvent.Type> types(String pair) {
      return stores.timeline.history(pair, 1000).stream().map(ProblemEvent::type).toList();
    }

    @Test
    void recoveryKeepsTheValuesOfTheFault() {
      report("01", "100");
      report("02", "50");
      later(60);
      report("02", "93.1");
      Problem p = problem("0102");
      assertThat(p.active()).isFalse();
      assertThat(p.upstreamValue()).isEqualTo(Filling.of(100));
      assertThat(p.downstreamValue())
          .as("the fault's value, not the recovery's")
          .isEqualTo(Filling.of(50));
    }

    @Test
    void everyLifecycleStepIsOneEventWithItsOccurrence() {
      report("01", "50");
      report("02", "0"); // OBSTRUCTION
      later(60);
      report("02", "50"); // OK
      later(60);
      report("02", "0"); // OBSTRUCTION again
      later(60);
      report("02", "100"); // PROBLEM
      later(60);
      report("02", "100"); // the same: no event
      assertThat(types("0102"))
          .containsExactly(
              ProblemEvent.Type.OPENED,
              ProblemEvent.Type.INACTIVE,
              ProblemEvent.Type.ACTIVE,
              ProblemEvent.Type.CHANGED);
      List<ProblemEvent> events = stores.timeline.history("0102", 1000);
      assertThat(events).allSatisfy(e -> assertThat(e.problemTime()).isEqualTo(T0));
      assertThat(events).allSatisfy(e -> assertThat(e.by()).isNull());
      assertThat(events)
          .extracting(ProblemEvent::time)
          .containsExactly(T0, T0 + 60, T0 + 120, T0 + 180);
      assertThat(events.get(3).problem()).isEqualTo(ProblemType.PROBLEM);
    }

    @Test
    void aRedeliveredMessageAddsNoEvent() {
      report("01", "100");
      report("02", "50");
      later(30);
      inspect(id("02"));
      inspect(id("01"));
      assertThat(types("0102")).containsExactly(ProblemEvent.Type.OPENED);
    }

    @Test
    void aNewOccurrenceKeepsThePreviousOnesEvents() {
      report("01", "100");
      report("02", "50");
      stores.problems.put(
          ProblemLifecycle.resolved(problem("0102"), "ana", "flushed", T0 + 10).orElseThrow());
      stores.timeline.append(
          new ProblemEvent(
              "0102",
              ProblemEvent.Type.RESOLVED,
              T0 + 10,
              "ana",
              "flushed",
              T0,
              ProblemType.OBSTRUCTION));
      later(60);
      report("02", "0");
      List<ProblemEvent> events = stores.timeline.history("0102", 1000);
      assertThat(events)
          .extracting(ProblemEvent::type, ProblemEvent::problemTime)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(ProblemEvent.Type.OPENED, T0),
              org.assertj.core.groups.Tuple.tuple(ProblemEvent.Type.RESOLVED, T0),
              org.assertj.core.groups.Tuple.tuple(ProblemEvent.Type.OPENED, T0 + 60));
      assertThat(problem("0102").acknowledgedTime())
          .as("a new occurrence starts unacknowledged")
          .isNull();
    }

    @Test
    void resolvingAcknowledgesAndBothAreEvents() {
      report("01", "100");
      report("02", "50");
      Problem open = problem("0102");
      Problem done = ProblemLifecycle.resolved(open, "ana", "cleared", T0 + 900).orElseThrow();
      assertThat(done.acknowledgedBy()).isEqualTo("ana");
      assertThat(done.acknowledgedTime()).isEqualTo(T0 + 900);
      assertThat(ProblemLifecycle.eventsOf(open, done, T0 + 900, "cleared"))
          .extracting(ProblemEvent::type, ProblemEvent::by, ProblemEvent::note)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(ProblemEvent.Type.ACKNOWLEDGED, "ana", null),
              org.assertj.core.groups.Tuple.tuple(ProblemEvent.Type.RESOLVED, "ana", "cleared"));
      Problem seen =
          ProblemLifecycle.acknowledged(open, "ivo", "crew 3 on the way", T0 + 5).orElseThrow();
      assertThat(ProblemLifecycle.acknowledged(seen, "ana", null, T0 + 9)).as("again").isEmpty();
      Problem thenDone = ProblemLifecycle.resolved(seen, "ana", null, T0 + 900).orElseThrow();
      assertThat(thenDone.acknowledgedBy()).as("the first acknowledgement stays").isEqualTo("ivo");
      assertThat(thenDone.note())
          .as("no new note: the previous stays")
          .isEqualTo("crew 3 on the way");
    }
  }
}
