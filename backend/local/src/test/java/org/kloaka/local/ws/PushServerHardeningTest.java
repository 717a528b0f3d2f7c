package org.kloaka.local.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.kloaka.api.Json;
import org.kloaka.local.ClientSockets;
import org.kloaka.local.PushClient;
import org.kloaka.local.fuzz.RawWebSocket;
import org.kloaka.local.http.ConnectionLimit;
import org.kloaka.rest.TokenCheck;

/**
 * Slow, idle and too many WebSocket clients (issue 21), over real sockets with short timeouts: each
 * is cut or refused while a legitimate console is still served within a second.
 */
class PushServerHardeningTest {

  static final String TOKEN = "hardening-token";
  final ClientSockets sockets = new ClientSockets();
  PushServer server;

  @AfterEach
  void stop() throws IOException {
    sockets.close();
    if (server != null) {
      server.close();
    }
  }

  PushServer start(Duration handshake, Duration idle, ConnectionLimit limit) {
    server =
        PushServer.start(
            new InetSocketAddress("127.0.0.1", 0),
            TokenCheck.of(TOKEN),
            new PushServer.Options(100, handshake, idle, limit));
    // Once before the test's load: the first console of a fresh JVM loads classes for a while.
    try {
      served(Duration.ofSeconds(30));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> server.connectionCount() == 0);
    return server;
  }

  Socket connect(InetAddress from) throws IOException {
    return sockets.connect(server.port(), from);
  }

  /**
   * A legitimate console connects and gets its pong within a second on a quiet machine; the bound
   * is 3 s because CI shares two cores with other test JVMs.
   */
  void aConsoleIsServedWithinASecond() throws Exception {
    served(Duration.ofSeconds(3));
  }

  void served(Duration within) throws Exception {
    long started = System.nanoTime();
    PushClient console = PushClient.connect(server.uri(), TOKEN);
    try {
      console.send("{\"action\":\"ping\"}");
      console.await(frame -> frame.path("type").asText().equals("pong"));
      assertThat((System.nanoTime() - started) / 1_000_000)
          .as("ms to connect and pong")
          .isLessThan(within.toMillis());
    } finally {
      console.closeBlocking();
    }
  }

  @Test
  void halfOpenHandshakesAreAnswered408AndClosedWhileAConsoleIsServed() throws Exception {
    start(Duration.ofMillis(500), Duration.ofSeconds(90), ConnectionLimit.unlimited());
    byte[] partial =
        ("GET /?token=" + TOKEN + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    int count = 300;
    for (int i = 0; i < count; i++) {
      connect(null).getOutputStream().write(partial);
    }
    aConsoleIsServedWithinASecond();

    // Every half-open handshake is answered and closed once its 500 ms are up.
    for (Socket socket : sockets.all()) {
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 408 ").contains("{\"error\":\"the handshake was not");
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> server.connectionCount() == 0);
  }

  @Test
  void aSilentClientIsPingedThenClosedButOneThatAnswersPingsStays() throws Exception {
    start(Duration.ofSeconds(5), Duration.ofMillis(1_000), ConnectionLimit.unlimited());
    PushClient answering =
        PushClient.connect(server.uri(), TOKEN); // answers pings, as libraries do
    try (RawWebSocket silent = RawWebSocket.open(server.uri(), TOKEN)) {
      await().until(() -> server.clientCount() == 2);

      // Three idle periods: the console that answers pings stays connected all along.
      await()
          .during(Duration.ofMillis(3_000))
          .atMost(Duration.ofSeconds(5))
          .until(() -> answering.isOpen() && server.clientCount() >= 1);
      assertThat(server.clientCount()).as("only the answering console is left").isEqualTo(1);

      RawWebSocket.Frame ping = silent.read();
      assertThat(ping.opcode()).as("pinged after half the idle time").isEqualTo(RawWebSocket.PING);
      RawWebSocket.Frame close = silent.read();
      assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
      assertThat(close.closeCode()).isEqualTo(1001);
    } finally {
      answering.closeBlocking();
    }
  }

  @Test
  void aFloodFromOneAddressGets429AndAnotherAddressIsStillServed() throws Exception {
    InetAddress flooder = InetAddress.getByName("127.0.0.2");
    Assumptions.assumeTrue(
        ClientSockets.canBind(flooder),
        "127.0.0.2 is not usable as a source address here (not Linux?)");
    // Loopback counted here (the runtime exempts it), so 127.0.0.2 stands for a stranger.
    start(Duration.ofSeconds(5), Duration.ofSeconds(90), new ConnectionLimit(5, 1_000, false));
    int admitted = 0;
    int refused = 0;
    for (int i = 0; i < 50; i++) {
      Socket socket = connect(flooder);
      socket.getOutputStream().write(RawWebSocket.request("/?token=" + TOKEN, ""));
      InputStream in = socket.getInputStream();
      String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      if (status.equals("HTTP/1.1 101")) {
        admitted++;
      } else {
        assertThat(status).isEqualTo("HTTP/1.1 429");
        String rest = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        JsonNode body = Json.newMapper().readTree(rest.substring(rest.indexOf("\r\n\r\n") + 4));
        assertThat(body.path("error").asText())
            .startsWith("too many connections from your address");
        refused++;
      }
    }
    assertThat(admitted).isEqualTo(5);
    assertThat(refused).isEqualTo(45);
    aConsoleIsServedWithinASecond();
    await().atMost(Duration.ofSeconds(5)).until(() -> server.connectionCount() == 5);
  }

  @Test
  void overTheTotalANewConnectionGets503() throws Exception {
    start(Duration.ofSeconds(5), Duration.ofSeconds(90), new ConnectionLimit(100, 3, true));
    List<PushClient> consoles = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        consoles.add(PushClient.connect(server.uri(), TOKEN));
      }
      Socket fourth = connect(null);
      fourth.getOutputStream().write(RawWebSocket.request("/?token=" + TOKEN, ""));
      String answer = new String(fourth.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer)
          .startsWith("HTTP/1.1 503 ")
          .contains("Retry-After")
          .contains("{\"error\":");

      consoles.remove(0).closeBlocking();
      await().atMost(Duration.ofSeconds(5)).until(() -> server.connectionCount() == 2);
      consoles.add(PushClient.connect(server.uri(), TOKEN));
    } finally {
      for (PushClient console : consoles) {
        console.closeBlocking();
      }
    }
  }
}
