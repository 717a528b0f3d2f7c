package org.kloaka.core.app;

import java.util.List;
import java.util.Optional;
import org.kloaka.core.port.ProblemStore;
import org.kloaka.core.port.TimelineStore;
import org.kloaka.model.ProblemEvent;

/** Use case: read the pairs' timelines (docs/problems.md, "Timeline"). */
public final class TimelineQueries {

  private final ProblemStore problems;
  private final TimelineStore timeline;

  public TimelineQueries(ProblemStore problems, TimelineStore timeline) {
    this.problems = problems;
    this.timeline = timeline;
  }

  /**
   * The most recent {@code limit} events of the pair {@code problemId}, every occurrence, oldest
   * first.
   *
   * @return empty when the pair has no record (records are never deleted, so neither events)
   */
  public Optional<List<ProblemEvent>> events(String problemId, int limit) {
    if (problems.find(problemId).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(timeline.history(problemId, limit));
  }

  /** Every pair's events with {@code since <= time <= until}, oldest first, the first limit. */
  public List<ProblemEvent> between(long since, long until, int limit) {
    return timeline.between(since, until, limit);
  }
}
