package org.kloaka.local.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.kloaka.api.Json;
import org.kloaka.api.Responses;
import org.kloaka.core.api.ApiRequest;
import org.kloaka.core.api.ApiResponse;
import org.kloaka.core.api.ApiRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API over the JDK's built-in HTTP server: each exchange becomes an {@link ApiRequest} for
 * the {@link ApiRouter}, whose answer is written back as JSON. No dependency, and plenty for one
 * operator console and a few scripts on a local network.
 *
 * <p>Bodies: at most {@value #MAX_BODY_BYTES} bytes are read; a larger one (by {@code
 * Content-Length}, or found while reading) is answered 413 without reading the rest, and the
 * connection is closed. Handlers run on a bounded pool; when it and its queue are full, the
 * accepting thread runs the exchange itself, which slows accepting down rather than failing.
 */
public final class HttpApiServer implements AutoCloseable {

  public static final int MAX_BODY_BYTES = 64 * 1024;
  static final int QUEUE = 100;

  private static final Logger log = LoggerFactory.getLogger(HttpApiServer.class);

  private final HttpServer server;
  private final ThreadPoolExecutor executor;
  private final ApiRouter router;
  private final ObjectMapper json = Json.newMapper();
  private final URI uri;

  private HttpApiServer(InetSocketAddress bind, ApiRouter router, int threads) throws IOException {
    this.router = router;
    AtomicInteger number = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE),
            runnable -> {
              Thread thread = new Thread(runnable, "kloaka-http-" + number.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            },
            new ThreadPoolExecutor.CallerRunsPolicy());
    executor.allowCoreThreadTimeOut(true);
    this.server = HttpServer.create(bind, 0);
    server.createContext("/", this::exchange);
    server.setExecutor(executor);
    server.start();
    InetSocketAddress bound = server.getAddress();
    this.uri = URI.create("http://" + hostForUri(bound) + ":" + bound.getPort());
  }

  /**
   * Starts serving on {@code bind} (port 0 picks a free one).
   *
   * @throws UncheckedIOException when the address cannot be bound (in use, not local, …)
   */
  public static HttpApiServer start(InetSocketAddress bind, ApiRouter router, int threads) {
    try {
      return new HttpApiServer(bind, router, threads);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot serve HTTP on "
              + bind.getHostString()
              + ":"
              + bind.getPort()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** Where the API answers, e.g. {@code http://127.0.0.1:8080}, with the real port. */
  public URI uri() {
    return uri;
  }

  static String hostForUri(InetSocketAddress address) {
    String host = address.getAddress().getHostAddress();
    return host.contains(":") ? "[" + host + "]" : host;
  }

  private void exchange(HttpExchange exchange) throws IOException {
    try (exchange) {
      ApiResponse response;
      boolean closeAfter = false;
      byte[] body = readBody(exchange);
      if (body == null) {
        response = error(413, "the request body is over " + MAX_BODY_BYTES / 1024 + " KiB");
        closeAfter = true;
      } else {
        response = route(exchange, body);
      }
      send(exchange, response, closeAfter);
    }
  }

  /** The body, or null when it is over the limit (then the rest is left unread). */
  private static byte[] readBody(HttpExchange exchange) throws IOException {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > MAX_BODY_BYTES) {
          return null;
        }
      } catch (NumberFormatException e) {
        // The server itself refuses a malformed Content-Length before we get here.
      }
    }
    InputStream in = exchange.getRequestBody();
    byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
    return body.length > MAX_BODY_BYTES ? null : body;
  }

  private ApiResponse route(HttpExchange exchange, byte[] body) {
    URI requested = exchange.getRequestURI();
    Map<String, String> headers = new HashMap<>();
    for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
      if (!header.getValue().isEmpty()) {
        headers.put(header.getKey(), header.getValue().get(0));
      }
    }
    ApiRequest request =
        new ApiRequest(
            exchange.getRequestMethod(),
            requested.getRawPath() == null ? "/" : requested.getRawPath(),
            requested.getRawQuery(),
            headers,
            body);
    try {
      return router.handle(request);
    } catch (RuntimeException e) {
      // The router promises not to throw; if it does anyway, the caller still gets JSON.
      log.error("REST {} {} failed", request.method(), request.path(), e);
      return error(500, "internal error");
    }
  }

  private ApiResponse error(int status, String message) {
    try {
      return new ApiResponse(
          status, json.writeValueAsBytes(new Responses.Error(message)), Map.of());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an error body cannot be written as JSON", e);
    }
  }

  private static void send(HttpExchange exchange, ApiResponse response, boolean closeAfter)
      throws IOException {
    Headers headers = exchange.getResponseHeaders();
    response.headers().forEach(headers::set);
    headers.set("Content-Type", ApiResponse.CONTENT_TYPE);
    if (closeAfter) {
      headers.set("Connection", "close");
    }
    byte[] body = response.body();
    boolean noBody =
        body.length == 0 || response.status() == 204 || "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(response.status(), noBody ? -1 : body.length);
    if (!noBody) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** Stops accepting, closes open connections, and stops the handler threads. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        log.warn("REST handlers still running after 5 s; interrupting them");
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      executor.shutdownNow();
    }
  }
}
