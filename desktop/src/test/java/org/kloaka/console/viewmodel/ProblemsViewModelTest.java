package org.kloaka.console.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kloaka.console.viewmodel.Fixtures.problem;
import static org.kloaka.console.viewmodel.Fixtures.resolved;
import static org.kloaka.console.viewmodel.Fixtures.seenAgain;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kloaka.console.client.BackendException;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemStatus;
import org.kloaka.model.ProblemType;
import org.kloaka.testing.TestClock;

class ProblemsViewModelTest {

  final FakeBackend backend = new FakeBackend();
  final List<String> messages = new ArrayList<>();
  final ProblemsViewModel problems =
      new ProblemsViewModel(
          backend,
          Runnable::run,
          Clock.fixed(Instant.ofEpochSecond(5000), ZoneOffset.UTC),
          messages::add);

  @Test
  void unresolvedComeFirstThenNewestFirst() {
    Problem old = problem("01", "02", ProblemType.OBSTRUCTION, 100, true);
    Problem recent = problem("02", "03", ProblemType.PROBLEM, 300, false);
    Problem done = resolved(problem("11", "12", ProblemType.PROBLEM, 400, true), 450, null);

    problems.replace(List.of(old, done, recent));

    assertThat(problems.rows()).extracting(ProblemRow::id).containsExactly("0203", "0102", "1112");
    assertThat(problems.unresolvedCount().get()).isEqualTo(2);

    problems.status().set(StatusFilter.UNRESOLVED);
    assertThat(problems.rows()).extracting(ProblemRow::id).containsExactly("0203", "0102");
  }

  @Test
  void aPushedNewProblemIsAnnouncedButOneFoundByAResyncIsNot() {
    problems.replace(List.of(problem("01", "02", ProblemType.OBSTRUCTION, 100, true)));
    assertThat(problems.announcements().get()).isZero();

    problems.apply(problem("02", "03", ProblemType.PROBLEM, 200, true));

    assertThat(problems.announcements().get()).isEqualTo(1);
    assertThat(problems.lastAnnounced().get().problemId()).isEqualTo("0203");
    assertThat(problems.row("0203").orElseThrow().fresh()).isTrue();
    assertThat(problems.row("0102").orElseThrow().fresh()).isFalse();

    problems.apply(seenAgain(problem("02", "03", ProblemType.PROBLEM, 200, true), 250, true));
    assertThat(problems.announcements().get()).as("last_seen moving is not news").isEqualTo(1);

    problems.acknowledge("0203");
    assertThat(problems.row("0203").orElseThrow().fresh()).isFalse();
  }

  @Test
  void aProblemFoundByALaterResyncIsAnnouncedLikeAPushedOne() {
    Problem known = problem("01", "02", ProblemType.OBSTRUCTION, 100, true);
    problems.replace(List.of(known));
    assertThat(problems.announcements().get()).as("the first load is not news").isZero();

    Problem duringTheGap = problem("02", "03", ProblemType.PROBLEM, 200, true);
    Problem resolvedDuringTheGap =
        resolved(problem("11", "12", ProblemType.PROBLEM, 150, true), 180, null);
    problems.replace(List.of(seenAgain(known, 220, true), duringTheGap, resolvedDuringTheGap));

    assertThat(problems.announcements().get()).isEqualTo(1);
    assertThat(problems.lastAnnounced().get().problemId()).isEqualTo("0203");
    assertThat(problems.row("0203").orElseThrow().fresh()).isTrue();
    assertThat(problems.row("0102").orElseThrow().fresh()).as("already shown").isFalse();
    assertThat(problems.row("1112").orElseThrow().fresh()).as("resolved is not news").isFalse();

    problems.replace(List.of(seenAgain(known, 230, true), duringTheGap));
    assertThat(problems.announcements().get()).as("announced once").isEqualTo(1);
    assertThat(problems.row("0203").orElseThrow().fresh()).as("still highlighted").isTrue();
  }

  @Test
  void aNewFaultOnAResolvedPairIsAnnouncedAgain() {
    Problem first = problem("01", "02", ProblemType.OBSTRUCTION, 100, true);
    problems.replace(List.of(resolved(first, 150, "cleared the grate")));

    problems.apply(problem("01", "02", ProblemType.OBSTRUCTION, 200, true));

    assertThat(problems.announcements().get()).isEqualTo(1);
    assertThat(problems.row("0102").orElseThrow().problem().problemStatus())
        .isEqualTo(ProblemStatus.UNRESOLVED);
  }

