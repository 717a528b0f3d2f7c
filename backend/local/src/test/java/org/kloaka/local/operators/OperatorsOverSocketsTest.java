package org.kloaka.local.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kloaka.local.RunningRuntime.send;
import static org.kloaka.local.RunningRuntime.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.api.Json;
import org.kloaka.local.LocalConfig;
import org.kloaka.local.LocalRuntime;
import org.kloaka.local.PushClient;
import org.kloaka.testing.TestClock;

/**
 * Operators, roles, acknowledge, comments and the timeline against a real local runtime: REST over
 * HTTP and the WebSocket on their ports (docs/api.md, docs/problems.md, docs/websocket.md).
 */
public class OperatorsOverSocketsTest {

  static final long T = 1_795_860_000L;
  static final ObjectMapper JSON = Json.newMapper();

  @TempDir Path dir;
  final TestClock clock = TestClock.atEpochSecond(T);
  final List<AutoCloseable> toClose = new ArrayList<>();

  LocalRuntime start() {
    LocalRuntime runtime =
        LocalRuntime.start(
            LocalConfig.defaults()
                .withDataDir(dir.resolve("data"))
                .withPorts(0, 0, 0)
                .withEnv(Map.of())
                .withClock(clock)
                .withoutMqtt());
    toClose.add(0, runtime);
    return runtime;
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable each : toClose) {
      each.close();
    }
  }

  public static HttpResponse<String> call(
      LocalRuntime runtime, String method, String path, String body, String token)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(runtime.httpUri() + path))
            .timeout(Duration.ofSeconds(10))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return send(runtime, request);
  }

  static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  /** Adds an operator as the admin; answers its token. */
  static String add(LocalRuntime runtime, String name, String role) throws Exception {
    HttpResponse<String> added =
        call(
            runtime,
            "POST",
            "/operators",
            "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}",
            runtime.token());
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    JsonNode body = json(added);
    assertThat(body.path("name").asText()).isEqualTo(name);
    assertThat(body.path("role").asText()).isEqualTo(role);
    assertThat(body.path("created").asLong()).isEqualTo(T);
    assertThat(body.path("token").asText()).hasSizeGreaterThanOrEqualTo(43);
    return body.path("token").asText();
  }

  record Route(String method, String path, String body, String access) {}

  static final List<Route> ROUTES =
      List.of(
          new Route("GET", "/health", null, "open"),
          new Route("GET", "/devices", null, "read"),
          new Route("GET", "/devices/01", null, "read"),
          new Route("GET", "/devices/01/measurements", null, "read"),
          new Route("GET", "/problems", null, "read"),
          new Route("GET", "/problems/0102", null, "read"),
          new Route("GET", "/problems/0102/events", null, "read"),
          new Route("GET", "/rejects", null, "read"),
          new Route("GET", "/network", null, "read"),
          new Route("GET", "/status", null, "read"),
          new Route("GET", "/me", null, "read"),
          new Route("PATCH", "/problems/0102", "{\"acknowledged\": true}", "act"),
          new Route("POST", "/problems/0102/comments", "{\"note\": \"on my way\"}", "act"),
          new Route("GET", "/operators", null, "admin"),
          new Route("POST", "/operators", "{\"name\": \"NAME\", \"role\": \"viewer\"}", "admin"),
          new Route("DELETE", "/operators/nobody", null, "admin"),
          new Route("POST", "/uplinks", "{\"id\": \"05\", \"filling\": \"100\"}", "uplink"),
          new Route("WS", "/?token=", null, "read"));

  static boolean allowed(String access, String role) {
    return switch (access) {
      case "open" -> true;
      case "read" -> List.of("viewer", "operator", "admin").contains(role);
      case "act" -> List.of("operator", "admin").contains(role);
      case "admin" -> role.equals("admin");
      case "uplink" -> List.of("ingest", "admin").contains(role);
      default -> throw new AssertionError(access);
    };
  }

  @Test
  void everyRoleGetsWhatItsRoleAllowsOnEveryRouteAnd403OrElse401() throws Exception {
    LocalRuntime runtime = start();
    submit(runtime, "01", "100");
    submit(runtime, "02", "50");
    Map<String, String> tokens = new LinkedHashMap<>();
    tokens.put("no token", null);
    tokens.put("wrong token", "x".repeat(43));
    tokens.put("viewer", add(runtime, "vera", "viewer"));
    tokens.put("operator", add(runtime, "maria", "operator"));
    tokens.put("admin", runtime.token());
    tokens.put("ingest", add(runtime, "ttn", "ingest"));
    tokens.put("admin operator", add(runtime, "boss", "admin"));

    StringBuilder matrix = new StringBuilder("route");
    tokens.keySet().forEach(k -> matrix.append(" | ").append(k));
    int checked = 0;
    for (Route route : ROUTES) {
      matrix.append('\n').append(route.method()).append(' ').append(route.path());
      for (Map.Entry<String, String> caller : tokens.entrySet()) {
        String role = caller.getKey().equals("admin operator") ? "admin" : caller.getKey();
        int status = status(runtime, route, caller.getValue(), checked);
        matrix.append(" | ").append(status);
        String what = route.method() + " " + route.path() + " as " + caller.getKey();
        if (route.access().equals("open")) {
          assertThat(status).as(what).isEqualTo(200);
        } else if (caller.getValue() == null || caller.getKey().equals("wrong token")) {
          assertThat(status).as(what).isEqualTo(401);
        } else if (allowed(route.access(), role)) {
          assertThat(status).as(what).isIn(200, 201, 204, 101);
        } else {
          assertThat(status).as(what).isEqualTo(route.method().equals("WS") ? 401 : 403);
        }
        checked++;
      }
    }
    System.out.println("Role x route matrix (HTTP status; WS: 101 accepted):\n" + matrix);
    assertThat(checked).isEqualTo(ROUTES.size() * tokens.size());
  }

  /** The status of one call; DELETE of an unknown operator is 404 when allowed, counted as 204. */
  private int status(LocalRuntime runtime, Route route, String token, int n) throws Exception {
    if (route.method().equals("WS")) {
      if (token == null) {
        return 401;
      }
      PushClient client = new PushClient(URI.create(runtime.wsUri() + "/?token=" + token));
      boolean open = client.connectBlocking(10, TimeUnit.SECONDS);
      client.closeBlocking();
      return open ? 101 : 401;
    }
    String body = route.body() == null ? null : route.body().replace("NAME", "new" + n);
    HttpResponse<String> response = call(runtime, route.method(), route.path(), body, token);
    int status = response.statusCode();
    if (route.method().equals("DELETE") && status == 404) {
      assertThat(response.body()).contains("no operator 'nobody'");
      return 204;
    }
    return status == 201 ? 201 : status;
  }

  @Test
  void acknowledgeCommentResolveAreTheCallersAndTheTimelineSpansTwoOccurrences() throws Exception {
    LocalRuntime runtime = start();
    String maria = add(runtime, "maria", "operator");
    PushClient console = PushClient.connect(runtime.wsUri(), maria);
    toClose.add(0, console::closeBlocking);
    submit(runtime, "01", "100");
    submit(runtime, "02", "50");

    HttpResponse<String> seen =
        call(
            runtime,
            "PATCH",
            "/problems/0102",
            "{\"acknowledged\": true, \"note\": \"crew 3 on the way\"}",
            maria);
    assertThat(seen.statusCode()).as(seen.body()).isEqualTo(200);
    assertThat(json(seen).path("acknowledged_by").asText()).isEqualTo("maria");
    assertThat(json(seen).path("acknowledged_time").asLong()).isEqualTo(T);
    assertThat(json(seen).path("problem_status").asText()).isEqualTo("UNRESOLVED");
    console.await(PushClient.problem("0102", "acknowledged_by", "maria"));
    HttpResponse<String> again =
        call(runtime, "PATCH", "/problems/0102", "{\"acknowledged\": true}", runtime.token());
    assertThat(json(again).path("acknowledged_by").asText())
        .as("again: nothing")
        .isEqualTo("maria");

    clock.forward(Duration.ofSeconds(60));
    HttpResponse<String> comment =
        call(runtime, "POST", "/problems/0102/comments", "{\"note\": \"flushing\"}", maria);
    assertThat(comment.statusCode()).as(comment.body()).isEqualTo(201);
    assertThat(json(comment).path("type").asText()).isEqualTo("comment");
    assertThat(json(comment).path("by").asText()).isEqualTo("maria");
    assertThat(json(comment).path("problem_time").asLong()).isEqualTo(T);

    clock.forward(Duration.ofSeconds(60));
    submit(runtime, "02", "93.1"); // the flow looks normal again
    JsonNode inactive = json(call(runtime, "GET", "/problems/0102", null, maria));
    assertThat(inactive.path("active").asBoolean()).isFalse();
    assertThat(inactive.path("downstream_value").asText()).as("the fault's value").isEqualTo("50");
    HttpResponse<String> resolved =
        call(
            runtime,
            "PATCH",
            "/problems/0102",
            "{\"problem_status\": \"RESOLVED\", \"note\": \"Crew 3 flushed, ok\"}",
            maria);
    assertThat(json(resolved).path("resolved_by").asText()).isEqualTo("maria");

    clock.forward(Duration.ofSeconds(600));
    submit(runtime, "02", "40"); // a new occurrence replaces the resolved record
    JsonNode fresh = json(call(runtime, "GET", "/problems/0102", null, maria));
    assertThat(fresh.path("problem_time").asLong()).isEqualTo(T + 720);
    assertThat(fresh.path("acknowledged_by").isNull()).isTrue();
    // A redelivered message (same reading, same second) adds no event.
    submit(runtime, "02", "40");

    JsonNode events = json(call(runtime, "GET", "/problems/0102/events", null, maria));
    List<String> timeline = new ArrayList<>();
    events
        .path("events")
        .forEach(
            e ->
                timeline.add(
                    e.path("type").asText()
                        + "@"
                        + (e.path("time").asLong() - T)
                        + " "
                        + e.path("by").asText("-")
                        + " occurrence "
                        + (e.path("problem_time").asLong() - T)));
    assertThat(timeline)
        .containsExactly(
            "opened@0 - occurrence 0",
            "acknowledged@0 maria occurrence 0",
            "comment@60 maria occurrence 0",
            "inactive@120 - occurrence 0",
            "resolved@120 maria occurrence 0",
            "opened@720 - occurrence 720");
    assertThat(events.path("events").get(4).path("note").asText()).isEqualTo("Crew 3 flushed, ok");
    JsonNode lastTwo = json(call(runtime, "GET", "/problems/0102/events?limit=2", null, maria));
    assertThat(lastTwo.path("events")).hasSize(2);
    assertThat(call(runtime, "GET", "/problems/0203/events", null, maria).statusCode())
        .isEqualTo(404);
  }

  @Test
  void badBodiesAre400AndATakenNameIs409() throws Exception {
    LocalRuntime runtime = start();
    String admin = runtime.token();
    String maria = add(runtime, "maria", "operator");
    submit(runtime, "01", "100");
    submit(runtime, "02", "50");
    Map<String, String> badOperators = new LinkedHashMap<>();
    badOperators.put("{\"name\": \"maria rossi\", \"role\": \"viewer\"}", "no spaces");
    badOperators.put("{\"name\": \"" + "m".repeat(65) + "\", \"role\": \"viewer\"}", "at most 64");
    badOperators.put("{\"name\": \"ivo\", \"role\": \"chief\"}", "no role 'chief'");
    badOperators.put("{\"name\": \"ivo\"}", "role is missing");
    badOperators.put("{\"name\": \"\", \"role\": \"viewer\"}", "must not be empty");
    badOperators.put("{\"name\": \"ivo\", \"role\": \"viewer\", \"x\": 1}", "unknown field 'x'");
    for (Map.Entry<String, String> bad : badOperators.entrySet()) {
      HttpResponse<String> answer = call(runtime, "POST", "/operators", bad.getKey(), admin);
      assertThat(answer.statusCode()).as(bad.getKey()).isEqualTo(400);
      assertThat(json(answer).path("error").asText()).as(bad.getKey()).contains(bad.getValue());
    }
    assertThat(add(runtime, "m".repeat(64), "viewer")).as("64 characters are fine").isNotEmpty();
    HttpResponse<String> taken =
        call(runtime, "POST", "/operators", "{\"name\":\"maria\",\"role\":\"viewer\"}", admin);
    assertThat(taken.statusCode()).isEqualTo(409);
    HttpResponse<String> install =
        call(runtime, "POST", "/operators", "{\"name\":\"admin\",\"role\":\"viewer\"}", admin);
    assertThat(install.statusCode()).as("the install token's name").isEqualTo(409);

    Map<String, String> badPatches = new LinkedHashMap<>();
    badPatches.put("{\"acknowledged\": false}", "acknowledged must be true");
    badPatches.put(
        "{\"problem_status\": \"RESOLVED\", \"resolved_by\": \"ivo\"}", "caller's own name");
    badPatches.put("{\"note\": \"only a note\"}", "send \"problem_status\"");
    for (Map.Entry<String, String> bad : badPatches.entrySet()) {
      HttpResponse<String> answer = call(runtime, "PATCH", "/problems/0102", bad.getKey(), maria);
      assertThat(answer.statusCode()).as(bad.getKey()).isEqualTo(400);
      assertThat(json(answer).path("error").asText()).as(bad.getKey()).contains(bad.getValue());
    }
    Map<String, String> badComments = new LinkedHashMap<>();
    badComments.put("{\"note\": \"\"}", "1 to 2000");
    badComments.put("{\"note\": \"" + "c".repeat(2001) + "\"}", "at most 2000");
    badComments.put("{}", "1 to 2000");
    for (Map.Entry<String, String> bad : badComments.entrySet()) {
      HttpResponse<String> answer =
          call(runtime, "POST", "/problems/0102/comments", bad.getKey(), maria);
      assertThat(answer.statusCode()).as(bad.getKey()).isEqualTo(400);
      assertThat(json(answer).path("error").asText()).as(bad.getKey()).contains(bad.getValue());
    }
    HttpResponse<String> longest =
        call(
            runtime,
            "POST",
            "/problems/0102/comments",
            "{\"note\": \"" + "c".repeat(2000) + "\"}",
            maria);
    assertThat(longest.statusCode()).isEqualTo(201);
    JsonNode problem = json(call(runtime, "GET", "/problems/0102", null, maria));
    assertThat(problem.path("acknowledged_time").isNull()).as("nothing changed").isTrue();
    assertThat(problem.path("problem_status").asText()).isEqualTo("UNRESOLVED");
    JsonNode events = json(call(runtime, "GET", "/problems/0102/events", null, maria));
    assertThat(events.path("events")).hasSize(2); // opened, the 2,000-character comment
  }

  @Test
  void aRemovedOperatorsTokenIsRefusedAndItsWebSocketsCloseWithinFiveSeconds() throws Exception {
    LocalRuntime runtime = start();
    String maria = add(runtime, "maria", "operator");
    String vera = add(runtime, "vera", "viewer");
    PushClient first = PushClient.connect(runtime.wsUri(), maria);
    PushClient second = PushClient.connect(runtime.wsUri(), maria);
    PushClient other = PushClient.connect(runtime.wsUri(), vera);
    toClose.add(0, first::closeBlocking);
    toClose.add(0, second::closeBlocking);
    toClose.add(0, other::closeBlocking);
    assertThat(call(runtime, "GET", "/me", null, maria).body()).contains("\"maria\"");

    long started = System.nanoTime();
    assertThat(call(runtime, "DELETE", "/operators/maria", null, runtime.token()).statusCode())
        .isEqualTo(204);
    assertThat(call(runtime, "GET", "/me", null, maria).statusCode())
        .as("refused on the next call")
        .isEqualTo(401);
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> first.closed.isDone() && second.closed.isDone());
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    System.out.println(
        "WebSocket connections of the removed operator closed after " + millis + " ms");
    assertThat(first.closeCode).isEqualTo(1008);
    assertThat(other.isOpen()).as("another operator's connection stays").isTrue();
    assertThat(call(runtime, "GET", "/me", null, vera).statusCode()).isEqualTo(200);
    PushClient again = new PushClient(URI.create(runtime.wsUri() + "/?token=" + maria));
    assertThat(again.connectBlocking(10, TimeUnit.SECONDS)).as("handshake refused").isFalse();
    assertThat(call(runtime, "DELETE", "/operators/maria", null, runtime.token()).statusCode())
        .isEqualTo(404);
  }

  @Test
  void operatorsAndTheirTokensSurviveARestart() throws Exception {
    LocalRuntime runtime = start();
    String maria = add(runtime, "maria", "operator");
    runtime.close();
    toClose.remove(runtime);

    LocalRuntime restarted = start();
    HttpResponse<String> me = call(restarted, "GET", "/me", null, maria);
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(json(me).path("name").asText()).isEqualTo("maria");
    assertThat(json(me).path("role").asText()).isEqualTo("operator");
    JsonNode list = json(call(restarted, "GET", "/operators", null, restarted.token()));
    assertThat(list.path("operators")).hasSize(1);
    assertThat(list.toString()).doesNotContain(maria).doesNotContain("token");
  }
}
