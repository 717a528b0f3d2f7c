package org.kloaka.core.port;

import java.util.Optional;

/**
 * Pairs found not OK that have not yet been so for the confirmation window (docs/problems.md):
 * since when, in measurement time. Written in the same unit of work as the evaluation that found
 * them, so a wait survives a restart. Keyed by the pair's {@code problem_id}.
 */
public interface PendingStore {

  /**
   * A pair's wait.
   *
   * @param since the measurement time ({@code dt}, epoch seconds) of the first not-OK evaluation of
   *     this wait
   */
  record Pending(String problemId, long since) {}

  Optional<Stored<Pending>> find(String problemId);

  /**
   * Writes {@code next} only if the stored wait is still {@code expected} (same version), or, when
   * {@code expected} is {@code null}, only if the pair has none.
   *
   * @return false when another writer got there first; the caller re-reads and retries
   */
  boolean replace(Stored<Pending> expected, Pending next);

  /**
   * Removes the wait only if it is still {@code expected} (same version).
   *
   * @return false when another writer changed or removed it first
   */
  boolean remove(Stored<Pending> expected);
}
