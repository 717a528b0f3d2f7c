package org.kloaka.aws.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.kloaka.aws.moto.Events;
import org.kloaka.aws.moto.MotoAws;

/** What the handler tests against moto do the same way: publish, connect a console, check. */
final class MotoHandlers {

  private MotoHandlers() {}

  /** A payload as the IoT rule hands it to the organizer. */
  static void publish(OrganizerHandler organizer, String payload) {
    try {
      organizer.handleRequest(
          new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)),
          new ByteArrayOutputStream(),
          null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A console's {@code $connect} with {@code token}, which must be accepted. */
  static void connect(MotoAws aws, Clock clock, String connectionId, String token) {
    WsConnectHandler handler = new WsConnectHandler(aws.db(), aws.ssm(), aws.settings(), clock);
    APIGatewayV2WebSocketEvent event =
        Events.load(
            "ws-connect.json",
            APIGatewayV2WebSocketEvent.class,
            json -> {
              ((ObjectNode) json.get("requestContext")).put("connectionId", connectionId);
              ((ObjectNode) json.get("queryStringParameters")).put("token", token);
            });
    assertThat(handler.handleRequest(event, null).getStatusCode()).isEqualTo(200);
  }

  static void assertNoFailures(StreamsEventResponse response) {
    assertThat(response.getBatchItemFailures()).isEmpty();
  }
}
