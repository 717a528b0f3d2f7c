package org.kloaka.aws.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.kloaka.api.Json;
import org.kloaka.api.Push;

/**
 * What the server answers to a client's frame (docs/websocket.md): {@code {"action": "ping"}} gets
 * {@code {"type": "pong"}}, anything else an error frame. The connection stays open either way.
 */
public final class ClientFrames {

  /** Frames larger than this are not parsed (API Gateway allows 128 KB; a ping is 17 bytes). */
  static final int MAX_FRAME_CHARS = 4096;

  private final ObjectMapper mapper;

  public ClientFrames(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** The answer frame, as JSON text. */
  public String answer(String frame) {
    return json(answerFrame(frame));
  }

  Push answerFrame(String frame) {
    if (frame == null || frame.isBlank()) {
      return new Push.Error("empty frame; send {\"action\": \"ping\"}");
    }
    if (frame.length() > MAX_FRAME_CHARS) {
      return new Push.Error("frame is larger than " + MAX_FRAME_CHARS + " characters");
    }
    JsonNode root;
    try {
      root = mapper.readTree(frame);
    } catch (JsonProcessingException e) {
      return new Push.Error("frame is not JSON: " + Json.explain(e));
    }
    if (root == null || !root.isObject()) {
      return new Push.Error("frame is not a JSON object");
    }
    JsonNode action = root.get("action");
    if (action == null || !action.isTextual()) {
      return new Push.Error("frame has no \"action\" string; the only action is \"ping\"");
    }
    if (!"ping".equals(action.textValue())) {
      return new Push.Error("unknown action; the only action is \"ping\"");
    }
    return new Push.Pong();
  }

  private String json(Push frame) {
    try {
      return mapper.writeValueAsString(frame);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write frame " + frame, e);
    }
  }
}
