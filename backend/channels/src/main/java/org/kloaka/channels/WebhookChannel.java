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
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.kloaka.api.Json;
import org.kloaka.core.notify.Message;

/**
 * A JSON {@code POST} (docs/notifications.md): {@code {"type": "problem", "event", "step", "text",
 * "problem"}}; {@code text} alone is what a Slack or Mattermost incoming webhook shows. A 2xx
 * answer is delivered, anything else (or no answer within the timeout) is a failure to retry. At
 * most {@code maxInFlight} requests run at once; more wait in line, holding no thread.
 */
public final class WebhookChannel implements Channel {

  public static final Duration TIMEOUT = Duration.ofSeconds(30);
  public static final int MAX_IN_FLIGHT = 32;

  private final URI url;
  private final Map<String, String> headers;
  private final HttpClient client;
  private final Duration timeout;
  private final int maxInFlight;
  private final AtomicInteger running = new AtomicInteger();
  private final Queue<Queued> queue = new ConcurrentLinkedQueue<>();
  private final ObjectMapper mapper = Json.newMapper();

  public WebhookChannel(
      URI url, Map<String, String> headers, Duration timeout, int maxInFlight, Executor waiting) {
    this.url = url;
    this.headers = Map.copyOf(headers);
    this.timeout = timeout;
    this.maxInFlight = maxInFlight;
    this.client =
        HttpClient.newBuilder()
            // Plain http: HTTP/1.1 at once. Asking for HTTP/2 there makes every request an h2c
            // upgrade attempt that receivers ignore, and such a connection went back to no pool:
            // a new TCP connection per message (measured: the sender's main cost). https keeps
            // the default, which TLS (ALPN) settles without a round trip of its own.
            .version(
                "http".equalsIgnoreCase(url.getScheme())
                    ? HttpClient.Version.HTTP_1_1
                    : HttpClient.Version.HTTP_2)
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
    Queued queued = new Queued(request.build(), new CompletableFuture<>());
    queue.add(queued);
    startWhatFits();
    return queued.done();
  }

  /** A request waiting for one of the {@code maxInFlight} slots, and what its caller holds. */
  private record Queued(HttpRequest request, CompletableFuture<Void> done) {}

  /**
   * Starts queued requests while slots are free. Called after each enqueue and after each answer,
   * so nothing waits while a slot is free; no thread waits for a slot (a slow receiver used to park
   * one thread per queued message).
   */
  private void startWhatFits() {
    while (!queue.isEmpty()) {
      int now = running.get();
      if (now >= maxInFlight) {
        return;
      }
      if (!running.compareAndSet(now, now + 1)) {
        continue;
      }
      Queued next = queue.poll();
      if (next == null) {
        running.decrementAndGet();
        continue;
      }
      post(next.request())
          .whenComplete(
              (ok, failure) -> {
                running.decrementAndGet();
                startWhatFits();
                if (failure == null) {
                  next.done().complete(null);
                } else {
                  next.done().completeExceptionally(failure);
                }
              });
    }
  }

  private CompletableFuture<Void> post(HttpRequest request) {
    CompletableFuture<HttpResponse<String>> answer;
    try {
      answer = client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return answer.handle(
        (response, failure) -> {
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
