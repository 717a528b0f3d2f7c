package org.kloaka.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code GET /insights/pairs} (docs/api.md, "Hot spots"): the pairs and silent sensors whose
 * problems opened in the window {@code since..until}, worst first, computed from the stored
 * timeline.
 *
 * @param since the window's start, epoch seconds (until minus the days asked for)
 * @param until the window's end: the server's clock when it answered
 */
public record PairInsights(
    @JsonProperty("pairs") List<Row> pairs,
    @JsonProperty("since") long since,
    @JsonProperty("until") long until) {

  public PairInsights {
    pairs = List.copyOf(pairs);
  }

  /**
   * One pair (or silent sensor). Durations are whole seconds over the occurrences that opened in
   * the window, each measured in full: from its {@code problem_time} to its resolution, or to
   * {@code until} while it is unresolved.
   *
   * @param problem the type of its latest occurrence, as its latest event has it
   * @param downstreamId null for a silent sensor
   * @param occurrences how many occurrences opened in the window
   * @param openS their time unresolved, summed
   * @param longestOpenS the longest of them
   * @param activeS their time active (the flow looked faulty), summed
   * @param medianAckS median time from opening to the first acknowledgement, over those
   *     acknowledged (resolving acknowledges); null when none was
   * @param medianResolveS median time from opening to resolution, over those resolved; null when
   *     none was
   * @param lastProblemTime the newest occurrence's {@code problem_time}
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Row(
      @JsonProperty("problem_id") String problemId,
      @JsonProperty("problem") ProblemType problem,
      @JsonProperty("upstream_id") SensorId upstreamId,
      @JsonProperty("downstream_id") SensorId downstreamId,
      @JsonProperty("names") Names names,
      @JsonProperty("occurrences") int occurrences,
      @JsonProperty("open_s") long openS,
      @JsonProperty("longest_open_s") long longestOpenS,
      @JsonProperty("active_s") long activeS,
      @JsonProperty("median_ack_s") Long medianAckS,
      @JsonProperty("median_resolve_s") Long medianResolveS,
      @JsonProperty("last_problem_time") long lastProblemTime) {}

  /** The sensors' names from the network file; null where it names none. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Names(
      @JsonProperty("upstream") String upstream, @JsonProperty("downstream") String downstream) {}
}
