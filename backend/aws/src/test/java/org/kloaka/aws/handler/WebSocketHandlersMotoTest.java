package org.kloaka.aws.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kloaka.api.Json;
import org.kloaka.aws.moto.Events;
import org.kloaka.aws.moto.Moto;
import org.kloaka.aws.moto.MotoAws;
import org.kloaka.testing.TestClock;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@Moto
class WebSocketHandlersMotoTest {

  private static final String TOKEN = "s3cret-token-for-tests-only";
  private final TestClock clock = new TestClock(Instant.ofEpochSecond(1_795_860_000L));
  private final ObjectMapper mapper = Json.newMapper();

  @Test
  void connectWithTheRightTokenIsAcceptedAndRememberedForAtMostTwoHours(MotoAws aws) {
    aws.putToken(TOKEN);
    WsConnectHandler handler = new WsConnectHandler(aws.db(), aws.ssm(), aws.settings(), clock);

    APIGatewayV2WebSocketResponse response = handler.handleRequest(connect("conn-A=", TOKEN), null);

    assertThat(response.getStatusCode()).isEqualTo(200);
    List<Map<String, AttributeValue>> items = aws.scan(MotoAws.CONNECTIONS);
    assertThat(items).hasSize(1);
    Map<String, AttributeValue> item = items.get(0);
    assertThat(item.get("connection_id").s()).isEqualTo("conn-A=");
    long expires = Long.parseLong(item.get("expires_at").n());
    assertThat(expires).isGreaterThan(clock.seconds());
    assertThat(expires - clock.seconds()).isLessThanOrEqualTo(Duration.ofHours(2).toSeconds());
  }

  @Test
  void connectWithAWrongOrMissingTokenIsRefusedAndNothingIsStored(MotoAws aws) {
    aws.putToken(TOKEN);
    WsConnectHandler handler = new WsConnectHandler(aws.db(), aws.ssm(), aws.settings(), clock);

    assertThat(handler.handleRequest(connect("conn-B=", TOKEN + "x"), null).getStatusCode())
        .isEqualTo(401);
    assertThat(handler.handleRequest(connect("conn-C=", null), null).getStatusCode())
        .isEqualTo(401);
    assertThat(aws.scan(MotoAws.CONNECTIONS)).isEmpty();
  }

  /** Issue 7: near misses of the token, odd bytes and sizes are all refused, nothing stored. */
  @Test
  void connectRefusesEveryTokenButTheRightOne(MotoAws aws) {
    aws.putToken(TOKEN);
    WsConnectHandler handler = new WsConnectHandler(aws.db(), aws.ssm(), aws.settings(), clock);
    List<String> wrong =
        new java.util.ArrayList<>(
            List.of(
                "",
                " ",
                TOKEN + " ",
                " " + TOKEN,
                TOKEN.toUpperCase(java.util.Locale.ROOT),
                TOKEN.substring(1),
                TOKEN.substring(0, TOKEN.length() - 1),
                TOKEN + TOKEN,
                "Bearer " + TOKEN,
                TOKEN.replace('-', '_'),
                TOKEN + "\u0000",
                "s3cret-token-for-tests-only\u200b",
                "x".repeat(100_000)));
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 200; i++) {
      char[] mutated = TOKEN.toCharArray();
      mutated[random.nextInt(mutated.length)] = (char) (32 + random.nextInt(0x3000));
      wrong.add(new String(mutated));
    }

    for (String token : wrong) {
      if (token.equals(TOKEN)) {
        continue;
      }
      assertThat(handler.handleRequest(connect("conn-F=", token), null).getStatusCode())
          .as("token %s", token.length() > 40 ? token.length() + " characters" : token)
          .isEqualTo(401);
    }
    assertThat(aws.scan(MotoAws.CONNECTIONS)).isEmpty();
    assertThat(handler.handleRequest(connect("conn-G=", TOKEN), null).getStatusCode())
        .isEqualTo(200);
  }

  @Test
  void connectIsRefusedWhenTheTokenParameterIsMissing(MotoAws aws) {
    WsConnectHandler handler = new WsConnectHandler(aws.db(), aws.ssm(), aws.settings(), clock);

    assertThat(handler.handleRequest(connect("conn-D=", TOKEN), null).getStatusCode())
        .isEqualTo(500);
    assertThat(aws.scan(MotoAws.CONNECTIONS)).isEmpty();
  }

  @Test
  void aRotatedTokenTakesEffectOnceTheCacheExpires(MotoAws aws) {
    aws.putToken(TOKEN);
    WsConnectHandler handler = new WsConnectHandler(aws.db(), aws.ssm(), aws.settings(), clock);
    assertThat(handler.handleRequest(connect("conn-E=", TOKEN), null).getStatusCode())
        .isEqualTo(200);

    aws.putToken("rotated-token");
    assertThat(handler.handleRequest(connect("conn-F=", "rotated-token"), null).getStatusCode())
        .as("still the cached token")
        .isEqualTo(401);
    clock.forward(Duration.ofMinutes(6));
    assertThat(handler.handleRequest(connect("conn-G=", "rotated-token"), null).getStatusCode())
        .isEqualTo(200);
    assertThat(handler.handleRequest(connect("conn-H=", TOKEN), null).getStatusCode())
        .isEqualTo(401);
  }

  @Test
  void disconnectForgetsTheConnection(MotoAws aws) {
    aws.putToken(TOKEN);
    new WsConnectHandler(aws.db(), aws.ssm(), aws.settings(), clock)
        .handleRequest(connect("conn-I=", TOKEN), null);
    new WsConnectHandler(aws.db(), aws.ssm(), aws.settings(), clock)
        .handleRequest(connect("conn-J=", TOKEN), null);

    APIGatewayV2WebSocketResponse response =
        new WsDisconnectHandler(aws.db(), aws.settings(), clock)
            .handleRequest(
                Events.load(
                    "ws-disconnect.json",
                    APIGatewayV2WebSocketEvent.class,
                    json ->
                        ((ObjectNode) json.get("requestContext")).put("connectionId", "conn-I=")),
                null);

    assertThat(response.getStatusCode()).isEqualTo(200);
    assertThat(aws.scan(MotoAws.CONNECTIONS))
        .extracting(item -> item.get("connection_id").s())
        .containsExactly("conn-J=");
  }

  static APIGatewayV2WebSocketEvent connect(String connectionId, String token) {
    return Events.load(
        "ws-connect.json",
        APIGatewayV2WebSocketEvent.class,
        json -> {
          ((ObjectNode) json.get("requestContext")).put("connectionId", connectionId);
          if (token == null) {
            json.remove("queryStringParameters");
            json.remove("multiValueQueryStringParameters");
          } else {
            ((ObjectNode) json.get("queryStringParameters")).put("token", token);
            ((ObjectNode) json.get("multiValueQueryStringParameters"))
                .set("token", json.arrayNode().add(token));
          }
        });
  }
}
