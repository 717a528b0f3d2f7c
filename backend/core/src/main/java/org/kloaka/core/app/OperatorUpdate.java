package org.kloaka.core.app;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import org.kloaka.core.Change;
import org.kloaka.core.ConflictRetry;
import org.kloaka.core.ConflictRetry.Attempt;
import org.kloaka.core.ProblemLifecycle;
import org.kloaka.core.port.ChangeFeed;
import org.kloaka.core.port.ProblemStore;
import org.kloaka.core.port.Stored;
import org.kloaka.core.port.Transactions;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemEvent;

/**
 * What resolving and acknowledging share: one unit of work that reads the record, applies an
 * operator's step of the lifecycle, writes the record with its timeline events (retrying a lost
 * race), and hands the change to the feed after the commit.
 */
final class OperatorUpdate {

  /** A step that changes nothing (already done) answers empty. */
  @FunctionalInterface
  interface Step extends BiFunction<Problem, Long, Optional<Problem>> {}

  /** The record as it is now, and the changes the write made (none when it changed nothing). */
  record Outcome(Problem problem, List<Change> changes) {}

  private final ProblemStore problems;
  private final Transactions transactions;
  private final ChangeFeed feed;
  private final Clock clock;

  OperatorUpdate(ProblemStore problems, Transactions transactions, ChangeFeed feed, Clock clock) {
    this.problems = problems;
    this.transactions = transactions;
    this.feed = feed;
    this.clock = clock;
  }

  /**
   * @param note the operator's note of this step, for its timeline event
   * @return empty when there is no problem {@code id}
   */
  Optional<Outcome> apply(String id, String note, Step step) {
    long now = clock.instant().getEpochSecond();
    return transactions.inTransaction(
        () -> write(id, note, step, now),
        done -> done.filter(o -> !o.changes().isEmpty()).ifPresent(o -> feed.publish(o.changes())));
  }

  private Optional<Outcome> write(String id, String note, Step step, long now) {
    return ConflictRetry.untilDone(
        () -> "problem " + id,
        () -> {
          Optional<Stored<Problem>> found = problems.find(id);
          if (found.isEmpty()) {
            return Attempt.done(Optional.empty());
          }
          Stored<Problem> current = found.get();
          Optional<Problem> next = step.apply(current.value(), now);
          if (next.isEmpty()) {
            return Attempt.done(Optional.of(new Outcome(current.value(), List.of())));
          }
          List<ProblemEvent> events =
              ProblemLifecycle.eventsOf(current.value(), next.get(), now, note);
          if (!problems.replace(current, next.get(), events)) {
            return Attempt.conflict();
          }
          List<Change> changes =
              ProblemLifecycle.worthPushing(current.value(), next.get())
                  ? List.of(new Change.ProblemChanged(next.get()))
                  : List.of();
          return Attempt.done(Optional.of(new Outcome(next.get(), changes)));
        });
  }
}
