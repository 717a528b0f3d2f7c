package org.kloaka.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.kloaka.model.Filling;
import org.kloaka.model.Problem;
import org.kloaka.model.SensorId;

/**
 * One WebSocket frame (docs/websocket.md), server to client or client to server, tagged by {@code
 * type}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Push.ProblemPush.class, name = "problem"),
  @JsonSubTypes.Type(value = Push.DevicePush.class, name = "device"),
  @JsonSubTypes.Type(value = Push.Pong.class, name = "pong"),
  @JsonSubTypes.Type(value = Push.Error.class, name = "error")
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface Push {

  /** A problem record changed as docs/problems.md lists. */
  record ProblemPush(@JsonProperty("problem") Problem problem) implements Push {}

  /** A device's last value or last update changed. */
  record DevicePush(@JsonProperty("device") DeviceState device) implements Push {}

  /** The answer to {@code {"action": "ping"}}. */
  record Pong() implements Push {}

  /** The answer to a frame the server could not use; the connection stays open. */
  record Error(@JsonProperty("error") String error) implements Push {}

  /** The device fields a push carries. */
  record DeviceState(
      @JsonProperty("id") SensorId id,
      @JsonProperty("last_value") Filling lastValue,
      @JsonProperty("last_update") long lastUpdate) {}
}
