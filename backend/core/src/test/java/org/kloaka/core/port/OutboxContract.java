package org.kloaka.core.port;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kloaka.core.TestData;
import org.kloaka.core.notify.Notification;
import org.kloaka.core.notify.Notification.Event;
import org.kloaka.core.notify.Notification.State;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemType;

/**
 * What every {@link NotificationOutbox} promises, run against each: {@code InMemoryOutboxTest},
 * {@code SqliteOutboxContractTest}, {@code DynamoOutboxContractMotoTest}.
 */
public abstract class OutboxContract {

  protected static final long T = 1_795_860_000L;

  /** A fresh, empty outbox and how its deployment runs a unit of work. */
  protected abstract NotificationOutbox open();

  /** Runs {@code work} as the deployment's unit of work. */
  protected void unit(Runnable work) {
    work.run();
  }

  private final Problem problem = TestData.unresolved("01", "02", ProblemType.OBSTRUCTION, T);

  private Notification step(int step, String channel, long due) {
    return Notification.due(
        problem, step, channel, step == 1 ? Event.OPENED : Event.ESCALATED, due);
  }

  @Test
  void anEntryIsAddedOnceWhateverTheRedelivery() {
    NotificationOutbox outbox = open();
    unit(() -> outbox.add(List.of(step(1, "oncall", T), step(2, "sms", T + 1800))));
    unit(() -> outbox.add(List.of(step(1, "oncall", T))));
    assertThat(outbox.counts()).isEqualTo(new NotificationOutbox.Counts(2, 0));
    assertThat(outbox.claimDue("oncall", T, T + 60, 10)).hasSize(1);
  }

  @Test
  void onlyDueEntriesOfTheChannelAreClaimedAndAClaimHoldsUntilItsLease() {
    NotificationOutbox outbox = open();
    unit(() -> outbox.add(List.of(step(1, "oncall", T), step(2, "oncall", T + 1800))));
    List<Notification> first = outbox.claimDue("oncall", T, T + 60, 10);
    assertThat(first).extracting(Notification::step).containsExactly(1);
    assertThat(outbox.claimDue("oncall", T + 30, T + 90, 10)).isEmpty();
    assertThat(outbox.claimDue("crew", T, T + 60, 10)).isEmpty();
    // The lease ran out without an outcome (the sender died): another sender may take it.
    assertThat(outbox.claimDue("oncall", T + 61, T + 120, 10)).hasSize(1);
  }

  @Test
  void anOutcomeIsKeptAndAFinishedEntryIsNeverClaimedAgain() {
    NotificationOutbox outbox = open();
    unit(() -> outbox.add(List.of(step(1, "oncall", T), step(1, "crew", T))));
    Notification claimed = outbox.claimDue("oncall", T, T + 60, 10).get(0);
    Notification delivered = claimed.with(State.DELIVERED, 1, T + 1, null, T + 1L);
    unit(() -> outbox.finish(List.of(delivered)));
    Notification crew = outbox.claimDue("crew", T, T + 60, 10).get(0);
    Notification retry = crew.with(State.PENDING, 1, T + 10, "HTTP 500", null);
    unit(() -> outbox.finish(List.of(retry)));
    assertThat(outbox.claimDue("oncall", T + 100, T + 200, 10)).isEmpty();
    assertThat(outbox.claimDue("crew", T + 9, T + 200, 10)).isEmpty();
    List<Notification> again = outbox.claimDue("crew", T + 10, T + 200, 10);
    assertThat(again).hasSize(1);
    assertThat(again.get(0).attempts()).isEqualTo(1);
    assertThat(again.get(0).error()).isEqualTo("HTTP 500");
    assertThat(again.get(0).problem()).isEqualTo(problem);
    unit(
        () ->
            outbox.finish(
                List.of(again.get(0).with(State.FAILED, 2, T + 10, "HTTP 500", T + 11L))));
    assertThat(outbox.counts()).isEqualTo(new NotificationOutbox.Counts(0, 1));
    assertThat(outbox.newest(10))
        .extracting(Notification::channel, Notification::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("crew", State.FAILED),
            org.assertj.core.groups.Tuple.tuple("oncall", State.DELIVERED));
    assertThat(outbox.newest(1)).hasSize(1);
  }

  @Test
  void cancellingStopsOnlyLaterLadderStepsOfThatOccurrence() {
    NotificationOutbox outbox = open();
    Problem other = TestData.unresolved("02", "03", ProblemType.PROBLEM, T);
    Notification resolvedNotice = Notification.due(problem, 1, "crew", Event.RESOLVED, T + 100);
    unit(
        () ->
            outbox.add(
                List.of(
                    step(1, "oncall", T),
                    step(2, "sms", T + 1800),
                    resolvedNotice,
                    Notification.due(other, 2, "sms", Event.ESCALATED, T + 1800))));
    unit(() -> outbox.cancelAfter(problem.problemId(), T, T + 100, T + 100));
    assertThat(outbox.claimDue("sms", T + 4000, T + 4060, 10))
        .extracting(Notification::problemId)
        .containsExactly("0203");
    assertThat(outbox.claimDue("oncall", T + 4000, T + 4060, 10)).hasSize(1);
    assertThat(outbox.claimDue("crew", T + 4000, T + 4060, 10)).hasSize(1);
  }
}
