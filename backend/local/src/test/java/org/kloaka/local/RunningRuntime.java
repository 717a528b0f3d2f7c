package org.kloaka.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.kloaka.api.Json;
import org.kloaka.core.Organizer.Outcome;

/**
 * Test helpers over a started runtime: REST calls with the token, readings through the pipeline.
 */
public final class RunningRuntime {

  private static final ObjectMapper JSON = Json.newMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private RunningRuntime() {}

  /**
   * A runtime for REST tests: data in {@code dir}, free ports, no environment, the test's clock,
   * and no MQTT (it costs ~5 s per start and stop; the MQTT tests cover it).
   */
  public static LocalConfig withoutMqtt(Path dir, Clock clock) {
    return LocalConfig.defaults()
        .withDataDir(dir.resolve("data"))
        .withPorts(0, 0, 0)
        .withEnv(Map.of())
        .withClock(clock)
        .withoutMqtt();
  }

  /** Starts {@link #withoutMqtt(Path, Clock)}. */
  public static LocalRuntime startWithoutMqtt(Path dir, Clock clock) {
    return LocalRuntime.start(withoutMqtt(dir, clock));
  }

  public static Outcome submit(LocalRuntime runtime, String id, String filling) throws Exception {
    byte[] payload =
        JSON.writeValueAsBytes(JSON.createObjectNode().put("id", id).put("filling", filling));
    return runtime.pipeline().submit(payload).get(10, TimeUnit.SECONDS);
  }

  public static HttpResponse<String> send(LocalRuntime runtime, HttpRequest.Builder request)
      throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  public static HttpRequest.Builder request(LocalRuntime runtime, String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(runtime.httpUri() + pathAndQuery))
        .timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + runtime.token());
  }

  /** GET with the token; fails unless the answer is 200; answers the body. */
  public static JsonNode get(LocalRuntime runtime, String pathAndQuery) throws Exception {
    HttpResponse<String> response = send(runtime, request(runtime, pathAndQuery).GET());
    if (response.statusCode() != 200) {
      throw new AssertionError(
          "GET " + pathAndQuery + " → " + response.statusCode() + " " + response.body());
    }
    return JSON.readTree(response.body());
  }

  public static HttpResponse<String> patch(LocalRuntime runtime, String path, String body)
      throws Exception {
    return send(
        runtime,
        request(runtime, path)
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(body)));
  }
}
