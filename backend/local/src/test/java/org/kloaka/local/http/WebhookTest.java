package org.kloaka.local.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kloaka.local.RunningRuntime.get;
import static org.kloaka.local.RunningRuntime.request;
import static org.kloaka.local.RunningRuntime.send;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kloaka.api.Json;
import org.kloaka.local.LocalConfig;
import org.kloaka.local.LocalRuntime;
import org.kloaka.local.MutableClock;

/**
 * {@code POST /uplinks} over real HTTP, as TTN's webhook calls it: answered only once stored, every
 * bad body a reject or a clear error, and {@code GET /status}.
 */
class WebhookTest {

  /** 2026-11-27T10:01:00Z: the fixtures' received_at is a minute earlier. */
  static final long NOW = 1_795_773_660L;

  static final ObjectMapper JSON = Json.newMapper();

  @TempDir Path dir;
  LocalRuntime runtime;

  @BeforeEach
  void start() {
    runtime =
        LocalRuntime.start(
            LocalConfig.defaults()
                .withDataDir(dir.resolve("data"))
                .withPorts(0, 0, 0)
                .withEnv(Map.of())
                .withClock(new MutableClock(java.time.Instant.ofEpochSecond(NOW)))
                .withHttpRateLimit(0)
                .withoutMqtt());
  }

  @AfterEach
  void stop() {
    runtime.close();
  }