  @Test
  void anOlderRecordThanTheOneHeldIsIgnored() {
    Problem current = problem("01", "02", ProblemType.OBSTRUCTION, 100, true);
    problems.replace(List.of(resolved(current, 150, null)));

    problems.apply(current);

    assertThat(problems.row("0102").orElseThrow().problem().isResolved()).isTrue();
    assertThat(problems.announcements().get()).isZero();
  }

  @Test
  void markResolvedSendsThePatchWithTheNoteAndTakesTheAnswer() {
    Problem open = problem("01", "02", ProblemType.OBSTRUCTION, 100, true);
    problems.replace(List.of(open));
    backend.hold = true;
    backend.resolveAnswer = resolved(open, 160, "crew sent");
    problems.undoWindow().set(java.time.Duration.ZERO);

    problems.resolve("0102", "crew sent");

    assertThat(backend.calls).contains("resolve 0102 crew sent");
    assertThat(problems.row("0102").orElseThrow().statusText()).isEqualTo("resolving…");
    assertThat(problems.unresolvedCount().get()).isEqualTo(1);

    backend.release();

    ProblemRow row = problems.row("0102").orElseThrow();
    assertThat(row.statusText()).isEqualTo("resolved");
    assertThat(row.problem().note()).isEqualTo("crew sent");
    assertThat(problems.unresolvedCount().get()).isZero();
    assertThat(messages).isEmpty();
  }

  @Test
  void aFailedResolvePutsTheRowBackAndSaysWhy() {
    problems.replace(List.of(problem("01", "02", ProblemType.OBSTRUCTION, 100, true)));
    backend.failure = new BackendException(500, "store unavailable (HTTP 500)");
    problems.undoWindow().set(java.time.Duration.ZERO);

    problems.resolve("0102", null);

    ProblemRow row = problems.row("0102").orElseThrow();
    assertThat(row.pending()).isFalse();
    assertThat(row.statusText()).isEqualTo("unresolved");
    assertThat(row.error()).isEqualTo("store unavailable (HTTP 500)");
    assertThat(messages).containsExactly("Could not resolve 01 → 02: store unavailable (HTTP 500)");
  }

  @Test
  void newerPrefersLaterRecordsAndResolvedWithinOneRecord() {
    Problem a = problem("01", "02", ProblemType.OBSTRUCTION, 100, true);
    Problem later = problem("01", "02", ProblemType.OBSTRUCTION, 200, true);
    Problem seen = seenAgain(a, 180, true);
    Problem done = resolved(a, 190, null);

    assertThat(ProblemsViewModel.newer(a, later)).isSameAs(later);
    assertThat(ProblemsViewModel.newer(later, a)).isSameAs(later);
    assertThat(ProblemsViewModel.newer(a, seen)).isSameAs(seen);
    assertThat(ProblemsViewModel.newer(seen, a)).isSameAs(seen);
    assertThat(ProblemsViewModel.newer(done, seen)).isSameAs(done);
    assertThat(ProblemsViewModel.newer(seen, done)).isSameAs(done);
  }

  final TestClock time = new TestClock(Instant.ofEpochSecond(5000));
  final ProblemsViewModel timed =
      new ProblemsViewModel(backend, Runnable::run, time, messages::add);

  @Test
  void aResolveWaitsOutItsUndoWindowBeforeThePatchGoesOut() {
    Problem open = problem("01", "02", ProblemType.OBSTRUCTION, 100, false);
    timed.replace(List.of(open));
    backend.resolveAnswer = resolved(open, 5005, "ok");

    timed.resolve("0102", "ok");

    assertThat(backend.calls).noneMatch(c -> c.startsWith("resolve"));
    assertThat(timed.row("0102").orElseThrow().statusText()).isEqualTo("resolving — undo?");
    assertThat(timed.undoText().get()).isEqualTo("Resolving 01 → 02 in 5 s");

    time.forward(java.time.Duration.ofSeconds(3));
    timed.tick();
    assertThat(timed.undoText().get()).isEqualTo("Resolving 01 → 02 in 2 s");
    assertThat(backend.calls).noneMatch(c -> c.startsWith("resolve"));

    time.forward(java.time.Duration.ofSeconds(2));
    timed.tick();
    assertThat(backend.calls).containsExactly("resolve 0102 ok");
    assertThat(timed.row("0102").orElseThrow().statusText()).isEqualTo("resolved");
    assertThat(timed.undoCount().get()).isZero();
  }

