package org.kloaka.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.kloaka.model.Device;
import org.kloaka.model.Measurement;
import org.kloaka.model.Problem;
import org.kloaka.model.Reject;

/** The JSON bodies of the REST API (docs/api.md), shared by the backend and the console. */
public final class Responses {

  private Responses() {}

  public record Health(@JsonProperty("status") String status) {}

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
