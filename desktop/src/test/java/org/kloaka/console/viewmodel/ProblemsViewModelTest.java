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

    problems.unresolvedOnly().set(true);
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
}
