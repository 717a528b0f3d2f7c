package org.kloaka.core.app;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.kloaka.core.Change;
import org.kloaka.core.ProblemLifecycle;
import org.kloaka.core.port.ChangeFeed;
import org.kloaka.core.port.ProblemStore;
import org.kloaka.core.port.Transactions;
import org.kloaka.model.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Use case: an operator resolves a problem (docs/problems.md). Resolving a resolved problem changes
 * nothing and succeeds; resolving an unacknowledged one acknowledges it too. One unit of work; its
 * change goes to the {@link ChangeFeed} after the commit.
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

  private final OperatorUpdate update;

  public ResolveProblem(
      ProblemStore problems, Transactions transactions, ChangeFeed feed, Clock clock) {
    this.update = new OperatorUpdate(problems, transactions, feed, clock);
  }

  public Result handle(Command command) {
    Optional<OperatorUpdate.Outcome> outcome =
        update.apply(
            command.problemId(),
            command.note(),
            (current, now) ->
                ProblemLifecycle.resolved(current, command.by(), command.note(), now));
    if (outcome.isEmpty()) {
      return new Result.NotFound(command.problemId());
    }
    if (!outcome.get().changes().isEmpty()) {
      log.info("problem {} resolved by {}", command.problemId(), command.by());
    }
    return new Result.Resolved(outcome.get().problem(), outcome.get().changes());
  }
}
