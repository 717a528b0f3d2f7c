package org.kloaka.core.app;

import java.time.Clock;
import java.util.Optional;
import org.kloaka.core.ProblemLifecycle;
import org.kloaka.core.port.ChangeFeed;
import org.kloaka.core.port.ProblemStore;
import org.kloaka.core.port.Transactions;
import org.kloaka.model.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Use case: an operator acknowledges a problem — "seen, crew on the way" (docs/problems.md,
 * "Acknowledge"). Sets {@code acknowledged_time} and {@code acknowledged_by}, keeps it UNRESOLVED,
 * records an {@code acknowledged} event and pushes the change. Acknowledging again, or a resolved
 * problem, changes nothing and succeeds.
 */
public final class AcknowledgeProblem {

  private static final Logger log = LoggerFactory.getLogger(AcknowledgeProblem.class);

  /**
   * @param by the caller's operator name
   * @param note optional, may be {@code null}
   */
  public record Command(String problemId, String by, String note) {}

  private final OperatorUpdate update;

  public AcknowledgeProblem(
      ProblemStore problems, Transactions transactions, ChangeFeed feed, Clock clock) {
    this.update = new OperatorUpdate(problems, transactions, feed, clock);
  }

  /**
   * @return the problem as it is now, or empty when there is no such problem
   */
  public Optional<Problem> handle(Command command) {
    Optional<OperatorUpdate.Outcome> outcome =
        update.apply(
            command.problemId(),
            command.note(),
            (current, now) ->
                ProblemLifecycle.acknowledged(current, command.by(), command.note(), now));
    outcome
        .filter(o -> !o.changes().isEmpty())
        .ifPresent(
            o -> log.info("problem {} acknowledged by {}", command.problemId(), command.by()));
    return outcome.map(OperatorUpdate.Outcome::problem);
  }
}
