package org.kloaka.network;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The network file's shape and that of {@code GET /network} (docs/network.md): tubes, each a list
 * of sensors in flow order, optionally flowing into another tube at one of its sensors.
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

  /**
   * A sensor in a tube; {@code id} is a sensor id in either spelling, the rest optional.
   *
   * @param derived only in {@code GET /network}'s answer: {@code true} for a reporting device the
   *     network file does not name, placed by the id convention (its neighbours are its unnamed
   *     numeric neighbours, never the file's sensors); absent for the file's own sensors. A network
   *     file must not carry it.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Sensor(
      @JsonProperty("id") String id,
      @JsonProperty("name") String name,
      @JsonProperty("lat") Double lat,
      @JsonProperty("lon") Double lon,
      @JsonProperty("derived") Boolean derived) {

    /** A sensor as a network file lists it. */
    public Sensor(String id, String name, Double lat, Double lon) {
      this(id, name, lat, lon, null);
    }

    /** A reporting device the file does not name, as {@code GET /network} lists it. */
    public static Sensor derived(String id) {
      return new Sensor(id, null, null, null, Boolean.TRUE);
    }
  }

  /** Where the last sensor of a tube drains: sensor {@code at} of tube {@code tube}. */
  public record FlowsInto(@JsonProperty("tube") String tube, @JsonProperty("at") String at) {}
}
