package org.kloaka.core.notify;

import java.util.Objects;
import org.kloaka.model.Problem;

/**
 * One message for one channel about one occurrence of a problem: an outbox entry
 * (docs/notifications.md). Its {@link #key()} is what makes delivery "one message per problem, step
 * and channel": an entry is written if absent, so a redelivered change adds nothing.
 *
 * @param problemTime the occurrence ({@code problem_time}) it belongs to
 * @param step the ladder step (from 1); for a resolution notice the highest step that had fired
 * @param dueAt when it is due, epoch seconds
 * @param problem the record as it was when the entry was written
 * @param attempts sending attempts so far
 * @param nextAttemptAt when a pending entry is tried (again)
 * @param error why the last attempt failed, or null
 * @param doneAt when it was delivered, given up or cancelled, or null while pending
 */
public record Notification(
    String problemId,
    long problemTime,
    int step,
    String channel,
    Event event,
    long dueAt,
    Problem problem,
    State state,
    int attempts,
    long nextAttemptAt,
    String error,
    Long doneAt) {

  /** What the message tells, as the webhook body's {@code event} spells it. */
  public enum Event {
    OPENED("opened"),
    ESCALATED("escalated"),
    RESOLVED("resolved");

    private final String wire;

    Event(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  /** Where an entry stands. Only {@code PENDING} ones are ever sent. */
  public enum State {
    PENDING,
    DELIVERED,
    FAILED,
    CANCELLED;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public Notification {
    Objects.requireNonNull(problemId, "problemId");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(state, "state");
  }

  /** A new pending entry. */
  public static Notification due(
      Problem problem, int step, String channel, Event event, long dueAt) {
    return new Notification(
        problem.problemId(),
        problem.problemTime(),
        step,
        channel,
        event,
        dueAt,
        problem,
        State.PENDING,
        0,
        dueAt,
        null,
        null);
  }

  /**
   * Unique per problem occurrence, step and channel; a resolution notice is one per occurrence and
   * channel.
   */
  public String key() {
    return keyOf(
        problemId, problemTime, event == Event.RESOLVED ? "r" : String.valueOf(step), channel);
  }

  public static String keyOf(String problemId, long problemTime, String step, String channel) {
    return problemId + "#" + problemTime + "#" + step + "#" + channel;
  }

  public boolean isLadderStep() {
    return event != Event.RESOLVED;
  }

  public Notification with(
      State state, int attempts, long nextAttemptAt, String error, Long doneAt) {
    return new Notification(
        problemId,
        problemTime,
        step,
        channel,
        event,
        dueAt,
        problem,
        state,
        attempts,
        nextAttemptAt,
        error,
        doneAt);
  }
}
