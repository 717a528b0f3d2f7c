package org.kloaka.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.kloaka.model.Device;
import org.kloaka.model.Measurement;
import org.kloaka.model.Operator;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemEvent;
import org.kloaka.model.Reject;
import org.kloaka.model.Role;

/** The JSON bodies of the REST API (docs/api.md), shared by the backend and the console. */
public final class Responses {

  private Responses() {}

  /** {@code {"status": "ok"}}, or {@code "degraded"} with a {@code reason} (then HTTP 503). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Health(
      @JsonProperty("status") String status, @JsonProperty("reason") String reason) {
    public Health(String status) {
      this(status, null);
    }
  }

  /** Every fault the runtime knows of now; {@code faults} is empty when {@code status} is ok. */
  public record HealthDetail(
      @JsonProperty("status") String status, @JsonProperty("faults") List<Fault> faults) {}

  /** One part that cannot do its job: {@code "store"}, {@code "broker"}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Fault(
      @JsonProperty("component") String component,
      @JsonProperty("reason") String reason,
      @JsonProperty("detail") String detail,
      @JsonProperty("since") long since) {}

  public record Devices(@JsonProperty("devices") List<Device> devices) {}

  public record Measurements(@JsonProperty("measurements") List<Measurement> measurements) {}

  public record Problems(@JsonProperty("problems") List<Problem> problems) {}

  /**
   * {@code GET /problems/{id}/events} and the shift report: timeline events, oldest first (docs/
   * problems.md).
   */
  public record Events(@JsonProperty("events") List<ProblemEvent> events) {}

  /** {@code GET /me}: who the caller's token belongs to. */
  public record Me(@JsonProperty("name") String name, @JsonProperty("role") Role role) {}

  /** {@code GET /operators}: every account, without tokens. */
  public record Operators(@JsonProperty("operators") List<Operator> operators) {}

  /** {@code POST /operators}: the new account with its token, the only time it is shown. */
  public record NewOperator(
      @JsonProperty("name") String name,
      @JsonProperty("role") Role role,
      @JsonProperty("created") long created,
      @JsonProperty("token") String token) {}

  public record Rejects(@JsonProperty("rejects") List<Reject> rejects) {}

  public record Error(@JsonProperty("error") String error) {}

  /** The body of {@code PATCH /problems/{id}}; {@code resolved_by} is an extra, optional field. */
  public record Resolve(
      @JsonProperty("problem_status") String problemStatus,
      @JsonProperty("note") String note,
      @JsonProperty("resolved_by") String resolvedBy) {}

  /**
   * The answer to {@code POST /uplinks}: {@code stored}, or {@code rejected} with the reason (the
   * message is then in {@code /rejects}). A redelivered TTN uplink that was stored before is {@code
   * stored} too.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record UplinkAnswer(
      @JsonProperty("status") String status, @JsonProperty("reason") String reason) {}

  /** {@code GET /status}: what each ingest path is doing, and the health in detail. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Status(
      @JsonProperty("version") String version,
      @JsonProperty("started") long started,
      @JsonProperty("sources") List<Source> sources,
      @JsonProperty("notifications") Notifications notifications,
      @JsonProperty("health") HealthDetail health) {

    /** Without the health part (it is added by the router). */
    public Status(String version, long started, List<Source> sources, Notifications notifications) {
      this(version, started, sources, notifications, null);
    }

    /** The same status with {@code detail} as its health part. */
    public Status withHealth(HealthDetail detail) {
      return new Status(version, started, sources, notifications, detail);
    }

    public Status withNotifications(Notifications counts) {
      return new Status(version, started, sources, counts, health);
    }
  }

  /**
   * One ingest path ({@code mqtt}, {@code ttn}, {@code webhook}).
   *
   * @param state e.g. {@code up}, {@code connecting}, {@code connected}, {@code disconnected},
   *     {@code off}
   * @param since when it entered that state (epoch seconds)
   * @param messages messages taken since the start, or null where this process cannot count them
   * @param lastMessage when the newest one arrived (epoch seconds), or null
   * @param error the last error in words, or null
   */
  public record Source(
      @JsonProperty("name") String name,
      @JsonProperty("state") String state,
      @JsonProperty("since") long since,
      @JsonProperty("messages") Long messages,
      @JsonProperty("last_message") Long lastMessage,
      @JsonProperty("error") String error) {}

  /** Notifications waiting and given up on. */
  public record Notifications(
      @JsonProperty("pending") long pending, @JsonProperty("failed") long failed) {}
}
