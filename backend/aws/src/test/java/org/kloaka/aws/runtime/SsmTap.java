package org.kloaka.aws.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.kloaka.api.Json;

/**
 * SSM as the functions see it (their {@code AWS_ENDPOINT_URL_SSM}): every request is passed on to
 * moto and remembered with the function that made it and the phase that function was in, so a
 * secret read during initialisation — which SnapStart would freeze into the snapshot and hand to
 * every restored copy — is caught.
 */
final class SsmTap implements AutoCloseable {

  /** One SSM call: which function, in which phase, which operation and parameter. */
  record Read(String function, RuntimeApi.Phase phase, String operation, String parameter) {}

  private static final List<String> FORWARDED =
      List.of(
          "Content-Type", "X-Amz-Target", "X-Amz-Date", "X-Amz-Security-Token", "Authorization");

  private final URI moto;
  private final HttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper mapper = Json.newMapper();
  private final Map<String, RuntimeApi> functions = new ConcurrentHashMap<>();
  private final List<Read> reads = new ArrayList<>();

  SsmTap(URI moto) throws IOException {
    this.moto = moto;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The endpoint one function is given: its name is the path, so its calls can be told apart. */
  URI endpointFor(String function, RuntimeApi api) {
    functions.put(function, api);
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + function);
  }

  synchronized List<Read> reads() {
    return List.copyOf(reads);
  }

  /** Calls one function made before its snapshot was taken. */
  List<Read> readsBeforeSnapshot(String function) {
    return reads().stream()
        .filter(r -> r.function().equals(function) && r.phase() == RuntimeApi.Phase.INIT)
        .toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String function = exchange.getRequestURI().getPath().substring(1);
      RuntimeApi api = functions.get(function);
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      String parameter = body.length == 0 ? "" : mapper.readTree(body).path("Name").asText("");
      synchronized (this) {
        reads.add(
            new Read(
                function,
                api == null ? null : api.phase(),
                target == null ? "(none)" : target,
                parameter));
      }
      HttpRequest.Builder forward =
          HttpRequest.newBuilder(moto).POST(HttpRequest.BodyPublishers.ofByteArray(body));
      for (String header : FORWARDED) {
        String value = exchange.getRequestHeaders().getFirst(header);
        if (value != null) {
          forward.header(header, value);
        }
      }
      HttpResponse<byte[]> answer =
          http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
      answer
          .headers()
          .firstValue("Content-Type")
          .ifPresent(v -> exchange.getResponseHeaders().add("Content-Type", v));
      exchange.sendResponseHeaders(
          answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
      if (answer.body().length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer.body());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