  HttpResponse<String> post(byte[] body) throws Exception {
    return send(
        runtime,
        request(runtime, "/uplinks")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  HttpResponse<String> post(String body) throws Exception {
    return post(body.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] fixture(String name) throws IOException {
    try (InputStream in = WebhookTest.class.getResourceAsStream("/ttn/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  @Test
  void anUplinkHeardByTwelveGatewaysIsStoredBeforeTheAnswer() throws Exception {
    byte[] body = fixture("uplink-original-firmware-twelve-gateways.json");
    assertThat(body.length).isGreaterThan(4096);

    HttpResponse<String> answer = post(body);

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(answer.body())).isEqualTo(JSON.readTree("{\"status\":\"stored\"}"));
    // Answered after the commit: the very next read sees it.
    JsonNode device = get(runtime, "/devices/01");
    assertThat(device.path("last_value").asText()).isEqualTo("100");
    assertThat(device.path("dev_eui").asText()).isEqualTo("0004A30B001C0530");
    assertThat(device.path("f_cnt").asLong()).isEqualTo(4021);
    assertThat(device.path("signal").path("gateway_id").asText()).isEqualTo("kloaka-gw-12");
  }

  @Test
  void aPlainPayloadIsTakenToo() throws Exception {
    HttpResponse<String> answer = post("{\"id\": \"02\", \"filling\": 50}");

    assertThat(answer.body()).isEqualTo("{\"status\":\"stored\"}");
    assertThat(get(runtime, "/devices/02").path("last_value").asText()).isEqualTo("50");
  }

  @ParameterizedTest(name = "body [{0}]")
  @ValueSource(
      strings = {
        "",
        "not json",
        "[1,2]",
        "{\"end_device_ids\": {\"device_id\": \"kloaka01\"}}",
        "{\"end_device_ids\": {\"device_id\": \"gateway\"}, \"uplink_message\": {\"frm_payload\": \"MTAw\"}}",
        "{\"end_device_ids\": {\"device_id\": \"kloaka01\"}, \"received_at\": \"2099-01-01T00:00:00Z\", \"uplink_message\": {\"frm_payload\": \"MTAw\"}}",
        "{\"end_device_ids\": {\"device_id\": \"kloaka01\"}, \"uplink_message\": {\"frm_payload\": \"eyJpZCI6IjAxIiwiZmls\"}}",
        "{\"id\": \"01\", \"filling\": 101}",
      })
  void aBadBodyIsARejectKeptWithItsReason(String body) throws Exception {
    HttpResponse<String> answer = post(body);

    assertThat(answer.statusCode()).isEqualTo(200);
    JsonNode json = JSON.readTree(answer.body());
    assertThat(json.path("status").asText()).isEqualTo("rejected");
    String reason = json.path("reason").asText();
    assertThat(reason).isNotBlank().doesNotContain("Exception").doesNotContain("java.");
    JsonNode newest = get(runtime, "/rejects?limit=1").path("rejects").get(0);
    assertThat(newest.path("reason").asText()).isEqualTo(reason);
    assertThat(get(runtime, "/devices").path("devices")).isEmpty();
  }

  @Test
  void aFutureUplinkNamesItsTime() throws Exception {
    HttpResponse<String> answer =
        post(
            "{\"end_device_ids\": {\"device_id\": \"kloaka01\"}, \"received_at\":"
                + " \"2099-01-01T00:00:00Z\", \"uplink_message\": {\"frm_payload\": \"MTAw\"}}");

    assertThat(JSON.readTree(answer.body()).path("reason").asText())
        .contains("2099-01-01T00:00:00Z", "future");
  }

  @Test
  void aBodyOver64KibIs413AndNothingIsStored() throws Exception {
    byte[] body = new byte[64 * 1024 + 1];
    java.util.Arrays.fill(body, (byte) ' ');

    HttpResponse<String> answer = post(body);

    assertThat(answer.statusCode()).isEqualTo(413);
    assertThat(JSON.readTree(answer.body()).path("error").asText()).contains("64");
    assertThat(get(runtime, "/rejects").path("rejects")).isEmpty();
  }

  @Test
  void withoutTheRightTokenItIs401AndNothingIsStored() throws Exception {
    for (String authorization : List.of("Bearer wrong", "Basic abc", "")) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(java.net.URI.create(runtime.httpUri() + "/uplinks"))
              .POST(HttpRequest.BodyPublishers.ofString("{\"id\": \"01\", \"filling\": 1}"));
      if (!authorization.isEmpty()) {
        request.header("Authorization", authorization);
      }
      assertThat(send(runtime, request).statusCode()).as(authorization).isEqualTo(401);
    }
    assertThat(get(runtime, "/devices").path("devices")).isEmpty();
    assertThat(get(runtime, "/rejects").path("rejects")).isEmpty();
  }

  @Test
  void otherMethodsAndQueriesAreRefused() throws Exception {
    assertThat(send(runtime, request(runtime, "/uplinks").GET()).statusCode()).isEqualTo(405);
    HttpResponse<String> query =
        send(
            runtime,
            request(runtime, "/uplinks?x=1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\": \"01\", \"filling\": 1}")));
    assertThat(query.statusCode()).isEqualTo(400);
  }

  @Test
  void aFloodOfConcurrentDeliveriesIsAllStored() throws Exception {
    int count = 2_000;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    long start = System.nanoTime();
    try {
      List<Future<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String body =
            "{\"end_device_ids\": {\"device_id\": \"kloaka-"
                + (i % 20)
                + "-1\"},"
                + " \"uplink_message\": {\"decoded_payload\": {\"filling\": "
                + (i % 101)
                + "}}}";
        answers.add(pool.submit(() -> post(body)));
      }
      for (Future<HttpResponse<String>> answer : answers) {
        assertThat(answer.get().body()).isEqualTo("{\"status\":\"stored\"}");
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "Webhook: %d uplinks over HTTP (8 senders), each answered once stored, in %.2f s ="
              + " %.0f uplinks/s%n",
          count, seconds, count / seconds);
    } finally {
      pool.shutdownNow();
    }
    assertThat(get(runtime, "/devices").path("devices")).hasSize(20);
    long rows = 0;
    for (int t = 0; t < 20; t++) {
      rows += get(runtime, "/devices/" + t + "-1/measurements").path("measurements").size();
    }
    assertThat(rows).isEqualTo(count);
  }

  @Test
  void statusListsEveryIngestPathWithTheWebhooksCount() throws Exception {
    post("{\"id\": \"01\", \"filling\": 100}");
    post("not json");

    JsonNode status = get(runtime, "/status");

    assertThat(status.path("version").asText()).isNotBlank();
    assertThat(status.path("started").asLong()).isEqualTo(NOW);
    assertThat(status.path("notifications"))
        .isEqualTo(JSON.readTree("{\"pending\":0,\"failed\":0}"));
    List<String> names = new ArrayList<>();
    status.path("sources").forEach(s -> names.add(s.path("name").asText()));
    assertThat(names).containsExactly("mqtt", "ttn", "webhook");
    JsonNode webhook = status.path("sources").get(2);
    assertThat(webhook.path("state").asText()).isEqualTo("up");
    assertThat(webhook.path("messages").asLong()).isEqualTo(2);
    assertThat(webhook.path("last_message").asLong()).isEqualTo(NOW);
    assertThat(webhook.has("error")).isTrue();
    assertThat(status.path("sources").get(0).path("state").asText()).isEqualTo("off");
    assertThat(status.path("sources").get(1).path("state").asText()).isEqualTo("off");
  }
}
