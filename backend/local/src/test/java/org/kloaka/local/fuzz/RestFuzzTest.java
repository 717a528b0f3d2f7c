package org.kloaka.local.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.api.Json;
import org.kloaka.local.LocalConfig;
import org.kloaka.local.LocalRuntime;
import org.kloaka.local.fuzz.HttpRequests.Generated;
import org.kloaka.local.fuzz.HttpRequests.Kind;
import org.kloaka.local.fuzz.RawHttp.Answer;
import org.kloaka.local.fuzz.RawHttp.Exchange;

/**
 * Fuzzes the REST API over real sockets (docs/api.md): random methods, paths, query strings,
 * headers, bodies and broken framing, with good requests and device readings interleaved.
 *
 * <p>Properties: the server stays up; every request it can read gets the contract's JSON answer
 * ({@code {"error": …}} with 400/401/404/405/413/414/429/431, or 200) and never a 500; a request
 * without the right token never gets data; no answer and no log line shows a stack trace or
 * internals, and the log never shows the token; every interleaved reading is stored.
 */
@Tag("slow")
@Tag("fuzz")
class RestFuzzTest {

  static final Set<Integer> CONTRACT_STATUSES =
      Set.of(200, 400, 401, 404, 405, 413, 414, 417, 429, 431);
  static final ObjectMapper JSON = Json.newMapper();

  @TempDir Path dir;
  LocalRuntime runtime;

  @AfterEach
  void stop() {
    if (runtime != null) {
      runtime.close();
    }
  }

  @Test
  void everyRequestGetsTheContractsAnswerAndGoodInputIsAllStored() throws Exception {
    Fuzz fuzz = Fuzz.of("REST", 1_000, Duration.ofSeconds(10));
    Map<String, Integer> readings = new TreeMap<>();
    try (LogCapture log = LogCapture.start()) {
      runtime =
          LocalRuntime.start(
              LocalConfig.defaults()
                  .withDataDir(dir.resolve("data"))
                  .withPorts(0, 0, 0)
                  .withEnv(Map.of())
                  .withoutMqtt()
                  // As fast as it can from one address: the limit has its own tests.
                  .withHttpRateLimit(0));
      String token = runtime.token();
      store(readings, "01", "100");
      store(readings, "02", "50");

      fuzz.run(
          (random, index, description) -> {
            if (index % 10 == 0) {
              goodInput(random, index, readings, description);
              return;
            }
            Generated request = HttpRequests.next(random, token);
            description.append(request.kind()).append(": ").append(Printable.of(request.bytes()));
            Exchange exchange =
                RawHttp.send(
                    runtime.httpUri(),
                    request.bytes(),
                    request.methods(),
                    request.kind() == Kind.SOUP ? 300 : 10_000);
            check(request, exchange);
          });

      for (var reading : readings.entrySet()) {
        JsonNode history =
            get("/devices/" + reading.getKey() + "/measurements?limit=10000").path("measurements");
        assertThat(history.size())
            .as("every reading of %s interleaved with the fuzz was stored", reading.getKey())
            .isEqualTo(reading.getValue());
      }
      String logged = log.text();
      assertThat(logged).as("the log shows no stack trace").doesNotContain("\tat ");
      assertThat(logged).as("the log never shows the token").doesNotContain(token);
    }
  }

