package org.kloaka.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The answers of {@code GET /notifications} and {@code POST /notifications/test} (openapi.yaml).
 */
public final class NotificationAnswers {

  private NotificationAnswers() {}

  /** {@code {"notifications": [...]}}, newest first. */
  public record Recent(@JsonProperty("notifications") List<Entry> notifications) {}

  /**
   * One message for one channel.
   *
   * @param state {@code pending}, {@code delivered}, {@code failed} or {@code cancelled}
   * @param time when it was delivered, given up or cancelled; for a pending one its next attempt
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Entry(
      @JsonProperty("problem_id") String problemId,
      @JsonProperty("problem_time") long problemTime,
      @JsonProperty("event") String event,
      @JsonProperty("step") int step,
      @JsonProperty("channel") String channel,
      @JsonProperty("state") String state,
      @JsonProperty("due") long due,
      @JsonProperty("attempts") int attempts,
      @JsonProperty("time") long time,
      @JsonProperty("error") String error) {}

  /** {@code {"results": [{"channel", "ok", "error"}]}}. */
  public record TestResults(@JsonProperty("results") List<TestResult> results) {}

  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record TestResult(
      @JsonProperty("channel") String channel,
      @JsonProperty("ok") boolean ok,
      @JsonProperty("error") String error) {}
}
