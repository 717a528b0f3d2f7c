package org.kloaka.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one definition of the WebSocket's client frames, for both deployments. */
class ClientFramesTest {

  final ClientFrames frames = new ClientFrames();

  @Test
  void aPingGetsAPong() {
    assertThat(frames.answer("{\"action\":\"ping\"}")).isEqualTo("{\"type\":\"pong\"}");
    assertThat(frames.answer(" { \"action\" : \"ping\" , \"extra\": 1 } "))
        .isEqualTo("{\"type\":\"pong\"}");
  }

  @Test
  void everythingElseGetsAnErrorForAPerson() {
    assertThat(error("")).isEqualTo("send a JSON object such as {\"action\":\"ping\"}");
    assertThat(error("[1]")).isEqualTo("send a JSON object such as {\"action\":\"ping\"}");
    assertThat(error("{}")).isEqualTo("the frame has no \"action\"; the only one is \"ping\"");
    assertThat(error("{\"action\":\"pong\"}"))
        .isEqualTo("unknown action \"pong\"; the only one is \"ping\"");
    assertThat(error("{\"action\":\"ping\"} x")).startsWith("the frame is not valid JSON");
    assertThat(error("{\"action\":\"ping\",\"action\":\"ping\"}"))
        .startsWith("the frame is not valid JSON (line 1, column ");
    // Found by WebSocketFuzzTest: an exponent no BigDecimal holds closed the connection.
    assertThat(error("{\"action\":1e9999999999999}"))
        .startsWith("the frame holds a number out of range");
    assertThat(error("[".repeat(5000)))
        .isEqualTo(
            "the frame's JSON is not usable: nested deeper than 1000 levels, or a number or string"
                + " far too long");
    assertThat(error("{\"action\":\"" + "é".repeat(ClientFrames.MAX_FRAME_BYTES / 2) + "\"}"))
        .isEqualTo("the frame is over 64 KiB; send {\"action\":\"ping\"}");
    assertThat(frames.answerBinary())
        .isEqualTo(
            "{\"type\":\"error\",\"error\":\"binary frames are not understood; send JSON text such"
                + " as {\\\"action\\\":\\\"ping\\\"}\"}");
  }

  private String error(String frame) {
    Push answer = frames.answerFrame(frame);
    assertThat(answer).isInstanceOf(Push.Error.class);
    return ((Push.Error) answer).error();
  }
}