  private void goodInput(
      Random random, int index, Map<String, Integer> readings, StringBuilder description)
      throws Exception {
    String sensor = String.format("%d%d", random.nextInt(3), 1 + random.nextInt(4));
    String filling = String.valueOf(random.nextInt(101));
    description.append("good input: reading ").append(sensor).append('=').append(filling);
    store(readings, sensor, filling);
    String path =
        HttpRequests.pick(
            random,
            List.of(
                "/health",
                "/devices",
                "/problems",
                "/network",
                "/rejects?limit=5",
                "/devices/" + sensor + "/measurements?limit=3"));
    description.append(", GET ").append(path);
    assertThat(get(path).isObject()).isTrue();
    if (index % 50 == 0) {
      JsonNode problems = get("/problems?status=UNRESOLVED").path("problems");
      if (!problems.isEmpty()) {
        String id = problems.get(0).path("problem_id").asText();
        description.append(", PATCH /problems/").append(id);
        Answer answer =
            one(
                "PATCH /problems/"
                    + id
                    + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + runtime.token()
                    + "\r\nContent-Length: 29\r\n\r\n{\"problem_status\":\"RESOLVED\"}",
                "PATCH");
        assertThat(answer.status()).as(answer.bodyText()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).path("problem_status").asText())
            .isEqualTo("RESOLVED");
      }
    }
  }

  private void store(Map<String, Integer> readings, String sensor, String filling)
      throws Exception {
    byte[] payload =
        JSON.writeValueAsBytes(JSON.createObjectNode().put("id", sensor).put("filling", filling));
    runtime.pipeline().submit(payload).get(30, TimeUnit.SECONDS);
    readings.merge(sensor, 1, Integer::sum);
  }

  private JsonNode get(String path) throws Exception {
    Answer answer =
        one(
            "GET "
                + path
                + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + runtime.token()
                + "\r\n\r\n",
            "GET");
    assertThat(answer.status()).as("GET %s: %s", path, answer.bodyText()).isEqualTo(200);
    return JSON.readTree(answer.body());
  }

  private Answer one(String request, String method) throws Exception {
    Exchange exchange =
        RawHttp.send(
            runtime.httpUri(), request.getBytes(StandardCharsets.UTF_8), List.of(method), 30_000);
    assertThat(exchange.answers()).as("an answer to a good request").hasSize(1);
    return exchange.answers().get(0);
  }

  private static void check(Generated request, Exchange exchange) throws Exception {
    assertThat(exchange.garbage()).as("the answer is well-formed HTTP").isEmpty();
    for (int i = 0; i < exchange.answers().size(); i++) {
      boolean authorized = i < request.authorized().size() && request.authorized().get(i);
      boolean head = i < request.methods().size() && request.methods().get(i).equals("HEAD");
      checkAnswer(exchange.answers().get(i), authorized, head);
    }
    switch (request.kind()) {
      case FRAMED -> {
        if (exchange.answers().size() < request.methods().size()) {
          // Only an answer that said it closes the connection may leave requests unanswered.
          assertThat(exchange.answers())
              .as("one answer per request (timed out: %s)", exchange.timedOut())
              .isNotEmpty();
          assertThat(exchange.answers().get(exchange.answers().size() - 1).header("Connection"))
              .as("an answer that ends the connection early says so")
              .isEqualToIgnoringCase("close");
        }
      }
      case BAD_FRAMING ->
          assertThat(exchange.timedOut())
              .as("broken framing is answered or closed, not waited on")
              .isFalse();
      case SOUP -> {}
    }
  }

  private static void checkAnswer(Answer answer, boolean authorized, boolean head)
      throws Exception {
    String whole = answer.head() + answer.bodyText();
    Leaks.assertNone("an answer", whole);
    assertThat(answer.status()).as("a status of the contract: %s", whole).isIn(CONTRACT_STATUSES);
    assertThat(answer.header("Content-Type"))
        .as(whole)
        .isEqualTo("application/json; charset=utf-8");
    if (head) {
      return;
    }
    JsonNode body = JSON.readTree(answer.body());
    assertThat(body.isObject()).as("a JSON object: %s", whole).isTrue();
    if (answer.status() != 200) {
      assertThat(body.size()).as(whole).isEqualTo(1);
      assertThat(body.path("error").isTextual()).as(whole).isTrue();
      assertThat(body.path("error").asText()).as(whole).isNotBlank();
    } else if (!authorized) {
      assertThat(body.has("status"))
          .as("without the right token only /health answers 200: %s", whole)
          .isTrue();
    }
    if (answer.status() == 429) {
      assertThat(answer.header("Retry-After")).as(whole).isNotNull();
    }
  }
}
