package org.kloaka.aws.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kloaka.aws.config.Settings;
import org.kloaka.aws.moto.HttpApiCall;
import org.kloaka.aws.moto.Moto;
import org.kloaka.aws.moto.MotoAws;
import org.kloaka.aws.moto.StreamTap;
import org.kloaka.testing.TestClock;

/** The REST Lambda on real HTTP API events, over the tables the organizer and inspector wrote. */
@Moto
class RestHandlerMotoTest {

  private static final String TOKEN = "rest-test-token";
  private static final long T0 = 1_795_860_000L;

  private final TestClock clock = new TestClock(Instant.ofEpochSecond(T0));

  @RegisterExtension final MotoHandlers handlers = new MotoHandlers(clock, TOKEN);

  private MotoAws aws;

  @BeforeEach
  void wire(MotoAws aws) {
    this.aws = aws;
  }

  @Test
  void healthNeedsNoTokenAndEverythingElseDoes() throws Exception {
    APIGatewayV2HTTPResponse health = handlers.call("GET", "/health", null, null, null);
    assertThat(health.getStatusCode()).isEqualTo(200);
    assertThat(handlers.json(health.getBody())).isEqualTo(handlers.json("{\"status\":\"ok\"}"));
    assertThat(health.getHeaders())
        .containsEntry("Content-Type", "application/json; charset=utf-8");

    for (String token : new String[] {null, "wrong"}) {
      APIGatewayV2HTTPResponse refused = handlers.call("GET", "/devices", null, token, null);
      assertThat(refused.getStatusCode()).isEqualTo(401);
      assertThat(handlers.json(refused.getBody()).path("error").asText()).isNotBlank();
    }
  }

  @Test
  void unknownPathsAndMethodsGetTheContractsJsonErrors() throws Exception {
    APIGatewayV2HTTPResponse missing = handlers.call("GET", "/nothing-here", null, TOKEN, null);
    assertThat(missing.getStatusCode()).isEqualTo(404);
    assertThat(handlers.json(missing.getBody()).path("error").asText()).isNotBlank();
    APIGatewayV2HTTPResponse wrongMethod = handlers.call("DELETE", "/devices", null, TOKEN, null);
    assertThat(wrongMethod.getStatusCode()).isEqualTo(405);
  }

  @Test
  void devicesMeasurementsAndRejectsComeFromTheTablesTheOrganizerWrote() throws Exception {
    handlers.publish("{\"id\": \"02\", \"filling\": \"50\"}");
    clock.forward(Duration.ofSeconds(60));
    handlers.publish("{\"id\": \"01\", \"filling\": 100}");
    clock.forward(Duration.ofSeconds(60));
    handlers.publish("{\"id\": \"01\", \"filling\": \"75\"}");
    handlers.publish("{\"id\": \"01\"}");

    JsonNode devices = handlers.body(handlers.call("GET", "/devices", null, TOKEN, null), 200);
    assertThat(devices.path("devices")).hasSize(2);
    assertThat(devices.path("devices").get(0).path("id").asText()).isEqualTo("01");
    assertThat(devices.path("devices").get(0).path("last_value").asText()).isEqualTo("75");
    assertThat(devices.path("devices").get(0).has("measurements")).isFalse();

    JsonNode one = handlers.body(handlers.call("GET", "/devices/01", null, TOKEN, null), 200);
    assertThat(one.path("measurements")).hasSize(2);

    JsonNode measurements =
        handlers.body(
            handlers.call("GET", "/devices/01/measurements", "since=0&limit=1", TOKEN, null), 200);
    assertThat(measurements.path("measurements")).hasSize(1);
    assertThat(measurements.path("measurements").get(0).path("filling").asText()).isEqualTo("75");

    JsonNode rejects = handlers.body(handlers.call("GET", "/rejects", null, TOKEN, null), 200);
    assertThat(rejects.path("rejects")).hasSize(1);
    assertThat(rejects.path("rejects").get(0).path("payload").asText())
        .isEqualTo("{\"id\": \"01\"}");

    assertThat(handlers.call("GET", "/devices/77", null, TOKEN, null).getStatusCode())
        .isEqualTo(404);
  }

