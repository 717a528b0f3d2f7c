package org.kloaka.core.notify;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.kloaka.core.port.ProblemStore;
import org.kloaka.core.port.Stored;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemEvent;
import org.kloaka.model.ProblemStatus;

/**
 * The problem store as every use case sees it where the deployment has transactions (the local
 * runtime): each successful write also records, in the same unit of work, what it makes due or
 * stops ({@link Escalation#written}). So whatever writes a problem — the inspector, resolving,
 * acknowledging, the silent-sensor sweep — feeds the ladder, and a rolled-back write leaves no
 * notification behind. Reads pass through.
 */
public final class EscalatingProblemStore implements ProblemStore {

  private final ProblemStore store;
  private final Escalation escalation;
  private final Clock clock;

  public EscalatingProblemStore(ProblemStore store, Escalation escalation, Clock clock) {
    this.store = store;
    this.escalation = escalation;
    this.clock = clock;
  }

  @Override
  public Optional<Stored<Problem>> find(String problemId) {
    return store.find(problemId);
  }

  @Override
  public List<Problem> list(ProblemStatus status) {
    return store.list(status);
  }

  @Override
  public boolean replace(Stored<Problem> expected, Problem next, List<ProblemEvent> events) {
    if (!store.replace(expected, next, events)) {
      return false;
    }
    escalation.written(
        expected == null ? null : expected.value(), next, Math.floorDiv(clock.millis(), 1000));
    return true;
  }
}
