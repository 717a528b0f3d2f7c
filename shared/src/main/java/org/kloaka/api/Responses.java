package org.kloaka.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.kloaka.model.Device;
import org.kloaka.model.Measurement;
import org.kloaka.model.Problem;
import org.kloaka.model.Reject;

/** The JSON bodies of the REST API (CONTRACT §4), shared by the backend and the console. */
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

  /**
   * {@code GET /status}: the running version, when it started (epoch seconds), and its health in
   * detail. Further parts (ingest sources, notifications) are separate fields.
   */
  public record Status(
      @JsonProperty("version") String version,
      @JsonProperty("started") long started,
      @JsonProperty("health") HealthDetail health) {}

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

  public record Rejects(@JsonProperty("rejects") List<Reject> rejects) {}

  public record Error(@JsonProperty("error") String error) {}

  /** The body of {@code PATCH /problems/{id}}; {@code resolved_by} is an extra, optional field. */
  public record Resolve(
      @JsonProperty("problem_status") String problemStatus,
      @JsonProperty("note") String note,
      @JsonProperty("resolved_by") String resolvedBy) {}
}
