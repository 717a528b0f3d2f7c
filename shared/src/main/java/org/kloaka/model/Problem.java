package org.kloaka.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * One record per pair of neighbouring sensors (docs/problems.md): what is wrong between them, since
 * when, and whether an operator has acknowledged or resolved it. Null fields are written as JSON
 * {@code null}.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Problem(
    @JsonProperty("problem_id") String problemId,
    @JsonProperty("problem") ProblemType problem,
    @JsonProperty("problem_time") long problemTime,
    @JsonProperty("problem_status") ProblemStatus problemStatus,
    @JsonProperty("upstream_id") SensorId upstreamId,
    @JsonProperty("downstream_id") SensorId downstreamId,
    @JsonProperty("upstream_value") Filling upstreamValue,
    @JsonProperty("downstream_value") Filling downstreamValue,
    @JsonProperty("active") boolean active,
    @JsonProperty("last_seen") long lastSeen,
    @JsonProperty("resolved_time") Long resolvedTime,
    @JsonProperty("resolved_by") String resolvedBy,
    @JsonProperty("note") String note,
    @JsonProperty("acknowledged_time") Long acknowledgedTime,
    @JsonProperty("acknowledged_by") String acknowledgedBy) {

  /** A record nobody has acknowledged yet (what every new occurrence starts as). */
  public Problem(
      String problemId,
      ProblemType problem,
      long problemTime,
      ProblemStatus problemStatus,
      SensorId upstreamId,
      SensorId downstreamId,
      Filling upstreamValue,
      Filling downstreamValue,
      boolean active,
      long lastSeen,
      Long resolvedTime,
      String resolvedBy,
      String note) {
    this(
        problemId,
        problem,
        problemTime,
        problemStatus,
        upstreamId,
        downstreamId,
        upstreamValue,
        downstreamValue,
        active,
        lastSeen,
        resolvedTime,
        resolvedBy,
        note,
        null,
        null);
  }

  public Problem {
    Objects.requireNonNull(problemId, "problemId");
    Objects.requireNonNull(problem, "problem");
    Objects.requireNonNull(problemStatus, "problemStatus");
    Objects.requireNonNull(upstreamId, "upstreamId");
    Objects.requireNonNull(downstreamId, "downstreamId");
  }

  /** The key of a pair's record: upstream id then downstream id, canonical, concatenated. */
  public static String idOf(SensorId upstream, SensorId downstream) {
    return upstream.toString() + downstream;
  }

  /**
   * Derived from {@code problem_status}: not written, so the record keeps the fields of
   * docs/problems.md.
   */
  @JsonIgnore
  public boolean isResolved() {
    return problemStatus == ProblemStatus.RESOLVED;
  }

  /** Whether an operator has acknowledged this occurrence (resolving acknowledges it too). */
  @JsonIgnore
  public boolean isAcknowledged() {
    return acknowledgedTime != null;
  }
}
