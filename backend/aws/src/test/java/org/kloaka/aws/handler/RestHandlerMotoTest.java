package org.kloaka.aws.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kloaka.api.Json;
import org.kloaka.aws.config.Settings;
import org.kloaka.aws.moto.Events;
import org.kloaka.aws.moto.Moto;
import org.kloaka.aws.moto.MotoAws;
import org.kloaka.aws.moto.PushRecorder;
import org.kloaka.aws.moto.StreamTap;
import org.kloaka.testing.TestClock;

/** The REST Lambda on real HTTP API events, over the tables the organizer and inspector wrote. */
@Moto
class RestHandlerMotoTest {

  private static final String TOKEN = "rest-test-token";
  private static final long T0 = 1_795_860_000L;

  private final TestClock clock = new TestClock(Instant.ofEpochSecond(T0));
  private final ObjectMapper mapper = Json.newMapper();
  private MotoAws aws;
  private RestHandler rest;

  @BeforeEach
  void wire(MotoAws aws) {
    this.aws = aws;
    aws.putToken(TOKEN);
    rest = new RestHandler(aws.db(), aws.ssm(), aws.settings(), clock);
  }

  @Test
  void healthNeedsNoTokenAndEverythingElseDoes() throws Exception {
    APIGatewayV2HTTPResponse health = call("GET", "/health", null, null, null);
    assertThat(health.getStatusCode()).isEqualTo(200);
    assertThat(mapper.readTree(health.getBody())).isEqualTo(mapper.readTree("{\"status\":\"ok\"}"));
    assertThat(health.getHeaders())
        .containsEntry("Content-Type", "application/json; charset=utf-8");

    for (String token : new String[] {null, "wrong"}) {
      APIGatewayV2HTTPResponse refused = call("GET", "/devices", null, token, null);
      assertThat(refused.getStatusCode()).isEqualTo(401);
      assertThat(mapper.readTree(refused.getBody()).path("error").asText()).isNotBlank();
    }
  }

  @Test
  void unknownPathsAndMethodsGetTheContractsJsonErrors() throws Exception {
    APIGatewayV2HTTPResponse missing = call("GET", "/nothing-here", null, TOKEN, null);
    assertThat(missing.getStatusCode()).isEqualTo(404);
    assertThat(mapper.readTree(missing.getBody()).path("error").asText()).isNotBlank();
    APIGatewayV2HTTPResponse wrongMethod = call("DELETE", "/devices", null, TOKEN, null);
    assertThat(wrongMethod.getStatusCode()).isEqualTo(405);
  }

  @Test
  void devicesMeasurementsAndRejectsComeFromTheTablesTheOrganizerWrote() throws Exception {
    OrganizerHandler organizer = new OrganizerHandler(aws.db(), aws.settings(), clock);
    publish(organizer, "{\"id\": \"02\", \"filling\": \"50\"}");
    clock.forward(Duration.ofSeconds(60));
    publish(organizer, "{\"id\": \"01\", \"filling\": 100}");
    clock.forward(Duration.ofSeconds(60));
    publish(organizer, "{\"id\": \"01\", \"filling\": \"75\"}");
    publish(organizer, "{\"id\": \"01\"}");

    JsonNode devices = body(call("GET", "/devices", null, TOKEN, null), 200);
    assertThat(devices.path("devices")).hasSize(2);
    assertThat(devices.path("devices").get(0).path("id").asText()).isEqualTo("01");
    assertThat(devices.path("devices").get(0).path("last_value").asText()).isEqualTo("75");
    assertThat(devices.path("devices").get(0).has("measurements")).isFalse();

    JsonNode one = body(call("GET", "/devices/01", null, TOKEN, null), 200);
    assertThat(one.path("measurements")).hasSize(2);

    JsonNode measurements =
        body(call("GET", "/devices/01/measurements", "since=0&limit=1", TOKEN, null), 200);
    assertThat(measurements.path("measurements")).hasSize(1);
    assertThat(measurements.path("measurements").get(0).path("filling").asText()).isEqualTo("75");

    JsonNode rejects = body(call("GET", "/rejects", null, TOKEN, null), 200);
    assertThat(rejects.path("rejects")).hasSize(1);
    assertThat(rejects.path("rejects").get(0).path("payload").asText())
        .isEqualTo("{\"id\": \"01\"}");

    assertThat(call("GET", "/devices/77", null, TOKEN, null).getStatusCode()).isEqualTo(404);
  }

