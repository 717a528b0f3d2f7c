package org.kloaka.local.ttn;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local HTTP server that answers as The Things Stack's Storage Integration documents it: {@code
 * GET /api/v3/as/applications/{app}/packages/storage/uplink_message?after=&limit=&order=}, bearer
 * key, {@code Content-Type: text/event-stream} and one {@code {"result": uplink}} per line, ordered
 * by received_at, {@code after} exclusive.
 */
final class StorageServer implements AutoCloseable {

  record Stored(Instant receivedAt, String json) {}

  final List<Stored> uplinks = new CopyOnWriteArrayList<>();
  final List<URI> requests = new CopyOnWriteArrayList<>();
  volatile int status = 200;
  volatile boolean breakOff;
  private final HttpServer server;
  private final String app;
  private final String key;

  StorageServer(String app, String key) throws IOException {
    this.app = app;
    this.key = key;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::answer);
    server.start();
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  void add(Instant receivedAt, byte[] uplink) {
    uplinks.add(new Stored(receivedAt, new String(uplink, StandardCharsets.UTF_8)));
  }

  private void answer(HttpExchange exchange) throws IOException {
    requests.add(exchange.getRequestURI());
    try (exchange) {
      String expectedPath = "/api/v3/as/applications/" + app + "/packages/storage/uplink_message";
      if (!("Bearer " + key).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        send(exchange, 401, "{\"code\":16,\"message\":\"error:pkg/auth:token_not_found\"}\n");
        return;
      }
      if (!exchange.getRequestURI().getPath().equals(expectedPath)) {
        send(exchange, 404, "{\"code\":5,\"message\":\"not found\"}\n");
        return;
      }
      if (status != 200) {
        send(exchange, status, "{\"code\":14,\"message\":\"unavailable\"}\n");
        return;
      }
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      Instant after = query.containsKey("after") ? Instant.parse(query.get("after")) : Instant.MIN;
      int limit = Integer.parseInt(query.getOrDefault("limit", "100"));
      List<Stored> sorted = new ArrayList<>(uplinks);
      sorted.sort((a, b) -> a.receivedAt().compareTo(b.receivedAt()));
      StringBuilder body = new StringBuilder();
      int count = 0;
      for (Stored stored : sorted) {
        if (stored.receivedAt().isAfter(after) && count < limit) {
          body.append("{\"result\":").append(stored.json()).append("}\n");
          count++;
        }
      }
      byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
      if (breakOff) {
        // Says how long the body is, then sends half of it and hangs up.
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes, 0, bytes.length / 2);
        exchange.getResponseBody().flush();
        throw new IOException("hanging up mid-answer, as a server going away would");
      }
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static void send(HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(code, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        query.put(
            pair.substring(0, eq),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return query;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
