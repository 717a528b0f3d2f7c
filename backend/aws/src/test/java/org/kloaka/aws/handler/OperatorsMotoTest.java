package org.kloaka.aws.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kloaka.aws.moto.Moto;
import org.kloaka.aws.moto.MotoAws;
import org.kloaka.aws.moto.PushRecorder;
import org.kloaka.aws.moto.StreamTap;
import org.kloaka.testing.TestClock;

/**
 * Operators, roles, acknowledge, comments and the timeline on the AWS handlers against moto: the
 * REST Lambda's router over DynamoDB, the WebSocket $connect gate, and a removed operator's
 * connections closed through the management API (recorded by {@link PushRecorder}).
 */
@Moto
class OperatorsMotoTest {

  private static final String TOKEN = "operators-test-install-token";
  private static final long T0 = 1_795_860_000L;

  private final TestClock clock = new TestClock(Instant.ofEpochSecond(T0));

  @RegisterExtension final MotoHandlers handlers = new MotoHandlers(clock, TOKEN);

  private MotoAws aws;

  @BeforeEach
  void wire(MotoAws aws) {
    this.aws = aws;
  }

  private APIGatewayV2HTTPResponse call(String method, String path, String token, String body) {
    String query = null;
    int q = path.indexOf('?');
    if (q >= 0) {
      query = path.substring(q + 1);
      path = path.substring(0, q);
    }
    return handlers.call(method, path, query, token, body);
  }

  private String add(String name, String role) throws Exception {
    JsonNode added =
        handlers.body(
            call(
                "POST",
                "/operators",
                TOKEN,
                "{\"name\": \"" + name + "\", \"role\": \"" + role + "\"}"),
            201);
    assertThat(added.path("role").asText()).isEqualTo(role);
    return added.path("token").asText();
  }

  private void openProblem(String upstream, String downstream) {
    for (String[] reading : new String[][] {{"01", upstream}, {"02", downstream}}) {
      handlers.publish("{\"id\": \"" + reading[0] + "\", \"filling\": \"" + reading[1] + "\"}");
    }
  }

  @Test
  void everyRoleGetsWhatItsRoleAllowsAndNothingElse() throws Exception {
    openProblem("100", "50");
    handlers.inspector().handleRequest(handlers.devicesStream().nextEvent(), null);
    Map<String, String> tokens = new LinkedHashMap<>();
    tokens.put("viewer", add("vera", "viewer"));
    tokens.put("operator", add("maria", "operator"));
    tokens.put("admin", TOKEN);
    tokens.put("ingest", add("ttn", "ingest"));
    // method, path, body, the roles allowed
    String[][] routes = {
      {"GET", "/devices", null, "viewer operator admin"},
      {"GET", "/problems/0102", null, "viewer operator admin"},
      {"GET", "/problems/0102/events", null, "viewer operator admin"},
      {"GET", "/me", null, "viewer operator admin"},
      {"GET", "/status", null, "viewer operator admin"},
      {"PATCH", "/problems/0102", "{\"acknowledged\": true}", "operator admin"},
      {"POST", "/problems/0102/comments", "{\"note\": \"x\"}", "operator admin"},
      {"GET", "/operators", null, "admin"},
      {"POST", "/operators", "{\"name\": \"NAME\", \"role\": \"viewer\"}", "admin"},
      {"POST", "/uplinks", "{\"id\": \"05\", \"filling\": \"100\"}", "ingest admin"},
    };
    StringBuilder matrix = new StringBuilder("route | viewer | operator | admin | ingest | none");
    int n = 0;
    for (String[] route : routes) {
      matrix.append('\n').append(route[0]).append(' ').append(route[1]);
      for (Map.Entry<String, String> caller : tokens.entrySet()) {
        String body = route[2] == null ? null : route[2].replace("NAME", "new" + n++);
        int status = call(route[0], route[1], caller.getValue(), body).getStatusCode();
        matrix.append(" | ").append(status);
        if (List.of(route[3].split(" ")).contains(caller.getKey())) {
          assertThat(status).as(route[1] + " as " + caller.getKey()).isIn(200, 201);
        } else {
          assertThat(status).as(route[1] + " as " + caller.getKey()).isEqualTo(403);
        }
      }
      int none = call(route[0], route[1], null, route[2]).getStatusCode();
      matrix.append(" | ").append(none);
      assertThat(none).isEqualTo(401);
    }
    System.out.println("AWS role x route matrix:\n" + matrix);
  }