  @Test
  void resolvingAProblemIsStoredAndPushedThroughTheProblemsStream() throws Exception {
    OrganizerHandler organizer = new OrganizerHandler(aws.db(), aws.settings(), clock);
    DeviceStreamHandler inspector = new DeviceStreamHandler(aws.db(), aws.settings(), clock);
    StreamTap devices = aws.tap(MotoAws.DEVICES);
    StreamTap problems = aws.tap(MotoAws.PROBLEMS);
    publish(organizer, "{\"id\": \"01\", \"filling\": \"0\"}");
    publish(organizer, "{\"id\": \"02\", \"filling\": \"100\"}");
    inspector.handleRequest(devices.nextEvent(), null);
    problems.nextEvent(); // the new problem's record, pushed earlier

    clock.forward(Duration.ofMinutes(30));
    String patch = "{\"problem_status\": \"RESOLVED\", \"note\": \"cleared the grate\"}";
    JsonNode resolved = body(call("PATCH", "/problems/0102", null, TOKEN, patch), 200);
    assertThat(resolved.path("problem_status").asText()).isEqualTo("RESOLVED");
    assertThat(resolved.path("resolved_time").asLong()).isEqualTo(clock.seconds());
    assertThat(resolved.path("note").asText()).isEqualTo("cleared the grate");

    JsonNode unresolved = body(call("GET", "/problems", "status=UNRESOLVED", TOKEN, null), 200);
    assertThat(unresolved.path("problems")).isEmpty();
    assertThat(
            call("PATCH", "/problems/0102", null, TOKEN, "{\"problem_status\": \"OPEN\"}")
                .getStatusCode())
        .isEqualTo(400);

    try (PushRecorder consoles = new PushRecorder()) {
      aws.db()
          .putItem(
              r ->
                  r.tableName(MotoAws.CONNECTIONS)
                      .item(
                          Map.of(
                              "connection_id",
                                  software.amazon.awssdk.services.dynamodb.model.AttributeValue
                                      .fromS("c1="),
                              "expires_at",
                                  software.amazon.awssdk.services.dynamodb.model.AttributeValue
                                      .fromN(Long.toString(T0 + 7200)))));
      new NotifierHandler(aws.db(), consoles.client(), aws.settings(), clock)
          .handleRequest(problems.nextEvent(), null);
      List<String> frames = consoles.bodiesFor("c1=");
      assertThat(frames).hasSize(1);
      JsonNode frame = mapper.readTree(frames.get(0));
      assertThat(frame.path("type").asText()).isEqualTo("problem");
      assertThat(frame.path("problem").path("problem_status").asText()).isEqualTo("RESOLVED");
    }
  }

  @Test
  void aBase64BodyIsDecodedAndAnOversizedOneIsRefused() throws Exception {
    APIGatewayV2HTTPResponse notFound =
        call(
            "PATCH",
            "/problems/0102",
            null,
            TOKEN,
            Base64.getEncoder()
                .encodeToString(
                    "{\"problem_status\": \"RESOLVED\"}".getBytes(StandardCharsets.UTF_8)),
            true);
    assertThat(notFound.getStatusCode()).isEqualTo(404);
    APIGatewayV2HTTPResponse tooBig =
        call("PATCH", "/problems/0102", null, TOKEN, "{\"note\": \"" + "x".repeat(70_000) + "\"}");
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
        withNetwork.handleRequest(event("GET", "/network", null, TOKEN, null, false), null);
    JsonNode body = body(response, 200);
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

  private APIGatewayV2HTTPResponse call(
      String method, String path, String query, String token, String body) {
    return call(method, path, query, token, body, false);
  }

  private APIGatewayV2HTTPResponse call(
      String method, String path, String query, String token, String body, boolean base64) {
    return rest.handleRequest(event(method, path, query, token, body, base64), null);
  }

  static APIGatewayV2HTTPEvent event(
      String method, String path, String query, String token, String body, boolean base64) {
    return Events.load(
        "http-api.json",
        APIGatewayV2HTTPEvent.class,
        json -> {
          json.put("rawPath", path);
          json.put("rawQueryString", query == null ? "" : query);
          ObjectNode http = (ObjectNode) json.get("requestContext").get("http");
          http.put("method", method);
          http.put("path", path);
          if (token != null) {
            ((ObjectNode) json.get("headers")).put("authorization", "Bearer " + token);
          }
          if (body != null) {
            json.put("body", body);
            json.put("isBase64Encoded", base64);
            ((ObjectNode) json.get("headers")).put("content-type", "application/json");
          }
        });
  }

  private JsonNode body(APIGatewayV2HTTPResponse response, int status) throws Exception {
    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
    return mapper.readTree(response.getBody());
  }

  private static void publish(OrganizerHandler organizer, String payload) throws Exception {
    organizer.handleRequest(
        new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)),
        new ByteArrayOutputStream(),
        null);
  }
}
