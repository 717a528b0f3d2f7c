package org.kloaka.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * A registered sensor with its last value and its most recent measurements (CONTRACT §2).
 *
 * <p>{@code measurements} is oldest first and bounded; it is {@code null} in listings ({@code GET
 * /devices}) and then left out of the JSON. {@code signal}, {@code dev_eui}, {@code battery} and
 * {@code f_cnt} are extra fields, present when a message came through The Things Stack with them:
 * each keeps the value of the newest message that carried it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Device(
    @JsonProperty("id") SensorId id,
    @JsonProperty("last_value") Filling lastValue,
    @JsonProperty("last_update") long lastUpdate,
    @JsonProperty("measurements") List<Measurement> measurements,
    @JsonProperty("signal") Signal signal,
    @JsonProperty("dev_eui") String devEui,
    @JsonProperty("battery") BigDecimal battery,
    @JsonProperty("f_cnt") Long fCnt) {

  public Device {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(lastValue, "lastValue");
    measurements = measurements == null ? null : List.copyOf(measurements);
  }

  /** A device without The Things Stack's extra fields. */
  public Device(
      SensorId id,
      Filling lastValue,
      long lastUpdate,
      List<Measurement> measurements,
      Signal signal) {
    this(id, lastValue, lastUpdate, measurements, signal, null, null, null);
  }

  /** The same device without its measurements, as {@code GET /devices} lists it. */
  public Device withoutMeasurements() {
    return withMeasurements(null);
  }

  /** The same device with other measurements (or none, for a listing copy). */
  public Device withMeasurements(List<Measurement> recent) {
    return new Device(id, lastValue, lastUpdate, recent, signal, devEui, battery, fCnt);
  }

  /** The measurements, or an empty list for a listing copy. */
  public List<Measurement> measurementsOrEmpty() {
    return measurements == null ? List.of() : measurements;
  }
}
