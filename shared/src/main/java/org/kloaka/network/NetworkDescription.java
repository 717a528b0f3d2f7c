package org.kloaka.network;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The network file's shape and that of {@code GET /network} (CONTRACT §6): tubes, each a list of
 * sensors in flow order, optionally flowing into another tube at one of its sensors.
 *
 * <p>These records only carry the JSON; the backend's core validates them (unknown tube, sensor
 * listed twice, cycles) and derives neighbours from them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NetworkDescription(@JsonProperty("tubes") List<Tube> tubes) {

  public NetworkDescription {
    tubes = tubes == null ? null : List.copyOf(tubes);
  }

  /** A run of pipe. {@code id} is the tube number as a string, e.g. {@code "0"}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Tube(
      @JsonProperty("id") String id,
      @JsonProperty("name") String name,
      @JsonProperty("sensors") List<Sensor> sensors,
      @JsonProperty("flows_into") FlowsInto flowsInto) {

    public Tube {
      sensors = sensors == null ? null : List.copyOf(sensors);
    }
  }

  /** A sensor in a tube; {@code id} is a sensor id in either spelling, the rest optional. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Sensor(
      @JsonProperty("id") String id,
      @JsonProperty("name") String name,
      @JsonProperty("lat") Double lat,
      @JsonProperty("lon") Double lon) {}

  /** Where the last sensor of a tube drains: sensor {@code at} of tube {@code tube}. */
  public record FlowsInto(@JsonProperty("tube") String tube, @JsonProperty("at") String at) {}
}