  @Test
  void resolvingAProblemIsStoredAndPushedThroughTheProblemsStream() throws Exception {
    DeviceStreamHandler inspector = handlers.inspector();
    StreamTap devices = handlers.devicesStream();
    StreamTap problems = handlers.problemsStream();
    handlers.publish("{\"id\": \"01\", \"filling\": \"0\"}");
    handlers.publish("{\"id\": \"02\", \"filling\": \"100\"}");
    inspector.handleRequest(devices.nextEvent(), null);
    problems.nextEvent(); // the new problem's record, pushed earlier

    clock.forward(Duration.ofMinutes(30));
    String patch = "{\"problem_status\": \"RESOLVED\", \"note\": \"cleared the grate\"}";
    JsonNode resolved =
        handlers.body(handlers.call("PATCH", "/problems/0102", null, TOKEN, patch), 200);
    assertThat(resolved.path("problem_status").asText()).isEqualTo("RESOLVED");
    assertThat(resolved.path("resolved_time").asLong()).isEqualTo(clock.seconds());
    assertThat(resolved.path("note").asText()).isEqualTo("cleared the grate");

    JsonNode unresolved =
        handlers.body(handlers.call("GET", "/problems", "status=UNRESOLVED", TOKEN, null), 200);
    assertThat(unresolved.path("problems")).isEmpty();
    assertThat(
            handlers
                .call("PATCH", "/problems/0102", null, TOKEN, "{\"problem_status\": \"OPEN\"}")
                .getStatusCode())
        .isEqualTo(400);

    aws.db()
        .putItem(
            r ->
                r.tableName(MotoAws.CONNECTIONS)
                    .item(
                        Map.of(
                            "connection_id",
                                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                                    "c1="),
                            "expires_at",
                                software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromN(
                                    Long.toString(T0 + 7200)))));
    handlers.notifier().handleRequest(problems.nextEvent(), null);
    List<String> frames = handlers.consoles().bodiesFor("c1=");
    assertThat(frames).hasSize(1);
    JsonNode frame = handlers.json(frames.get(0));
    assertThat(frame.path("type").asText()).isEqualTo("problem");
    assertThat(frame.path("problem").path("problem_status").asText()).isEqualTo("RESOLVED");
  }

  @Test
  void aBase64BodyIsDecodedAndAnOversizedOneIsRefused() throws Exception {
    APIGatewayV2HTTPResponse notFound =
        handlers.call(
            HttpApiCall.event(
                "PATCH",
                "/problems/0102",
                null,
                TOKEN,
                Base64.getEncoder()
                    .encodeToString(
                        "{\"problem_status\": \"RESOLVED\"}".getBytes(StandardCharsets.UTF_8)),
                true,
                Map.of()));
    assertThat(notFound.getStatusCode()).isEqualTo(404);
    APIGatewayV2HTTPResponse tooBig =
        handlers.call(
            "PATCH", "/problems/0102", null, TOKEN, "{\"note\": \"" + "x".repeat(70_000) + "\"}");
    assertThat(tooBig.getStatusCode()).isEqualTo(413);
  }

  @Test
  void aNetworkFromTheEnvironmentIsServedAndABadOneStopsTheColdStart() throws Exception {
    String network =
        "{\"tubes\": [{\"id\": \"0\", \"name\": \"Via Roma trunk\", \"sensors\": [{\"id\": \"01\"}, {\"id\": \"02\"}]}]}";
    RestHandler withNetwork =
        new RestHandler(
            aws.db(), aws.ssm(), aws.settings(Map.of(Settings.NETWORK, network)), clock);
    APIGatewayV2HTTPResponse response =
        withNetwork.handleRequest(
            HttpApiCall.event("GET", "/network", null, TOKEN, null, false, Map.of()), null);
    JsonNode body = handlers.body(response, 200);
    assertThat(body.path("tubes").get(0).path("name").asText()).isEqualTo("Via Roma trunk");

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new RestHandler(
                    aws.db(),
                    aws.ssm(),
                    aws.settings(Map.of(Settings.NETWORK, "{\"tubes\": [{\"id\": 5}]}")),
                    clock))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(Settings.NETWORK);
  }
}
