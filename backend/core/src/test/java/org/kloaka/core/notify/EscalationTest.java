package org.kloaka.core.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kloaka.core.TestData.id;
import static org.kloaka.core.TestData.reading;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.kloaka.core.InMemoryOutbox;
import org.kloaka.core.InMemoryStores;
import org.kloaka.core.Inspector;
import org.kloaka.core.Organizer;
import org.kloaka.core.app.DeliverDueNotifications;
import org.kloaka.core.app.InspectPairs;
import org.kloaka.core.app.ResolveProblem;
import org.kloaka.core.network.Network;
import org.kloaka.core.notify.Notification.State;
import org.kloaka.core.port.ChangeFeed;
import org.kloaka.core.port.NotificationChannels;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemEvent;
import org.kloaka.notify.NotifyJson;
import org.kloaka.testing.TestClock;

/** The escalation ladder of docs/notifications.md, on a clock the test forwards. */
class EscalationTest {

  static final long T0 = 1_795_860_000L;

  static final String FILE =
      """
      {"channels": {"oncall": {"type": "webhook", "url": "http://x"},
                    "crew": {"type": "email", "to": ["a@b"], "from": "k@b"},
                    "sms": {"type": "sns"}},
       "escalation": [{"after": "0s", "notify": ["oncall", "crew"]},
                      {"after": "30m", "notify": ["sms", "oncall"]}],
       "also_when_resolved": true}
      """;

  final TestClock clock = new TestClock(T0);
  final InMemoryStores stores = new InMemoryStores();
  final InMemoryOutbox outbox = new InMemoryOutbox();
  final Escalation escalation = new Escalation(plan(FILE), outbox);
  final Organizer organizer = stores.organizer(clock);
  final EscalatingProblemStore problems =
      new EscalatingProblemStore(stores.problems, escalation, clock);
  final Inspector inspector =
      new Inspector(stores.devices, problems, Network.byIdConvention(), clock);
  final ResolveProblem resolve =
      new ResolveProblem(problems, stores.transactions, ChangeFeed.NONE, clock);
  final Recorder channels = new Recorder(Set.of("oncall", "crew", "sms"));
  final DeliverDueNotifications deliver =
      new DeliverDueNotifications(
          outbox,
          stores.problems,
          channels,
          MessageText.of(Map.of(id("01"), "Manhole 14")),
          RetryPolicy.DEFAULT,
          stores.transactions,
          stores.timeline,
          clock);

