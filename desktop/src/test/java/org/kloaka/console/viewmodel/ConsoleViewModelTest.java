package org.kloaka.console.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kloaka.console.viewmodel.Fixtures.device;
import static org.kloaka.console.viewmodel.Fixtures.id;
import static org.kloaka.console.viewmodel.Fixtures.problem;
import static org.kloaka.console.viewmodel.Fixtures.state;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kloaka.api.Push;
import org.kloaka.console.client.BackendException;
import org.kloaka.console.client.ConnectionStatus;
import org.kloaka.console.client.ConnectionStatus.State;
import org.kloaka.console.client.LiveConnection;
import org.kloaka.model.ProblemType;
import org.kloaka.testing.TestClock;

class ConsoleViewModelTest {

  static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);
  final FakeBackend backend = new FakeBackend();
  final List<Runnable> uiQueue = new ArrayList<>();
  final ConsoleViewModel console =
      new ConsoleViewModel(
          backend,
          uiQueue::add,
          Clock.fixed(NOW, ZoneOffset.UTC),
          ZoneOffset.UTC,
          Duration.ofHours(1));
  final LiveConnection.Listener live = console.liveListener();

  long ago(long seconds) {
    return NOW.getEpochSecond() - seconds;
  }

  /** Runs what was handed to the "FX thread", as the toolkit would, until nothing is left. */
  void runUi() {
    while (!uiQueue.isEmpty()) {
      uiQueue.remove(0).run();
    }
  }

  @Test
  void anOpenedConnectionResyncsEverythingAndThenIsLive() {
    backend.network = Fixtures.twoTubes();
    backend.devices.add(device("01", 100, ago(60)));
    backend.problems.add(problem("01", "02", ProblemType.OBSTRUCTION, ago(30), true));

    live.status(ConnectionStatus.of(State.SYNCING, NOW));
    live.opened();
    runUi();

    assertThat(backend.calls).containsExactly("network", "devices", "problems null");
    assertThat(console.status().connection().get().state()).isEqualTo(State.LIVE);
    assertThat(console.status().connectionText().get()).isEqualTo("connected");
    assertThat(console.line().segment("0102").orElseThrow().verdict())
        .isEqualTo(SegmentVerdict.OBSTRUCTION);
    assertThat(console.status().summary().get()).isEqualTo("1 active problem");
    assertThat(console.status().title().get()).isEqualTo("(1) Kloaka — 1 active problem");
  }

  @Test
  void pushesThatArriveDuringAResyncWaitForItAndOnlyNewerOnesWin() {
    backend.network = Fixtures.twoTubes();
    backend.hold = true;
    live.opened();
    runUi();

    live.pushed(new Push.DevicePush(state("01", 50, ago(120))));
    live.pushed(new Push.DevicePush(state("02", 100, ago(5))));
    live.pushed(new Push.ProblemPush(problem("02", "03", ProblemType.PROBLEM, ago(5), true)));
    runUi();
    assertThat(console.problems().row("0203")).as("held back while syncing").isEmpty();

    backend.devices.add(device("01", 100, ago(60)));
    backend.devices.add(device("02", 0, ago(60)));
    backend.release();
    runUi();

    assertThat(console.line().sensor(id("01")).orElseThrow().value().toString())
        .as("older push loses")
        .isEqualTo("100");
    assertThat(console.line().sensor(id("02")).orElseThrow().value().toString())
        .as("newer push wins")
        .isEqualTo("100");
    assertThat(console.problems().row("0203")).isPresent();
    assertThat(console.status().lastEvent().get()).isEqualTo(NOW);
  }

  @Test
  void manyPushesAreAppliedInOneBatchOnTheUiThread() {
    backend.network = Fixtures.twoTubes();
    live.opened();
    runUi();
    long revision = console.line().revision().get();

    for (int i = 0; i < 100; i++) {
      live.pushed(new Push.DevicePush(state("01", i % 2 == 0 ? 100 : 50, ago(100 - i))));
    }

    assertThat(uiQueue).hasSize(1);
    runUi();
    assertThat(console.line().revision().get()).isEqualTo(revision + 1);
    assertThat(console.line().sensor(id("01")).orElseThrow().value().toString()).isEqualTo("50");
  }

  @Test
  void aFailedResyncIsShownAsAMessageAndKeepsTheLastKnownState() {
    backend.network = Fixtures.twoTubes();
    backend.devices.add(device("01", 100, ago(60)));
    live.opened();
    runUi();

    backend.failure = new BackendException(401, "wrong token (HTTP 401)");
    live.opened();
    runUi();

    assertThat(console.status().message().get())
        .isEqualTo("Could not load the state from the backend: wrong token (HTTP 401)");
    assertThat(console.line().sensor(id("01")).orElseThrow().value().toString()).isEqualTo("100");
  }

  @Test
  void aFailedResyncIsTriedAgainAfterFiveSecondsAndThenTheConsoleIsLive() {
    TestClock time = new TestClock(NOW);
    ConsoleViewModel retrying =
        new ConsoleViewModel(backend, uiQueue::add, time, ZoneOffset.UTC, Duration.ofHours(1));
    LiveConnection.Listener listener = retrying.liveListener();
    backend.network = Fixtures.twoTubes();
    backend.failure = new BackendException(503, "maintenance (HTTP 503)");
    listener.status(ConnectionStatus.of(State.SYNCING, NOW));
    listener.opened();
    runUi();
    assertThat(retrying.status().connectionText().get()).isEqualTo("syncing…");
    int calls = backend.calls.size();

    time.forward(Duration.ofSeconds(4));
    retrying.tick();
    runUi();
    assertThat(backend.calls).hasSize(calls);

    backend.failure = null;
    time.forward(Duration.ofSeconds(1));
    retrying.tick();
    runUi();

    assertThat(backend.calls).hasSize(calls + 3);
    assertThat(retrying.status().connectionText().get()).isEqualTo("connected");
    assertThat(retrying.status().message().get()).isEmpty();
    assertThat(retrying.line().sensorCount()).isEqualTo(6);
  }

  @Test
  void aDroppedConnectionSaysReconnectingWithTheTimeToTheNextAttempt() {
    live.status(
        new ConnectionStatus(
            State.RECONNECTING, NOW.minusSeconds(3), NOW.plusSeconds(4), "closed"));
    runUi();

    assertThat(console.status().live().get()).isFalse();
    assertThat(console.status().connectionText().get())
        .isEqualTo("reconnecting in 4 s (offline since 2027-01-15 07:59)");
  }

  @Test
  void selectingASensorShowsItsFactsAndLoadsTheLast24Hours() {
    backend.network = Fixtures.twoTubes();
    backend.devices.add(device("01", 100, ago(3 * 3600)));
    backend.measurements.add(
        new org.kloaka.model.Measurement(org.kloaka.model.Filling.of(100), ago(3 * 3600)));
    live.opened();
    runUi();

    console.selection().set(new Selection.Sensor(id("01")));
    runUi();

    DetailsViewModel details = console.details();
    assertThat(details.mode().get()).isEqualTo(DetailsViewModel.Mode.SENSOR);
    assertThat(details.heading().get()).isEqualTo("Sensor 01 · Manhole 14");
    assertThat(details.facts().get())
        .contains("Level: CORRECT (100 %)")
        .contains("Stale: silent 3 h");
    assertThat(backend.calls).contains("measurements 01 " + ago(86400) + ".." + ago(0));
    assertThat(details.history()).hasSize(1);

    details.range().set(HistoryRange.WEEK);
    runUi();
    assertThat(backend.calls).contains("measurements 01 " + ago(7 * 86400) + ".." + ago(0));
  }

  @Test
  void selectingAPairWithAnOpenProblemOffersResolveWithTheNote() {
    backend.network = Fixtures.twoTubes();
    backend.problems.add(problem("01", "02", ProblemType.OBSTRUCTION, ago(30), true));
    live.opened();
    runUi();

    console.selection().set(new Selection.Pair("0102"));
    DetailsViewModel details = console.details();
    assertThat(details.canResolve().get()).isTrue();
    assertThat(details.facts().get()).contains("Problem: OBSTRUCTION, active");

    backend.resolveAnswer = Fixtures.resolved(backend.problems.get(0), ago(0), "grate cleared");
    console.problems().undoWindow().set(Duration.ZERO);
    details.note().set("grate cleared");
    details.resolve();
    runUi();

    assertThat(details.confirmation().asking().get())
        .as("the pair still looks faulty: asked first")
        .isTrue();
    assertThat(details.confirmation().question().get())
        .isEqualTo("01 → 02 still looks faulty (OBSTRUCTION, last seen 30 s ago). Resolve anyway?");
    assertThat(backend.calls).noneMatch(c -> c.startsWith("resolve"));

    details.confirmation().confirm();
    runUi();

    assertThat(backend.calls).contains("resolve 0102 grate cleared");
    assertThat(details.note().get()).as("the note field is cleared").isEmpty();
    assertThat(console.selection().get()).as("no other open problem to select").isNull();
    assertThat(console.problems().row("0102").orElseThrow().problem().note())
        .isEqualTo("grate cleared");
    assertThat(console.status().summary().get())
        .as("nothing open, but no sensor has reported: not 'All flows normal'")
        .isEqualTo("No readings yet");
  }

  @Test
  void resolvingSelectsTheNextOpenProblemAndAClearedOneNeedsNoConfirmation() {
    backend.network = Fixtures.twoTubes();
    backend.devices.add(device("01", 100, ago(60)));
    backend.problems.add(problem("01", "02", ProblemType.OBSTRUCTION, ago(30), false));
    backend.problems.add(problem("11", "12", ProblemType.PROBLEM, ago(90), true));
    live.opened();
    runUi();
    assertThat(console.status().summary().get()).isEqualTo("1 active problem · 1 cleared");

    console.selection().set(new Selection.Pair("0102"));
    console.details().note().set("ok again");
    console.details().resolve();
    runUi();

    assertThat(console.details().confirmation().asking().get()).isFalse();
    assertThat(console.selection().get()).isEqualTo(new Selection.Pair("1112"));
    assertThat(console.details().note().get()).isEmpty();
    assertThat(console.problems().row("0102").orElseThrow().undoable()).isTrue();
  }

  @Test
  void aPushBurstIsAppliedAsOneBatch() {
    backend.network = Fixtures.twoTubes();
    live.opened();
    runUi();
    long changes = console.problems().changes().get();
    long revision = console.line().revision().get();

    for (int i = 0; i < 500; i++) {
      live.pushed(new Push.DevicePush(state("01", i % 2 == 0 ? 100 : 90, ago(500 - i))));
      live.pushed(
          new Push.ProblemPush(
              Fixtures.seenAgain(
                  problem("02", "03", ProblemType.PROBLEM, ago(1000), true), ago(500 - i), true)));
    }
    assertThat(uiQueue).as("one drain scheduled for the whole burst").hasSize(1);
    runUi();

    assertThat(console.problems().changes().get() - changes).isEqualTo(1);
    assertThat(console.line().revision().get() - revision).isEqualTo(1);
    assertThat(console.problems().row("0203").orElseThrow().problem().lastSeen()).isEqualTo(ago(1));
  }

  @Test
  void aBacklogLargerThanOneDrainIsSpreadOverFramesAndNoneIsLost() {
    List<Runnable> frames = new ArrayList<>();
    backend.network = Fixtures.twoTubes();
    live.opened();
    runUi();
    console.drainOn(frames::add);
    long revision = console.line().revision().get();

    int backlog = 2 * ConsoleViewModel.PUSHES_PER_DRAIN + 1;
    for (int i = 0; i < backlog; i++) {
      live.pushed(new Push.DevicePush(state("01", i % 100, ago(backlog - i))));
    }
    assertThat(frames).as("one drain asked for").hasSize(1);
    int drained = 0;
    while (!frames.isEmpty()) {
      frames.remove(0).run();
      drained++;
    }
    assertThat(drained).as("frames needed for the backlog").isEqualTo(3);
    assertThat(console.line().revision().get() - revision).isEqualTo(3);
    assertThat(console.line().sensor(id("01")).orElseThrow().value())
        .as("the last push applied")
        .isEqualTo(org.kloaka.model.Filling.of((backlog - 1) % 100));
  }

  @Test
  void pushesAreDrainedOncePerFrameAndTheTableCatchesUpAtItsOwnPace() {
    org.kloaka.testing.TestClock clock = new org.kloaka.testing.TestClock(NOW);
    List<Runnable> frames = new ArrayList<>();
    ConsoleViewModel paced =
        new ConsoleViewModel(backend, uiQueue::add, clock, ZoneOffset.UTC, Duration.ofHours(1));
    backend.network = Fixtures.twoTubes();
    paced.liveListener().opened();
    runUi();
    paced.drainOn(frames::add);
    paced.problems().refreshEvery().set(Duration.ofMillis(250));
    clock.forward(Duration.ofSeconds(1)); // the re-sync's own refresh is long past

    LiveConnection.Listener pushes = paced.liveListener();
    pushes.pushed(new Push.ProblemPush(problem("01", "02", ProblemType.OBSTRUCTION, ago(5), true)));
    pushes.pushed(new Push.DevicePush(state("03", 40, ago(1))));
    assertThat(uiQueue).as("nothing for runLater: the frame drains").isEmpty();
    assertThat(frames).hasSize(1);
    frames.remove(0).run();
    assertThat(paced.problems().rows()).as("the first batch shows at once").hasSize(1);

    pushes.pushed(new Push.ProblemPush(problem("11", "12", ProblemType.PROBLEM, ago(4), true)));
    frames.remove(0).run();
    assertThat(paced.line().segment("1112").orElseThrow().verdict())
        .as("the line follows every push")
        .isEqualTo(SegmentVerdict.PROBLEM);
    assertThat(paced.problems().rows()).as("the table waits for its turn").hasSize(1);
    assertThat(frames).as("and asks for another frame").hasSize(1);

    clock.forward(Duration.ofMillis(250));
    frames.remove(0).run();
    assertThat(paced.problems().rows()).extracting(ProblemRow::id).containsExactly("1112", "0102");
    assertThat(frames).as("nothing waits: no more frames asked for").isEmpty();
  }

  @Test
  void moreThan200PushesASecondAreABurstUntilASecondGoesByWithFewer() {
    TestClock clock = new TestClock(NOW);
    List<Runnable> frames = new ArrayList<>();
    ConsoleViewModel paced =
        new ConsoleViewModel(backend, uiQueue::add, clock, ZoneOffset.UTC, Duration.ofHours(1));
    backend.network = Fixtures.twoTubes();
    paced.liveListener().opened();
    runUi();
    paced.drainOn(frames::add);
    LiveConnection.Listener pushes = paced.liveListener();
    java.util.function.IntConsumer frame =
        n -> {
          for (int i = 0; i < n; i++) {
            pushes.pushed(new Push.DevicePush(state("01", i % 100, ago(1))));
          }
          while (!frames.isEmpty()) {
            frames.remove(0).run();
          }
          clock.forward(Duration.ofMillis(100));
        };

    for (int i = 0; i < 10; i++) {
      frame.accept(15); // 150 a second
    }
    assertThat(paced.bursting().get()).as("150 pushes a second are no burst").isFalse();
    frame.accept(201);
    assertThat(paced.bursting().get()).as("more than 200 within a second: at once").isTrue();
    for (int i = 0; i < 10; i++) {
      frame.accept(30); // 300 a second
    }
    assertThat(paced.bursting().get()).isTrue();
    clock.forward(Duration.ofSeconds(1));
    paced.tick(); // no pushes for a second
    assertThat(paced.bursting().get()).as("over when pushes stop").isFalse();
  }
}
