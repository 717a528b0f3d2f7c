package org.kloaka.aws.moto;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;

/**
 * Stands in for API Gateway's management endpoint: records every PostToConnection ({@code POST
 * /STAGE/@connections/ID}) and DeleteConnection ({@code DELETE}, {@link #deleted}) and answers 410
 * Gone for the connections told to be gone, as API Gateway does for a console that went away
 * without {@code $disconnect} (moto never answers Gone).
 */
public final class PushRecorder implements AutoCloseable {

  /** One recorded PostToConnection. */
  public record Post(String connectionId, String body) {}

  private final HttpServer server;
  private final List<Post> posts = new ArrayList<>();
  private final Set<String> gone = ConcurrentHashMap.newKeySet();
  private final List<String> deleted = new ArrayList<>();

  public PushRecorder() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * The endpoint for the notifier: {@code http://127.0.0.1:PORT/test}, as WS_ENDPOINT has a stage.
   */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/test");
  }

  public ApiGatewayManagementApiClient client() {
    return ApiGatewayManagementApiClient.builder()
        .endpointOverride(endpoint())
        .region(MotoServer.REGION)
        .credentialsProvider(MotoServer.CREDENTIALS)
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  public void markGone(String connectionId) {
    gone.add(connectionId);
  }

  public synchronized List<Post> posts() {
    return List.copyOf(posts);
  }

  public synchronized List<String> bodiesFor(String connectionId) {
    return posts.stream()
        .filter(p -> p.connectionId().equals(connectionId))
        .map(Post::body)
        .toList();
  }

  /** The connections closed with DeleteConnection, in order. */
  public synchronized List<String> deleted() {
    return List.copyOf(deleted);
  }

  public synchronized void clear() {
    posts.clear();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    String marker = "/test/@connections/";
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    if ("DELETE".equals(exchange.getRequestMethod()) && path.startsWith(marker)) {
      synchronized (this) {
        deleted.add(URLDecoder.decode(path.substring(marker.length()), StandardCharsets.UTF_8));
      }
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
      return;
    }
    if (!"POST".equals(exchange.getRequestMethod()) || !path.startsWith(marker)) {
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
      return;
    }
    String id = URLDecoder.decode(path.substring(marker.length()), StandardCharsets.UTF_8);
    if (gone.contains(id)) {
      byte[] answer = "{\"message\":\"Gone\"}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("x-amzn-ErrorType", "GoneException");
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(410, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
      return;
    }
    synchronized (this) {
      posts.add(new Post(id, new String(body, StandardCharsets.UTF_8)));
    }
    exchange.sendResponseHeaders(200, -1);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