  @Test
  void undoTakesTheResolveBackAndNothingIsSent() {
    timed.replace(
        List.of(
            problem("01", "02", ProblemType.OBSTRUCTION, 100, false),
            problem("02", "03", ProblemType.PROBLEM, 90, false)));
    timed.resolve("0102", null);
    timed.resolve("0203", null);
    assertThat(timed.undoText().get()).isEqualTo("Resolving 2 problems in 5 s");

    assertThat(timed.undo()).containsExactlyInAnyOrder("0102", "0203");

    time.forward(java.time.Duration.ofSeconds(10));
    timed.tick();
    assertThat(backend.calls).noneMatch(c -> c.startsWith("resolve"));
    assertThat(timed.row("0102").orElseThrow().open()).isTrue();
    assertThat(timed.undoText().get()).isEmpty();
  }

  @Test
  void aPairThatFaultsAgainDuringTheUndoWindowIsNotResolved() {
    timed.replace(List.of(problem("01", "02", ProblemType.OBSTRUCTION, 100, false)));
    timed.resolve("0102", null);

    timed.apply(problem("01", "02", ProblemType.OBSTRUCTION, 4990, true));
    time.forward(java.time.Duration.ofSeconds(10));
    timed.tick();

    assertThat(backend.calls).noneMatch(c -> c.startsWith("resolve"));
    assertThat(timed.row("0102").orElseThrow().open()).isTrue();
    assertThat(messages)
        .containsExactly("01 → 02 faulted again: the resolve was not sent (the new fault is open)");
  }

  @Test
  void flushSendsTheWaitingResolvesAtOnce() {
    Problem open = problem("01", "02", ProblemType.OBSTRUCTION, 100, false);
    timed.replace(List.of(open));
    backend.resolveAnswer = resolved(open, 5001, null);
    timed.resolve("0102", null);

    assertThat(timed.flush()).isCompleted();
    assertThat(backend.calls).containsExactly("resolve 0102 null");
  }

  @Test
  void whileHeldShownRowsKeepTheirPlacesAndNewOnesWaitInTheStrip() {
    problems.replace(
        List.of(
            problem("01", "02", ProblemType.OBSTRUCTION, 300, true),
            problem("11", "12", ProblemType.PROBLEM, 200, true)));
    problems.hold().set(true);

    problems.apply(problem("02", "03", ProblemType.PROBLEM, 400, true));
    problems.apply(problem("12", "13", ProblemType.PROBLEM, 500, true));

    assertThat(problems.rows()).extracting(ProblemRow::id).containsExactly("0102", "1112");
    assertThat(problems.newCount().get()).isEqualTo(2);
    assertThat(problems.unresolvedCount().get()).as("counted at once").isEqualTo(4);

    problems.apply(resolved(problem("01", "02", ProblemType.OBSTRUCTION, 300, true), 450, null));
    assertThat(problems.rows())
        .as("a resolved row stays where it is while held")
        .extracting(ProblemRow::id)
        .containsExactly("0102", "1112");

    problems.showNew();
    assertThat(problems.rows())
        .extracting(ProblemRow::id)
        .containsExactly("1213", "0203", "1112", "0102");
    assertThat(problems.newCount().get()).isZero();
  }

  @Test
  void releasingTheHoldShowsTheWaitingRowsInOrder() {
    problems.replace(List.of(problem("01", "02", ProblemType.OBSTRUCTION, 300, true)));
    problems.hold().set(true);
    problems.apply(problem("02", "03", ProblemType.PROBLEM, 400, true));

    problems.hold().set(false);

    assertThat(problems.rows()).extracting(ProblemRow::id).containsExactly("0203", "0102");
  }

  @Test
  void theNextRowAfterAResolveIsTheNextOpenOneBelowElseAbove() {
    problems.replace(
        List.of(
            problem("01", "02", ProblemType.OBSTRUCTION, 300, true),
            problem("02", "03", ProblemType.PROBLEM, 200, true),
            problem("11", "12", ProblemType.PROBLEM, 100, true)));

    assertThat(problems.nextAfter("0203")).contains("1112");
    assertThat(problems.nextAfter("1112")).contains("0203");
    problems.resolve("0203", null);
    assertThat(problems.nextAfter("1112")).as("skips one being resolved").contains("0102");
  }

