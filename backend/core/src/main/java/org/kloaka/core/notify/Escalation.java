package org.kloaka.core.notify;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.kloaka.core.notify.Notification.Event;
import org.kloaka.core.port.NotificationOutbox;
import org.kloaka.model.Problem;

/**
 * The escalation ladder of docs/notifications.md as rules on a problem change: what becomes due and
 * what stops. The domain services call {@link #written} in the unit of work that wrote the change
 * (locally the same SQLite transaction); on AWS the problems table's stream calls it with the
 * change's images, which is idempotent because the outbox adds each key once.
 */
public final class Escalation {

  /** What one problem change does to the outbox. */
  public record Effects(List<Notification> due, Long stopTime) {
    public static final Effects NONE = new Effects(List.of(), null);

    public Effects {
      due = List.copyOf(due);
    }
  }

  /** No notification file: changes make nothing due. */
  public static final Escalation NONE = new Escalation(NotificationPlan.NONE, null);

  private final NotificationPlan plan;
  private final NotificationOutbox outbox;

  public Escalation(NotificationPlan plan, NotificationOutbox outbox) {
    this.plan = plan;
    this.outbox = outbox;
  }

  public NotificationPlan plan() {
    return plan;
  }

  /**
   * Records what the change from {@code before} (null: no record) to {@code after} makes due, in
   * the caller's unit of work.
   */
  public void written(Problem before, Problem after, long now) {
    if (plan.isEmpty()) {
      return;
    }
    Effects effects = effects(plan, before, after);
    if (!effects.due().isEmpty()) {
      outbox.add(effects.due());
    }
    if (effects.stopTime() != null) {
      outbox.cancelAfter(after.problemId(), after.problemTime(), effects.stopTime(), now);
    }
  }

  /**
   * The rules: a new UNRESOLVED occurrence makes every step due at {@code problem_time + after};
   * acknowledging or resolving stops the steps due later; resolving, with {@code
   * also_when_resolved}, tells the channels of the steps that had fired. Re-activation and type
   * changes are the same occurrence and change nothing here.
   */
  public static Effects effects(NotificationPlan plan, Problem before, Problem after) {
    if (after == null || plan.isEmpty()) {
      return Effects.NONE;
    }
    boolean sameOccurrence =
        before != null && before.problemTime() == after.problemTime() && !before.isResolved();
    if (!sameOccurrence) {
      if (after.isResolved()) {
        return Effects.NONE;
      }
      List<Notification> due = new ArrayList<>();
      for (NotificationPlan.Step step : plan.steps()) {
        long at = after.problemTime() + step.after().toSeconds();
        Event event = step.number() == 1 ? Event.OPENED : Event.ESCALATED;
        for (String channel : step.channels()) {
          due.add(Notification.due(after, step.number(), channel, event, at));
        }
      }
      Long stop = stopTime(after);
      return new Effects(due, stop);
    }
    Long stopBefore = stopTime(before);
    Long stopAfter = stopTime(after);
    if (stopAfter == null || stopBefore != null && !after.isResolved()) {
      return Effects.NONE;
    }
    long stop = stopBefore != null ? stopBefore : stopAfter;
    List<Notification> due = new ArrayList<>();
    if (after.isResolved() && plan.alsoWhenResolved()) {
      Set<String> told = new LinkedHashSet<>();
      int highest = 0;
      for (NotificationPlan.Step step : plan.steps()) {
        if (after.problemTime() + step.after().toSeconds() <= stop) {
          told.addAll(step.channels());
          highest = step.number();
        }
      }
      long at = after.resolvedTime() == null ? stop : after.resolvedTime();
      for (String channel : told) {
        due.add(Notification.due(after, highest, channel, Event.RESOLVED, at));
      }
    }
    return new Effects(due, stopBefore != null ? null : stop);
  }

  /**
   * When the ladder of this record stopped: its acknowledgement or resolution, whichever came
   * first; null while it runs.
   */
  public static Long stopTime(Problem problem) {
    Long acknowledged = acknowledgedTime(problem);
    Long resolved =
        problem.isResolved()
            ? (problem.resolvedTime() != null ? problem.resolvedTime() : problem.lastSeen())
            : null;
    if (acknowledged == null) {
      return resolved;
    }
    return resolved == null ? acknowledged : Math.min(acknowledged, resolved);
  }

  private static Long acknowledgedTime(Problem problem) {
    return problem.acknowledgedTime();
  }

  /**
   * Whether a claimed ladder entry is still to be sent, given the pair's record now (null: none):
   * not when the occurrence was acknowledged or resolved before the entry fell due, or is gone.
   */
  public static boolean stillDue(Notification entry, Problem current) {
    if (!entry.isLadderStep()) {
      return true;
    }
    if (current == null || current.problemTime() < entry.problemTime()) {
      return false;
    }
    if (current.problemTime() > entry.problemTime()) {
      // Replaced by a new occurrence: the old one was resolved before that one opened.
      return entry.dueAt() < current.problemTime();
    }
    Long stop = stopTime(current);
    return stop == null || entry.dueAt() <= stop;
  }
}
