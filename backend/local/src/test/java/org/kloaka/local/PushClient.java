package org.kloaka.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.kloaka.api.Json;

/** A console's WebSocket as tests see it: every frame received, as JSON, and how it closed. */
public final class PushClient extends WebSocketClient {

  private static final ObjectMapper JSON = Json.newMapper();

  public final List<JsonNode> frames = new CopyOnWriteArrayList<>();
  public final CompletableFuture<String> closed = new CompletableFuture<>();
  public volatile int closeCode;

  public PushClient(URI uri) {
    super(uri);
  }

  /** Connects to {@code ws} with {@code token}, waiting for the handshake. */
  public static PushClient connect(URI ws, String token) throws InterruptedException {
    PushClient client = new PushClient(URI.create(ws + "/?token=" + token));
    if (!client.connectBlocking(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("could not connect to " + ws);
    }
    return client;
  }

  /** Waits for a frame that matches, and answers it. */
  public JsonNode await(Predicate<JsonNode> wanted) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> frames.stream().filter(wanted).findFirst().orElse(null), f -> f != null);
  }

  public static Predicate<JsonNode> problem(String id, String field, String value) {
    return f ->
        f.path("type").asText().equals("problem")
            && f.path("problem").path("problem_id").asText().equals(id)
            && f.path("problem").path(field).asText().equals(value);
  }

  @Override
  public void onOpen(ServerHandshake handshake) {}

  @Override
  public void onMessage(String message) {
    try {
      frames.add(JSON.readTree(message));
    } catch (Exception e) {
      throw new IllegalStateException("the server sent a frame that is not JSON: " + message, e);
    }
  }

  @Override
  public void onClose(int code, String reason, boolean remote) {
    closeCode = code;
    closed.complete(reason);
  }

  @Override
  public void onError(Exception ex) {}
}
