package org.kloaka.local.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.kloaka.api.Json;

/**
 * A webhook receiver over real HTTP on a free port that answers 200, fails with 503, or stalls
 * (holds each request until {@link #release} or a delay passed), and records what it took.
 */
public final class WebhookReceiver implements AutoCloseable {

  public enum Mode {
    OK,
    FAIL,
    STALL
  }

  /** One request: its JSON body, when it arrived (nanoTime) and what was answered. */
  public record Received(JsonNode body, long nanos, int status, String authorization) {}

  private static final ObjectMapper JSON = Json.newMapper();

  private final HttpServer server;
  private final List<Received> received = new ArrayList<>();
  private final java.util.concurrent.atomic.AtomicInteger arrived =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile Mode mode = Mode.OK;
  private volatile long stallMillis = 60_000;
  private volatile CountDownLatch stalled = new CountDownLatch(1);

  public WebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext(
        "/hook",
        exchange -> {
          long at = System.nanoTime();
          byte[] body = exchange.getRequestBody().readAllBytes();
          arrived.incrementAndGet();
          Mode now = mode;
          if (now == Mode.STALL) {
            try {
              stalled.await(stallMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          int status = now == Mode.FAIL ? 503 : 200;
          synchronized (received) {
            received.add(
                new Received(
                    JSON.readTree(body),
                    at,
                    status,
                    exchange.getRequestHeaders().getFirst("Authorization")));
          }
          byte[] answer = (status == 200 ? "ok" : "busy").getBytes();
          exchange.sendResponseHeaders(status, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    server.start();
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
  }

  public void mode(Mode next) {
    if (next == Mode.STALL) {
      stalled = new CountDownLatch(1);
    }
    mode = next;
  }

  /** In STALL mode, every request takes {@code millis} (or until {@link #release}). */
  public void stallFor(long millis) {
    stallMillis = millis;
    mode(Mode.STALL);
  }

  /** Lets every stalled request answer (200) and later ones answer at once. */
  public void release() {
    mode = Mode.OK;
    stalled.countDown();
  }

  /** Requests that arrived, stalled ones included ({@link #received} lists them once answered). */
  public int arrived() {
    return arrived.get();
  }

  public List<Received> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  /** Bodies answered 2xx, i.e. delivered. */
  public List<JsonNode> delivered() {
    return received().stream().filter(r -> r.status() == 200).map(Received::body).toList();
  }

  @Override
  public void close() {
    stalled.countDown();
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
