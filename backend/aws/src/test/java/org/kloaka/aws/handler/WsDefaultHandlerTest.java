package org.kloaka.aws.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kloaka.api.Json;
import org.kloaka.aws.moto.Events;

/** WebSocket {@code $default} on real API Gateway events: it needs no AWS service. */
class WsDefaultHandlerTest {

  private final ObjectMapper mapper = Json.newMapper();

  @Test
  void pingIsAnsweredWithPong() throws Exception {
    JsonNode answer = frameAnswer("{\"action\": \"ping\"}");
    assertThat(answer).isEqualTo(mapper.readTree("{\"type\": \"pong\"}"));
  }

  @Test
  void anythingElseIsAnsweredWithAnErrorFrame() throws Exception {
    for (String frame : List.of("{\"action\": \"pong\"}", "not json", "[1, 2]", "{}", "")) {
      JsonNode answer = frameAnswer(frame);
      assertThat(answer.path("type").asText()).as(frame).isEqualTo("error");
      assertThat(answer.path("error").asText()).as(frame).isNotBlank();
    }
  }

  @Test
  void aBinaryPingIsDecodedAndAnsweredToo() throws Exception {
    String ping =
        Base64.getEncoder()
            .encodeToString("{\"action\":\"ping\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(frameAnswer(ping, true).path("type").asText()).isEqualTo("pong");
  }

  private JsonNode frameAnswer(String frame) throws Exception {
    return frameAnswer(frame, false);
  }

  private JsonNode frameAnswer(String frame, boolean base64) throws Exception {
    APIGatewayV2WebSocketResponse response =
        new WsDefaultHandler()
            .handleRequest(
                Events.load(
                    "ws-default.json",
                    APIGatewayV2WebSocketEvent.class,
                    json -> json.put("body", frame).put("isBase64Encoded", base64)),
                null);
    assertThat(response.getStatusCode()).isEqualTo(200);
    return mapper.readTree(response.getBody());
  }
}
