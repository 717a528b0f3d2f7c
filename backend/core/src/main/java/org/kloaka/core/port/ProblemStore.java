package org.kloaka.core.port;

import java.util.List;
import java.util.Optional;
import org.kloaka.model.Problem;
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
  boolean replace(Stored<Problem> expected, Problem next);
}
