package org.kloaka.channels;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import org.kloaka.api.Json;
import org.kloaka.core.notify.Message;

/**
 * A JSON {@code POST} (docs/notifications.md): {@code {"type": "problem", "event", "step", "text",
 * "problem"}}; {@code text} alone is what a Slack or Mattermost incoming webhook shows. A 2xx
 * answer is delivered, anything else (or no answer within the timeout) is a failure to retry. At
 * most {@code maxInFlight} requests run at once; more wait in line without blocking the caller.
 */
public final class WebhookChannel implements Channel {

  public static final Duration TIMEOUT = Duration.ofSeconds(30);
  public static final int MAX_IN_FLIGHT = 32;

  private final URI url;
  private final Map<String, String> headers;
  private final HttpClient client;
  private final Duration timeout;
  private final Semaphore slots;
  private final Executor waiting;
  private final ObjectMapper mapper = Json.newMapper();

  public WebhookChannel(
      URI url, Map<String, String> headers, Duration timeout, int maxInFlight, Executor waiting) {
    this.url = url;
    this.headers = Map.copyOf(headers);
    this.timeout = timeout;
    this.slots = new Semaphore(maxInFlight);
    this.waiting = waiting;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(waiting)
            .build();
  }

  byte[] body(Message message) {
    ObjectNode body = mapper.createObjectNode();
    body.put("type", message.problem() == null ? "test" : "problem");
    body.put("event", message.event());
    body.put("step", message.step());
    body.put("text", message.text());
    if (message.problem() != null) {
      body.set("problem", mapper.valueToTree(message.problem()));
    }
    try {
      return mapper.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write a webhook body", e);
    }
  }

  @Override
  public CompletableFuture<Void> send(Message message) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/json; charset=utf-8")
            .header("User-Agent", "kloaka-notifier")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body(message)));
    headers.forEach(request::header);
    HttpRequest built = request.build();
    if (slots.tryAcquire()) {
      return post(built);
    }
    // Every slot is taken (a slow receiver): wait for one on the channel's own threads.
    return CompletableFuture.supplyAsync(
            () -> {
              slots.acquireUninterruptibly();
              return built;
            },
            waiting)
        .thenCompose(this::post);
  }

  private CompletableFuture<Void> post(HttpRequest request) {
    CompletableFuture<HttpResponse<String>> answer;
    try {
      answer = client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    } catch (RuntimeException e) {
      slots.release();
      return CompletableFuture.failedFuture(e);
    }
    return answer.handle(
        (response, failure) -> {
          slots.release();
          if (failure != null) {
            Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
            throw new IllegalStateException(
                "POST " + url.getHost() + ": " + describe(cause), cause);
          }
          int status = response.statusCode();
          if (status < 200 || status > 299) {
            throw new IllegalStateException(
                "POST " + url.getHost() + " answered HTTP " + status + clip(response.body()));
          }
          return null;
        });
  }

  private static String describe(Throwable cause) {
    if (cause instanceof java.net.http.HttpTimeoutException) {
      return "no answer within the timeout";
    }
    if (cause instanceof java.net.ConnectException) {
      return "connection refused or unreachable";
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }

  private static String clip(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String line = body.strip().replaceAll("\\s+", " ");
    return ": " + (line.length() > 200 ? line.substring(0, 200) + "…" : line);
  }
}
