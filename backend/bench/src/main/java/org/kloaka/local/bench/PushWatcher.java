package org.kloaka.local.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.kloaka.api.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A console's WebSocket, timing pushes: a device push is matched to the publish of the message it
 * announces ({@link Fleet#sentAt}); a problem push to the injected fault that caused it.
 *
 * <p>While not {@link #parsing} it only counts frames, so at full ingest speed the listener costs
 * the machine next to nothing.
 */
final class PushWatcher extends WebSocketClient {

  private static final Logger log = LoggerFactory.getLogger(PushWatcher.class);

  private final ObjectMapper json = Json.newMapper();
  private final Fleet fleet;
  private final AtomicLong frames = new AtomicLong();
  private final AtomicLong unmatchedDevicePushes = new AtomicLong();
  private final Map<String, Long> faultSentAt = new ConcurrentHashMap<>();
  private final Map<String, Boolean> active = new ConcurrentHashMap<>();
  private final CompletableFuture<String> closed = new CompletableFuture<>();
  private volatile boolean parsing;
  private volatile boolean measuring;
  final Latencies devicePush = new Latencies();
  final Latencies problemPush = new Latencies();

  private PushWatcher(URI uri, Fleet fleet) {
    super(uri);
    this.fleet = fleet;
  }

  static PushWatcher connect(URI ws, String token, Fleet fleet) throws InterruptedException {
    PushWatcher watcher =
        new PushWatcher(
            URI.create(ws + "/?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)), fleet);
    if (!watcher.connectBlocking(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("could not connect a WebSocket client to " + ws);
    }
    return watcher;
  }

  /** Reads every frame (problem state, latencies) from now on, instead of only counting them. */
  void parse(boolean on) {
    parsing = on;
  }

  /** Records latencies from now on (until turned off). */
  void measure(boolean on) {
    measuring = on;
  }

  /**
   * Notes that the fault making {@code problemId} active is being published now. Call before the
   * publish: the push can arrive before the publish call returns.
   */
  void faultSent(String problemId, long nanoTime) {
    faultSentAt.put(problemId, nanoTime);
  }

  /** Whether a fault may be injected on this pair now: not active, not awaiting its push. */
  boolean quiet(String problemId) {
    return !faultSentAt.containsKey(problemId) && !active.getOrDefault(problemId, false);
  }

  /** Faults whose problem push has not arrived (yet). */
  int faultsAwaitingPush() {
    return faultSentAt.size();
  }

  long frames() {
    return frames.get();
  }

  long unmatchedDevicePushes() {
    return unmatchedDevicePushes.get();
  }

  /** Why the server closed the connection, once it has. */
  CompletableFuture<String> closedReason() {
    return closed;
  }

  @Override
  public void onOpen(ServerHandshake handshake) {}

  @Override
  public void onMessage(String message) {
    long now = System.nanoTime();
    frames.incrementAndGet();
    if (!parsing) {
      return;
    }
    JsonNode frame;
    try {
      frame = json.readTree(message);
    } catch (JsonProcessingException e) {
      log.error("The server pushed a frame that is not JSON: {}", message, e);
      return;
    }
    switch (frame.path("type").asText()) {
      case "device" -> device(frame.path("device"), now);
      case "problem" -> problem(frame.path("problem"), now);
      default -> {}
    }
  }

  private void device(JsonNode device, long now) {
    long sent = fleet.sentAt(device.path("id").asText(), device.path("last_value").asText());
    if (sent < 0) {
      unmatchedDevicePushes.incrementAndGet();
    } else if (measuring) {
      devicePush.record(now - sent);
    }
  }

  private void problem(JsonNode problem, long now) {
    String id = problem.path("problem_id").asText();
    boolean isActive =
        problem.path("active").asBoolean()
            && problem.path("problem_status").asText().equals("UNRESOLVED");
    active.put(id, isActive);
    if (isActive) {
      Long sent = faultSentAt.remove(id);
      if (sent != null && measuring) {
        problemPush.record(now - sent);
      }
    }
  }

  @Override
  public void onClose(int code, String reason, boolean remote) {
    closed.complete(code + " " + reason);
    if (remote) {
      log.warn("The server closed the benchmark's WebSocket: {} {}", code, reason);
    }
  }

  @Override
  public void onError(Exception e) {
    log.warn("WebSocket client error", e);
  }
}
