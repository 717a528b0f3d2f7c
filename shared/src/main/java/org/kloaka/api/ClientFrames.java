package org.kloaka.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.nio.charset.StandardCharsets;

/**
 * The one definition of what a console may send over the WebSocket and what it gets back, used by
 * the local push server and the AWS {@code $default} route alike: {@code {"action": "ping"}} gets
 * {@code {"type": "pong"}}; anything else an {@code {"type": "error", "error": …}} frame saying
 * what is wrong, for a person. The connection stays open either way.
 *
 * <p>Frames are read strictly, as device payloads are: trailing data and duplicate keys make an
 * error, not a ping. A frame over {@value #MAX_FRAME_BYTES} bytes is not parsed (the local server
 * closes such a connection with 1009 before it gets here; API Gateway lets up to 128 KB through).
 * Thread-safe.
 */
public final class ClientFrames {

  /** The largest client frame (or fragmented message) either server reads, in bytes of UTF-8. */
  public static final int MAX_FRAME_BYTES = 64 * 1024;

  private static final String EXAMPLE = "{\"action\":\"ping\"}";

  private final ObjectReader frames;
  private final ObjectWriter writer;
  private final String pong;
  private final String binary;

  public ClientFrames() {
    ObjectMapper json = Json.newMapper();
    this.frames =
        json.readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    this.writer = json.writerFor(Push.class);
    this.pong = write(new Push.Pong());
    this.binary =
        write(
            new Push.Error("binary frames are not understood; send JSON text such as " + EXAMPLE));
  }

  /** The answer to a text frame, as the JSON text to send back. */
  public String answer(String frame) {
    Push answer = answerFrame(frame);
    return answer instanceof Push.Pong ? pong : write(answer);
  }

  /** The answer to a binary frame, as the JSON text to send back. */
  public String answerBinary() {
    return binary;
  }

  /** The answer to a text frame: a {@link Push.Pong} or a {@link Push.Error}. */
  public Push answerFrame(String frame) {
    if (frame == null || frame.isBlank()) {
      return error("send a JSON object such as " + EXAMPLE);
    }
    if (frame.length() > MAX_FRAME_BYTES / 3
        && frame.getBytes(StandardCharsets.UTF_8).length > MAX_FRAME_BYTES) {
      return error("the frame is over " + MAX_FRAME_BYTES / 1024 + " KiB; send " + EXAMPLE);
    }
    JsonNode root;
    try {
      root = frames.readTree(frame);
    } catch (StreamConstraintsException e) {
      return error("the frame's JSON is not usable: " + Json.explain(e));
    } catch (JsonProcessingException e) {
      return error(
          "the frame is not valid JSON" + where(e) + "; send an object such as " + EXAMPLE);
    } catch (NumberFormatException | ArithmeticException e) {
      // A number such as 1e9999999999999 is valid JSON but no BigDecimal.
      return error("the frame holds a number out of range; send an object such as " + EXAMPLE);
    }
    JsonNode action = root == null ? null : root.get("action");
    if (root == null || !root.isObject()) {
      return error("send a JSON object such as " + EXAMPLE);
    }
    if (action == null || !action.isTextual()) {
      return error("the frame has no \"action\"; the only one is \"ping\"");
    }
    if (!action.textValue().equals("ping")) {
      return error("unknown action \"" + clip(action.textValue()) + "\"; the only one is \"ping\"");
    }
    return new Push.Pong();
  }

  private static Push error(String message) {
    return new Push.Error(message);
  }

  private String write(Push push) {
    try {
      return writer.writeValueAsString(push);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a frame cannot be written as JSON", e);
    }
  }

  private static String where(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    return at == null || at.getLineNr() < 1
        ? ""
        : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
  }

  private static String clip(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "…";
  }
}
