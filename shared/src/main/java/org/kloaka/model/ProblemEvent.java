package org.kloaka.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * One entry of a pair's timeline (docs/problems.md, "Timeline"): something that happened to one
 * occurrence of its problem record. The timeline is keyed by {@code problem_id}, so it outlives a
 * RESOLVED record that a new occurrence replaces; {@code problem_time} says which occurrence an
 * event belongs to.
 *
 * @param problemId the pair's (or the silent sensor's) {@code problem_id}
 * @param type what happened
 * @param time when it happened (epoch seconds)
 * @param by the operator who did it, or {@code null} for what the system did
 * @param note the operator's note or comment, a delivery's channel and outcome, or {@code null}
 * @param problemTime the {@code problem_time} of the occurrence it belongs to
 * @param problem the record's {@code problem} at that moment (after a change: the new one), or
 *     {@code null} when not known
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ProblemEvent(
    @JsonProperty("problem_id") String problemId,
    @JsonProperty("type") Type type,
    @JsonProperty("time") long time,
    @JsonProperty("by") String by,
    @JsonProperty("note") String note,
    @JsonProperty("problem_time") long problemTime,
    @JsonProperty("problem") ProblemType problem) {

  public ProblemEvent {
    Objects.requireNonNull(problemId, "problemId");
    Objects.requireNonNull(type, "type");
  }

  /**
   * The {@code type} field, lower case on the wire. The order of the constants is the order of
   * events of the same second (an occurrence opens before it is acknowledged, before it is
   * resolved).
   */
  public enum Type {
    @JsonProperty("opened")
    OPENED,
    @JsonProperty("changed")
    CHANGED,
    @JsonProperty("inactive")
    INACTIVE,
    @JsonProperty("active")
    ACTIVE,
    @JsonProperty("acknowledged")
    ACKNOWLEDGED,
    @JsonProperty("comment")
    COMMENT,
    @JsonProperty("resolved")
    RESOLVED,
    @JsonProperty("notified")
    NOTIFIED,
    @JsonProperty("notify_failed")
    NOTIFY_FAILED;

    /** The name as written in JSON and stores: {@code opened}, {@code notify_failed}, … */
    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * @throws IllegalArgumentException when {@code wire} names no type
     */
    public static Type ofWire(String wire) {
      for (Type type : values()) {
        if (type.wire().equals(wire)) {
          return type;
        }
      }
      throw new IllegalArgumentException("no timeline event type '" + wire + "'");
    }
  }

  /**
   * The event of {@code type} that the record {@code p} (as it is after it) gets at {@code time}.
   */
  public static ProblemEvent of(Problem p, Type type, long time, String by, String note) {
    return new ProblemEvent(p.problemId(), type, time, by, note, p.problemTime(), p.problem());
  }
}
