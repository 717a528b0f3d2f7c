package org.kloaka.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.kloaka.api.Json;
import org.kloaka.api.Push;
import org.kloaka.api.Responses;
import org.kloaka.model.Device;
import org.kloaka.model.Filling;
import org.kloaka.model.Measurement;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemStatus;
import org.kloaka.model.SensorId;
import org.kloaka.network.NetworkDescription;

/**
 * A backend that speaks docs/api.md and docs/websocket.md over real HTTP and WebSocket sockets on
 * port 0, with its state in memory and a switch to misbehave: for console tests that need a server
 * to fail in ways the real runtime does not (a proxy's HTML page, a 500), and to drop and come
 * back.
 */
public final class StubBackend implements AutoCloseable {

  public static final String TOKEN = "stub-token";

  private final ObjectMapper json = Json.newMapper();
  private final Map<SensorId, Device> devices = new ConcurrentHashMap<>();
  private final Map<String, Problem> problems = new ConcurrentHashMap<>();
  public final List<String> patches = new CopyOnWriteArrayList<>();
  public volatile NetworkDescription network = new NetworkDescription(List.of());

  /** When set, every REST answer is this status with this body. */
  public volatile Integer failStatus;

  public volatile String failBody;

  /** When set, only requests with this method fail (the others are answered normally). */
  public volatile String failOnlyMethod;

  private HttpServer http;
  private Ws ws;
  private int httpPort;
  private int wsPort;

  public StubBackend() throws IOException {
    start(0, 0);
  }

  private void start(int httpAt, int wsAt) throws IOException {
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", httpAt), 0);
    http.createContext("/", this::answer);
    http.start();
    httpPort = http.getAddress().getPort();
    ws = new Ws(wsAt);
    ws.start();
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> ws.getPort() != 0);
    wsPort = ws.getPort();
  }

  public Endpoints endpoints() {
    return new Endpoints(
        URI.create("http://127.0.0.1:" + httpPort),
        URI.create("ws://127.0.0.1:" + wsPort),
        null,
        TOKEN);
  }

  /** Drops every connection and stops answering. */
  public void stop() throws InterruptedException {
    ws.stop(1000);
    http.stop(0);
  }

  /** Answers again on the same ports. */
  public void restart() throws IOException {
    start(httpPort, wsPort);
  }

  @Override
  public void close() {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A reading: the device changes and is pushed. */
  public void device(String id, long value, long at) {
    Device device = new Device(SensorId.parse(id), Filling.of(value), at, null, null);
    devices.put(device.id(), device);
    push(new Push.DevicePush(new Push.DeviceState(device.id(), device.lastValue(), at)));
  }

  /** A problem record changes and is pushed. */
  public void problem(Problem problem) {
    problems.put(problem.problemId(), problem);
    push(new Push.ProblemPush(problem));
  }

  /** Changes the state without a push (as a push lost while the console was away). */
  public void problemQuietly(Problem problem) {
    problems.put(problem.problemId(), problem);
  }

  private void push(Push push) {
    try {
      ws.broadcast(json.writeValueAsString(push));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      String failMethod = failOnlyMethod;
      if (failStatus != null
          && (failMethod == null || failMethod.equals(exchange.getRequestMethod()))) {
        send(exchange, failStatus, failBody.getBytes(StandardCharsets.UTF_8));
        return;
      }
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        send(exchange, 401, json.writeValueAsBytes(new Responses.Error("missing or wrong token")));
        return;
      }
      Object body;
      if (path.equals("/network")) {
        body = network;
      } else if (path.equals("/devices")) {
        body = new Responses.Devices(new ArrayList<>(new TreeMap<>(devices).values()));
      } else if (path.matches("/devices/[^/]+/measurements")) {
        SensorId id = SensorId.parse(path.split("/")[2]);
        Device device = devices.get(id);
        body =
            new Responses.Measurements(
                device == null
                    ? List.of()
                    : List.of(new Measurement(device.lastValue(), device.lastUpdate())));
      } else if (path.equals("/problems")) {
        List<Problem> list = new ArrayList<>(problems.values());
        list.sort(Comparator.comparingLong(Problem::problemTime).reversed());
        body = new Responses.Problems(list);
      } else if (path.startsWith("/problems/") && method.equals("PATCH")) {
        String id = path.substring("/problems/".length());
        Responses.Resolve resolve =
            json.readValue(exchange.getRequestBody(), Responses.Resolve.class);
        patches.add(id + " " + resolve.problemStatus() + " " + resolve.note());
        Problem p = problems.get(id);
        if (p == null) {
          send(exchange, 404, json.writeValueAsBytes(new Responses.Error("no problem " + id)));
          return;
        }
        Problem done =
            new Problem(
                p.problemId(),
                p.problem(),
                p.problemTime(),
                ProblemStatus.RESOLVED,
                p.upstreamId(),
                p.downstreamId(),
                p.upstreamValue(),
                p.downstreamValue(),
                p.active(),
                p.lastSeen(),
                p.lastSeen() + 1,
                "operator",
                resolve.note());
        problem(done);
        body = done;
      } else if (path.equals("/rejects")) {
        body = new Responses.Rejects(List.of());
      } else {
        send(exchange, 404, json.writeValueAsBytes(new Responses.Error("not found: " + path)));
        return;
      }
      send(exchange, 200, json.writeValueAsBytes(body));
    }
  }

  private static void send(HttpExchange exchange, int status, byte[] bytes) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private final class Ws extends WebSocketServer {
    Ws(int port) {
      super(new InetSocketAddress("127.0.0.1", port));
      setReuseAddr(true);
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
      if (!handshake.getResourceDescriptor().equals("/?token=" + TOKEN)) {
        conn.close(1008, "wrong token");
      }
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {}

    @Override
    public void onMessage(WebSocket conn, String message) {
      conn.send(
          message.contains("ping")
              ? "{\"type\":\"pong\"}"
              : "{\"type\":\"error\",\"error\":\"unknown action\"}");
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {}

    @Override
    public void onStart() {}
  }
}