  @Test
  void aRemovedOperatorIsRefusedAndItsConnectionsAreClosedThroughTheManagementApi()
      throws Exception {
    String maria = add("maria", "operator");
    String vera = add("vera", "viewer");
    String ttn = add("ttn", "ingest");
    WsConnectHandler gate = new WsConnectHandler(aws.db(), aws.ssm(), aws.settings(), clock);
    assertThat(
            gate.handleRequest(WebSocketHandlersMotoTest.connect("m1=", maria), null)
                .getStatusCode())
        .isEqualTo(200);
    assertThat(
            gate.handleRequest(WebSocketHandlersMotoTest.connect("m2=", maria), null)
                .getStatusCode())
        .isEqualTo(200);
    assertThat(
            gate.handleRequest(WebSocketHandlersMotoTest.connect("v1=", vera), null)
                .getStatusCode())
        .isEqualTo(200);
    assertThat(
            gate.handleRequest(WebSocketHandlersMotoTest.connect("t1=", ttn), null).getStatusCode())
        .as("an ingest token's handshake is refused")
        .isEqualTo(401);

    long started = System.nanoTime();
    assertThat(call("DELETE", "/operators/maria", TOKEN, null).getStatusCode()).isEqualTo(204);
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.println("DELETE /operators/maria closed its connections in " + millis + " ms");
    assertThat(handlers.consoles().deleted()).containsExactlyInAnyOrder("m1=", "m2=");
    assertThat(millis).isLessThan(5_000);
    List<String> left = new ArrayList<>();
    aws.scan(MotoAws.CONNECTIONS).forEach(item -> left.add(item.get("connection_id").s()));
    assertThat(left).containsExactly("v1=");
    assertThat(call("GET", "/me", maria, null).getStatusCode()).isEqualTo(401);
    assertThat(call("GET", "/me", vera, null).getStatusCode()).isEqualTo(200);
    assertThat(
            gate.handleRequest(WebSocketHandlersMotoTest.connect("m3=", maria), null)
                .getStatusCode())
        .isEqualTo(401);
    assertThat(call("DELETE", "/operators/maria", TOKEN, null).getStatusCode()).isEqualTo(404);
    JsonNode list = handlers.body(call("GET", "/operators", TOKEN, null), 200);
    assertThat(list.path("operators"))
        .extracting(o -> o.path("name").asText())
        .containsExactly("ttn", "vera");
    assertThat(aws.scan(MotoAws.OPERATORS).toString()).doesNotContain(vera);
  }

  @Test
  void theTimelineSpansTwoOccurrencesAndARedeliveredStreamRecordAddsNoEvent() throws Exception {
    String maria = add("maria", "operator");
    DeviceStreamHandler inspector = handlers.inspector();
    StreamTap devices = handlers.devicesStream();
    openProblem("100", "50");
    var batch = devices.nextEvent();
    inspector.handleRequest(batch, null);
    inspector.handleRequest(batch, null); // redelivered

    clock.forward(Duration.ofSeconds(30));
    JsonNode seen =
        handlers.body(
            call("PATCH", "/problems/0102", maria, "{\"acknowledged\": true, \"note\": \"seen\"}"),
            200);
    assertThat(seen.path("acknowledged_by").asText()).isEqualTo("maria");
    handlers.body(call("POST", "/problems/0102/comments", maria, "{\"note\": \"crew 3\"}"), 201);
    clock.forward(Duration.ofSeconds(30));
    JsonNode resolved =
        handlers.body(
            call("PATCH", "/problems/0102", maria, "{\"problem_status\": \"RESOLVED\"}"), 200);
    assertThat(resolved.path("resolved_by").asText()).isEqualTo("maria");
    assertThat(
            call(
                    "PATCH",
                    "/problems/0102",
                    maria,
                    "{\"problem_status\": \"RESOLVED\", \"resolved_by\": \"ivo\"}")
                .getStatusCode())
        .isEqualTo(400);

    clock.forward(Duration.ofSeconds(600));
    openProblem("100", "0");
    inspector.handleRequest(devices.nextEvent(), null);

    JsonNode events = handlers.body(call("GET", "/problems/0102/events", maria, null), 200);
    List<String> timeline = new ArrayList<>();
    events
        .path("events")
        .forEach(
            e ->
                timeline.add(
                    e.path("type").asText()
                        + "@"
                        + (e.path("time").asLong() - T0)
                        + "/"
                        + (e.path("problem_time").asLong() - T0)));
    assertThat(timeline)
        .containsExactly(
            "opened@0/0", "acknowledged@30/0", "comment@30/0", "resolved@60/0", "opened@660/660");
    assertThat(
            handlers
                .body(call("GET", "/problems/0102/events?limit=1", maria, null), 200)
                .path("events"))
        .hasSize(1);
  }
}
