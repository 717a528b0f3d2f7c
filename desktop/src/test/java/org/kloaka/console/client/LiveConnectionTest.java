package org.kloaka.console.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.WebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kloaka.api.Push;
import org.kloaka.console.client.ConnectionStatus.State;

/** The live connection against a real WebSocket server on port 0 that speaks docs/websocket.md. */
class LiveConnectionTest {

  static final String TOKEN = "t0k/en";

  final RecordingListener listener = new RecordingListener();
  final List<Push> pushes = listener.pushes;
  final List<ConnectionStatus> statuses = listener.statuses;
  final AtomicInteger opened = listener.opened;
  final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  Server server;
  LiveConnection connection;

  /** Accepts only {@code ?token=TOKEN}; answers pings unless told not to. */
  static final class Server extends WebSocketServer {
    final List<String> received = new CopyOnWriteArrayList<>();
    volatile boolean answerPings = true;

    Server(int port) {
      super(new InetSocketAddress("127.0.0.1", port));
      setReuseAddr(true);
    }

    @Override
    public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(
        WebSocket conn, Draft draft, ClientHandshake request) throws InvalidDataException {
      if (!request.getResourceDescriptor().equals("/?token=t0k%2Fen")) {
        throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "401 wrong token");
      }
      return super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {}

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {}

    @Override
    public void onMessage(WebSocket conn, String message) {
      received.add(message);
      if (answerPings && message.equals("{\"action\":\"ping\"}")) {
        conn.send("{\"type\":\"pong\"}");
      }
    }

    /** As the real push server does: binary frames are not understood, and get no pong. */
    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
      received.add("binary");
      conn.send("{\"type\":\"error\",\"error\":\"binary frames are not understood\"}");
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {}

    @Override
    public void onStart() {}

    static Server started(int port) throws InterruptedException {
      Server server = new Server(port);
      server.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> server.getPort() != 0);
      return server;
    }
  }

  LiveConnection connect(String token, Duration pingEvery) {
    connection =
        new LiveConnection(
            URI.create("ws://127.0.0.1:" + server.getPort()),
            token,
            listener,
            new Backoff(Duration.ofMillis(100), Duration.ofMillis(400), () -> 0.5),
            pingEvery,
            Clock.systemUTC(),
            scheduler);
    connection.start();
    return connection;
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (connection != null) {
      connection.close();
    }
    if (server != null) {
      server.stop(1000);
    }
    scheduler.shutdownNow();
  }

  State lastState() {
    return listener.lastState();
  }

  @Test
  void opensWithTheTokenPassesPushesOnAndPingsTheServer() throws Exception {
    server = Server.started(0);
    connect(TOKEN, Duration.ofMillis(200));

    await().atMost(Duration.ofSeconds(10)).until(() -> opened.get() == 1);
    assertThat(statuses)
        .extracting(ConnectionStatus::state)
        .containsExactly(State.CONNECTING, State.SYNCING);
    assertThat(connection.displayAddress().toString()).doesNotContain("token");

    server.broadcast(
        "{\"type\":\"device\",\"device\":{\"id\":\"01\",\"last_value\":\"50\",\"last_update\":1658274939}}");
    server.broadcast("not json at all");
    server.broadcast(
        "{\"type\":\"problem\",\"problem\":{\"problem_id\":\"0102\",\"problem\":\"OBSTRUCTION\",\"problem_time\":1,"
            + "\"problem_status\":\"UNRESOLVED\",\"upstream_id\":\"01\",\"downstream_id\":\"02\",\"upstream_value\":\"100\","
            + "\"downstream_value\":\"50\",\"active\":true,\"last_seen\":1,\"resolved_time\":null,\"resolved_by\":null,\"note\":null}}");

    await().atMost(Duration.ofSeconds(10)).until(() -> pushes.size() == 2);
    assertThat(pushes.get(0)).isInstanceOf(Push.DevicePush.class);
    assertThat(((Push.ProblemPush) pushes.get(1)).problem().problemId()).isEqualTo("0102");
    await().atMost(Duration.ofSeconds(10)).until(() -> server.received.size() >= 2);
    assertThat(server.received).allMatch(m -> m.equals("{\"action\":\"ping\"}"));
    assertThat(lastState()).as("pongs keep it open").isEqualTo(State.SYNCING);
    await().atMost(Duration.ofSeconds(10)).until(() -> connection.pongs() > 0);
    assertThat(connection.drops()).isZero();
  }

  @Test
  void aDroppedConnectionReportsReconnectingAndOpensAgainWhenTheServerIsBack() throws Exception {
    server = Server.started(0);
    int port = server.getPort();
    connect(TOKEN, Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(10)).until(() -> opened.get() == 1);

    server.stop(1000);
    await().atMost(Duration.ofSeconds(10)).until(() -> lastState() == State.RECONNECTING);
    ConnectionStatus reconnecting = statuses.get(statuses.size() - 1);
    assertThat(reconnecting.nextAttempt()).isAfter(reconnecting.since());

    server = Server.started(port);
    await().atMost(Duration.ofSeconds(20)).until(() -> opened.get() == 2);
    assertThat(lastState()).isEqualTo(State.SYNCING);
  }

  @Test
  void aRefusedTokenIsReportedAndRetried() throws Exception {
    server = Server.started(0);
    connect("wrong", Duration.ofSeconds(5));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> statuses.stream().filter(s -> s.state() == State.RECONNECTING).count() >= 2);
    assertThat(opened.get()).isZero();
    assertThat(statuses.get(1).detail())
        .isEqualTo("the backend refused the WebSocket: HTTP 404 WebSocket Upgrade Failure");
  }

  @Test
  void aServerThatStopsAnsweringPingsIsDropped() throws Exception {
    server = Server.started(0);
    server.answerPings = false;
    connect(TOKEN, Duration.ofMillis(150));

    await().atMost(Duration.ofSeconds(10)).until(() -> lastState() == State.RECONNECTING);
    assertThat(statuses.get(statuses.size() - 1).detail()).isEqualTo("no pong");
  }

  @Test
  void closeStopsForGood() throws Exception {
    server = Server.started(0);
    connect(TOKEN, Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(10)).until(() -> opened.get() == 1);

    connection.close();
    connection = null;

    assertThat(lastState()).isEqualTo(State.STOPPED);
    assertThat(statuses).extracting(ConnectionStatus::state).doesNotContain(State.RECONNECTING);
  }
}
