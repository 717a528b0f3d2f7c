package org.kloaka.core.app;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Use case: an operator resolves a problem (docs/problems.md). Resolving a resolved problem changes
 * nothing and succeeds. One unit of work; its change goes to the {@link ChangeFeed} after the
 * commit.
 */
public final class ResolveProblem {

  private static final Logger log = LoggerFactory.getLogger(ResolveProblem.class);

  /**
   * @param by who resolves it
   * @param note optional, may be {@code null}
   */
  public record Command(String problemId, String by, String note) {}

  /** What resolving did. */
  public sealed interface Result {

    /** The problem as it is now (resolved by this call or earlier). */
    record Resolved(Problem problem, List<Change> changes) implements Result {}

    /** No such problem. */
    record NotFound(String problemId) implements Result {}
  }

  private final ProblemStore problems;
  private final Transactions transactions;
  private final ChangeFeed feed;
  private final Clock clock;

  public ResolveProblem(
      ProblemStore problems, Transactions transactions, ChangeFeed feed, Clock clock) {
    this.problems = problems;
    this.transactions = transactions;
    this.feed = feed;
    this.clock = clock;
  }

  public Result handle(Command command) {
    long now = clock.instant().getEpochSecond();
    return transactions.inTransaction(
        () -> resolve(command, now),
        result -> {
          if (result instanceof Result.Resolved resolved && !resolved.changes().isEmpty()) {
            feed.publish(resolved.changes());
          }
        });
  }

  private Result resolve(Command command, long now) {
    String id = command.problemId();
    return ConflictRetry.untilDone(
        () -> "problem " + id,
        () -> {
          Optional<Stored<Problem>> found = problems.find(id);
          if (found.isEmpty()) {
            return Attempt.done(new Result.NotFound(id));
          }
          Stored<Problem> current = found.get();
          Optional<Problem> next =
              ProblemLifecycle.resolved(current.value(), command.by(), command.note(), now);
          if (next.isEmpty()) {
            return Attempt.done(new Result.Resolved(current.value(), List.of()));
          }
          List<ProblemEvent> events =
              ProblemLifecycle.eventsOf(current.value(), next.get(), now, command.note());
          if (!problems.replace(current, next.get(), events)) {
            return Attempt.conflict();
          }
          log.info("problem {} resolved by {}", id, command.by());
          List<Change> changes =
              ProblemLifecycle.worthPushing(current.value(), next.get())
                  ? List.of(new Change.ProblemChanged(next.get()))
                  : List.of();
          return Attempt.done(new Result.Resolved(next.get(), changes));
        });
  }
}
