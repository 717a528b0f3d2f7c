package org.kloaka.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * A registered sensor with its last value and its most recent measurements (docs/ingest.md).
 *
 * <p>{@code measurements} is oldest first and bounded; it is {@code null} in listings ({@code GET
 * /devices}) and then left out of the JSON. {@code signal} is an extra field, present when the last
 * message came through The Things Stack with radio metadata.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Device(
    @JsonProperty("id") SensorId id,
    @JsonProperty("last_value") Filling lastValue,
    @JsonProperty("last_update") long lastUpdate,
    @JsonProperty("measurements") List<Measurement> measurements,
    @JsonProperty("signal") Signal signal) {

  public Device {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(lastValue, "lastValue");
    measurements = measurements == null ? null : List.copyOf(measurements);
  }

  /** The same device without its measurements, as {@code GET /devices} lists it. */
  public Device withoutMeasurements() {
    return new Device(id, lastValue, lastUpdate, null, signal);
  }

  /** The measurements, or an empty list for a listing copy. */
  public List<Measurement> measurementsOrEmpty() {
    return measurements == null ? List.of() : measurements;
  }
}
