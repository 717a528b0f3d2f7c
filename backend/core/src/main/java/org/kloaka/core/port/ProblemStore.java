package org.kloaka.core.port;

import java.util.List;
import java.util.Optional;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemEvent;
import org.kloaka.model.ProblemStatus;

/** One problem record per pair of sensors, keyed by {@code problem_id}. */
public interface ProblemStore {

  Optional<Stored<Problem>> find(String problemId);

  /**
   * Problems with the given status, or all when {@code status} is {@code null}, newest {@code
   * problem_time} first (ties by {@code problem_id}).
   */
  List<Problem> list(ProblemStatus status);

  /**
   * Writes {@code next} only if the stored record is still {@code expected} (same version), or,
   * when {@code expected} is {@code null}, only if no record with that id exists yet.
   *
   * @return false when another writer got there first; the caller re-reads and retries
   */
  default boolean replace(Stored<Problem> expected, Problem next) {
    return replace(expected, next, List.of());
  }

  /**
   * Like {@link #replace(Stored, Problem)}, and appends {@code events} to the pair's timeline
   * ({@link TimelineStore}) in the same atomic write: either the record and all its events are
   * stored, or (when this answers false or throws) none of them. Events already stored (equal
   * {@link TimelineStore#keyOf keys}) are not added twice.
   */
  boolean replace(Stored<Problem> expected, Problem next, List<ProblemEvent> events);
}