  @Test
  void filtersByStateTypeTubeAndText() {
    problems.names(id -> id.toString().equals("01") ? "Manhole 14" : null);
    problems.replace(
        List.of(
            problem("01", "02", ProblemType.OBSTRUCTION, 300, true),
            problem("02", "03", ProblemType.PROBLEM, 200, false),
            resolved(problem("11", "12", ProblemType.PROBLEM, 100, true), 150, null)));

    problems.status().set(StatusFilter.ACTIVE);
    assertThat(problems.rows()).extracting(ProblemRow::id).containsExactly("0102");
    problems.status().set(StatusFilter.CLEARED);
    assertThat(problems.rows()).extracting(ProblemRow::id).containsExactly("0203");
    problems.status().set(StatusFilter.RESOLVED);
    assertThat(problems.rows()).extracting(ProblemRow::id).containsExactly("1112");

    problems.status().set(StatusFilter.ALL);
    problems.type().set(ProblemType.PROBLEM);
    assertThat(problems.rows()).extracting(ProblemRow::id).containsExactly("0203", "1112");
    problems.tube().set("1");
    assertThat(problems.rows()).extracting(ProblemRow::id).containsExactly("1112");
    assertThat(problems.tubes()).containsExactly("0", "1");

    problems.type().set(null);
    problems.tube().set(null);
    problems.text().set("manhole");
    assertThat(problems.rows()).extracting(ProblemRow::id).containsExactly("0102");
    problems.text().set("no such thing");
    assertThat(problems.rows()).isEmpty();
    assertThat(problems.activeCount().get()).as("counts ignore the filter").isEqualTo(1);
    assertThat(problems.clearedCount().get()).isEqualTo(1);
  }

  @Test
  void resolveAllClearedAsksFirstAndResolvesOnlyTheCleared() {
    timed.replace(
        List.of(
            problem("01", "02", ProblemType.OBSTRUCTION, 300, true),
            problem("02", "03", ProblemType.PROBLEM, 200, false),
            problem("11", "12", ProblemType.PROBLEM, 100, false)));

    timed.resolveAllCleared();
    assertThat(timed.confirmation().question().get())
        .isEqualTo(
            "Resolve all 2 cleared problems (flow normal again)? You can undo for a few seconds.");
    assertThat(timed.undoCount().get()).isZero();

    timed.confirmation().cancel();
    assertThat(timed.undoCount().get()).isZero();

    timed.resolveAllCleared();
    timed.confirmation().confirm();
    assertThat(timed.undoCount().get()).isEqualTo(2);
    assertThat(timed.row("0102").orElseThrow().open()).as("the active one stays").isTrue();
  }

  @Test
  void aSilentSensorsRecordIsShownFilteredAndSearchedWithoutADownstreamSensor() {
    Problem silent =
        new Problem(
            "0-10",
            ProblemType.SILENT,
            400,
            ProblemStatus.UNRESOLVED,
            org.kloaka.model.SensorId.parse("0-10"),
            null,
            org.kloaka.model.Filling.of(50),
            null,
            true,
            100,
            null,
            null,
            null);
    problems.replace(List.of(problem("11", "12", ProblemType.PROBLEM, 300, true), silent));

    assertThat(problems.row("0-10").orElseThrow().pairText()).isEqualTo("0-10 (silent)");
    problems.type().set(ProblemType.SILENT);
    assertThat(problems.rows()).extracting(ProblemRow::id).containsExactly("0-10");
    problems.type().set(null);
    problems.tube().set("0");
    assertThat(problems.rows()).extracting(ProblemRow::id).containsExactly("0-10");
    problems.tube().set(null);
    problems.text().set("silent");
    assertThat(problems.rows()).extracting(ProblemRow::id).containsExactly("0-10");

    assertThat(problems.silentCount().get()).isEqualTo(1);
    assertThat(problems.activeCount().get()).as("silent sensors are counted apart").isEqualTo(1);
    problems.text().set("11");
    problems.status().set(StatusFilter.RESOLVED);
    problems.showSilentSensors();
    assertThat(problems.rows())
        .as("the silent-sensors view clears the other filters")
        .extracting(ProblemRow::id)
        .containsExactly("0-10");
    assertThat(problems.status().get()).isEqualTo(StatusFilter.UNRESOLVED);
  }

  @Test
  void theAcknowledgedFiltersSplitTheOpenProblems() {
    Problem seen =
        new Problem(
            "0102",
            ProblemType.OBSTRUCTION,
            100,
            ProblemStatus.UNRESOLVED,
            org.kloaka.model.SensorId.parse("01"),
            org.kloaka.model.SensorId.parse("02"),
            org.kloaka.model.Filling.of(100),
            org.kloaka.model.Filling.of(40),
            true,
            100,
            null,
            null,
            null,
            150L,
            "ana");
    Problem unseen = problem("11", "12", ProblemType.PROBLEM, 300, true);
    Problem done = resolved(problem("02", "03", ProblemType.PROBLEM, 50, true), 60, null);
    problems.replace(List.of(seen, unseen, done));

    problems.status().set(StatusFilter.ACKNOWLEDGED);
    assertThat(problems.rows()).extracting(ProblemRow::id).containsExactly("0102");
    problems.status().set(StatusFilter.NOT_ACKNOWLEDGED);
    assertThat(problems.rows())
        .as("a resolved record is not waiting for anyone")
        .extracting(ProblemRow::id)
        .containsExactly("1112");
  }
}