  static NotificationPlan plan(String json) {
    try {
      return NotificationPlan.of(
          "test file",
          NotifyJson.parse("test file", json.getBytes(StandardCharsets.UTF_8)),
          NotificationPlan.TYPES);
    } catch (org.kloaka.notify.NotifyException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  /** Records what was sent; fails channels named in {@link #failing}. */
  static final class Recorder implements NotificationChannels {
    final Set<String> names;
    final List<String> sent = new ArrayList<>();
    final List<Message> messages = new ArrayList<>();
    volatile Set<String> failing = Set.of();

    Recorder(Set<String> names) {
      this.names = names;
    }

    @Override
    public Set<String> names() {
      return names;
    }

    @Override
    public synchronized CompletableFuture<Void> send(String channel, Message message) {
      if (failing.contains(channel)) {
        return CompletableFuture.failedFuture(new IllegalStateException("HTTP 503"));
      }
      sent.add(channel + ":" + message.event() + ":" + message.step());
      messages.add(message);
      return CompletableFuture.completedFuture(null);
    }

    synchronized List<String> takeSent() {
      List<String> copy = List.copyOf(sent);
      sent.clear();
      return copy;
    }
  }

  void report(String sensor, String filling) {
    Organizer.Outcome.Accepted accepted =
        organizer.apply(reading(sensor, filling, clock.seconds()));
    new InspectPairs(inspector)
        .handle(new InspectPairs.Command(accepted.change().before(), accepted.change().after()));
  }

  List<String> deliverNow() {
    deliver.deliverDue(100, Duration.ofMinutes(5), Duration.ofSeconds(5));
    return channels.takeSent();
  }

  @Test
  void openingFiresStepOneAndTheNextStepOnlyWhenItsTimeCame() {
    report("01", "100");
    report("02", "0");
    assertThat(deliverNow()).containsExactlyInAnyOrder("oncall:opened:1", "crew:opened:1");
    clock.forward(Duration.ofMinutes(29));
    assertThat(deliverNow()).isEmpty();
    clock.forward(Duration.ofMinutes(1));
    assertThat(deliverNow()).containsExactlyInAnyOrder("sms:escalated:2", "oncall:escalated:2");
    clock.forward(Duration.ofHours(3));
    assertThat(deliverNow()).isEmpty();
  }

  @Test
  void anEntryInFlightIsNotSentAgainWhenTheClockJumpsPastItsLease() {
    report("01", "100");
    report("02", "0");
    Set<String> sending = new java.util.HashSet<>();
    assertThat(deliver.start("oncall", 10, Duration.ofMinutes(15), sending)).hasSize(1);
    assertThat(sending).hasSize(1);
    channels.takeSent();
    // The first send has no outcome yet; an hour later its lease is over and step 2 is due.
    clock.forward(Duration.ofHours(1));
    assertThat(deliver.start("oncall", 10, Duration.ofMinutes(15), sending)).hasSize(1);
    assertThat(channels.takeSent()).containsExactly("oncall:escalated:2");
    assertThat(sending).hasSize(2);
  }

  @Test
  void acknowledgingStopsTheLadderAndALaterResolutionTellsOnlyTheStepsBeforeIt() {
    report("01", "100");
    report("02", "0");
    deliverNow();
    clock.forward(Duration.ofMinutes(5));
    var current = stores.problems.find("0102").orElseThrow();
    Problem acked =
        org.kloaka.core.ProblemLifecycle.acknowledged(
                current.value(), "maria", "crew on the way", clock.seconds())
            .orElseThrow();
    assertThat(problems.replace(current, acked, List.of())).isTrue();
    clock.forward(Duration.ofHours(1));
    assertThat(deliverNow()).isEmpty();
    resolve.handle(new ResolveProblem.Command("0102", "maria", null));
    assertThat(deliverNow()).containsExactlyInAnyOrder("oncall:resolved:1", "crew:resolved:1");
  }

  @Test
  void eachDeliveryAndFinalFailureIsATimelineEvent() {
    channels.failing = Set.of("crew");
    report("01", "100");
    report("02", "0");
    deliverNow();
    clock.forward(Duration.ofHours(25));
    deliverNow();
    List<ProblemEvent> events = stores.timeline.history("0102", 100);
    assertThat(events)
        .filteredOn(e -> e.type() == ProblemEvent.Type.NOTIFIED)
        .extracting(ProblemEvent::note)
        .containsExactly(
            "oncall: opened, step 1", "sms: escalated, step 2", "oncall: escalated, step 2");
    assertThat(events)
        .filteredOn(e -> e.type() == ProblemEvent.Type.NOTIFY_FAILED)
        .extracting(ProblemEvent::note)
        .containsExactly("crew: opened, step 1, gave up after 2 attempts: HTTP 503");
    assertThat(events).allMatch(e -> e.problemTime() == T0);
  }

  @Test
  void theTextNamesTheSensorsSinceWhenAndHowToAcknowledge() {
    report("01", "100");
    report("02", "0");
    deliverNow();
    Message message = channels.messages.get(0);
    assertThat(message.text())
        .contains("OBSTRUCTION between Manhole 14 (sensor 01) and sensor 02")
        .contains("since 2026-11-28 10:00 UTC")
        .contains("PATCH /problems/0102 {\"acknowledged\": true}");
    assertThat(message.subject()).contains("OBSTRUCTION").contains("0102").contains("Manhole 14");
    assertThat(message.body()).contains("something may be blocking the pipe");
    assertThat(message.problem().problemId()).isEqualTo("0102");
  }

  @Test
  void resolvingStopsTheLadderAndTellsOnlyTheChannelsThatHadHeard() {
    report("01", "100");
    report("02", "0");
    deliverNow();
    clock.forward(Duration.ofMinutes(10));
    resolve.handle(new ResolveProblem.Command("0102", "maria", "cleared"));
    assertThat(deliverNow()).containsExactlyInAnyOrder("oncall:resolved:1", "crew:resolved:1");
    clock.forward(Duration.ofHours(1));
    assertThat(deliverNow()).isEmpty();
    assertThat(channels.messages.get(channels.messages.size() - 1).text())
        .startsWith("Resolved by maria: OBSTRUCTION");
    assertThat(outbox.all())
        .filteredOn(n -> n.channel().equals("sms"))
        .extracting(Notification::state)
        .containsExactly(State.CANCELLED);
  }

  @Test
  void aResolutionAfterTheSecondStepTellsEveryChannelOnce() {
    report("01", "100");
    report("02", "0");
    clock.forward(Duration.ofMinutes(31));
    deliverNow();
    resolve.handle(new ResolveProblem.Command("0102", "maria", null));
    assertThat(deliverNow())
        .containsExactlyInAnyOrder("oncall:resolved:2", "crew:resolved:2", "sms:resolved:2");
  }

  @Test
  void reactivationAndTypeChangesDoNotStartTheLadderAgain() {
    report("01", "100");
    report("02", "0");
    deliverNow();
    clock.forward(Duration.ofMinutes(1));
    report("02", "100"); // flow looks normal: inactive
    clock.forward(Duration.ofMinutes(1));
    report("02", "50"); // active again, still OBSTRUCTION
    clock.forward(Duration.ofMinutes(1));
    report("01", "0"); // now a PROBLEM: the type changed
    assertThat(stores.problems.find("0102").orElseThrow().value().problem().name())
        .isEqualTo("PROBLEM");
    assertThat(deliverNow()).isEmpty();
    assertThat(outbox.all()).hasSize(4);
  }

  @Test
  void aNewOccurrenceAfterAResolutionHasALadderOfItsOwn() {
    report("01", "100");
    report("02", "0");
    deliverNow();
    resolve.handle(new ResolveProblem.Command("0102", "maria", null));
    deliverNow();
    clock.forward(Duration.ofMinutes(5));
    report("02", "100");
    clock.forward(Duration.ofMinutes(1));
    report("02", "0");
    assertThat(deliverNow()).containsExactlyInAnyOrder("oncall:opened:1", "crew:opened:1");
  }

  @Test
  void aFailingChannelIsRetriedWithBackoffForADayThenFails() {
    channels.failing = Set.of("oncall");
    report("01", "100");
    report("02", "0");
    assertThat(deliverNow()).containsExactly("crew:opened:1");
    Notification first = only("oncall", 1);
    assertThat(first.state()).isEqualTo(State.PENDING);
    assertThat(first.nextAttemptAt()).isEqualTo(T0 + 10);
    assertThat(first.error()).isEqualTo("HTTP 503");
    clock.forward(Duration.ofSeconds(9));
    deliverNow();
    assertThat(only("oncall", 1).attempts()).isEqualTo(1);
    clock.forward(Duration.ofSeconds(1));
    deliverNow();
    assertThat(only("oncall", 1).attempts()).isEqualTo(2);
    assertThat(only("oncall", 1).nextAttemptAt()).isEqualTo(T0 + 10 + 20);
    // Keep forwarding a minute at a time through the day: attempts grow slowly (backoff).
    for (int minute = 0; minute < 24 * 60 - 1; minute++) {
      clock.forward(Duration.ofMinutes(1));
      deliverNow();
    }
    Notification stillTrying = only("oncall", 1);
    assertThat(stillTrying.state()).isEqualTo(State.PENDING);
    assertThat(stillTrying.attempts()).isBetween(45, 60);
    clock.forward(Duration.ofMinutes(31));
    deliverNow();
    assertThat(only("oncall", 1).state()).isEqualTo(State.FAILED);
    // Step 2 (due at 30 min) went to the same dead channel and has run out of its day too.
    assertThat(deliver.counts().failed()).isEqualTo(2);
    channels.failing = Set.of();
    clock.forward(Duration.ofHours(1));
    assertThat(deliverNow()).doesNotContain("oncall:opened:1");
  }

  @Test
  void aStepClaimedAfterTheProblemWasResolvedIsCancelledNotSent() {
    report("01", "100");
    report("02", "0");
    deliverNow();
    clock.forward(Duration.ofMinutes(31));
    // Resolved in a way the outbox did not hear of (on AWS: the stream has not caught up yet).
    stores.problems.put(
        org.kloaka.core.ProblemLifecycle.resolved(
                stores.problems.find("0102").orElseThrow().value(), "maria", null, T0 + 600)
            .orElseThrow());
    assertThat(deliverNow()).isEmpty();
    assertThat(only("sms", 2).state()).isEqualTo(State.CANCELLED);
  }

  @Test
  void aTestMessageGoesToEveryChannelAndSaysWhichFailed() {
    channels.failing = Set.of("sms");
    List<DeliverDueNotifications.TestResult> results = deliver.test(Duration.ofSeconds(5));
    assertThat(results)
        .extracting(
            DeliverDueNotifications.TestResult::channel, DeliverDueNotifications.TestResult::ok)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("oncall", true),
            org.assertj.core.groups.Tuple.tuple("crew", true),
            org.assertj.core.groups.Tuple.tuple("sms", false));
    assertThat(results)
        .filteredOn(r -> !r.ok())
        .extracting(DeliverDueNotifications.TestResult::error)
        .containsExactly("HTTP 503");
  }

  private Notification only(String channel, int step) {
    List<Notification> found =
        outbox.all().stream()
            .filter(n -> n.channel().equals(channel) && n.step() == step && n.isLadderStep())
            .toList();
    assertThat(found).hasSize(1);
    return found.get(0);
  }
}
