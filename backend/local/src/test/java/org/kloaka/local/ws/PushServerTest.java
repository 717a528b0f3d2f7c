package org.kloaka.local.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kloaka.api.Push;
import org.kloaka.local.PushClient;
import org.kloaka.rest.TokenCheck;

class PushServerTest {

  static final String TOKEN = "secret-token";
  PushServer server;

  @BeforeEach
  void start() {
    server = PushServer.start(new InetSocketAddress("127.0.0.1", 0), TokenCheck.of(TOKEN), 50);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** Opens a raw TCP connection and sends a WebSocket upgrade request for {@code target}. */
  Socket handshake(String target, int receiveBuffer) throws Exception {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(receiveBuffer);
    socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
    socket.setSoTimeout(10_000);
    OutputStream out = socket.getOutputStream();
    out.write(
        ("GET "
                + target
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return socket;
  }

  @Test
  void aRefusedHandshakeGetsOnlyA401ResponseWithAJsonReason() throws Exception {
    try (Socket socket = handshake("/?token=wrong", 65_536)) {
      String response =
          new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);

      assertThat(response).startsWith("HTTP/1.1 401 Unauthorized\r\n");
      assertThat(response).contains("WWW-Authenticate: Bearer").contains("{\"error\":");
      assertThat(response).as("the library's own 404 is not sent after it").doesNotContain("404");
    }
  }

  /** Inputs WebSocketFuzzTest found: answers that named Jackson's internals or were HTML. */
  @Test
  void badFramesAreAnsweredWithoutInternalsAndTrailingDataIsNoPing() throws Exception {
    PushClient client = PushClient.connect(server.uri(), TOKEN);
    try {
      client.send("{\"action\":" + "9".repeat(2000) + "}");
      client.send("{\"action\":\"ping\"} trailing");
      client.send("{\"action\":\"ping\",\"action\":\"ping\"}");
      client.send("[".repeat(5000));

      await().until(() -> client.frames.size() == 4);
      assertThat(client.frames)
          .extracting(frame -> frame.path("type").asText())
          .containsOnly("error");
      assertThat(client.frames.get(0).path("error").asText())
          .isEqualTo(
              "the frame's JSON is not usable: nested deeper than 1000 levels, or a number or string"
                  + " far too long");
      assertThat(client.frames.get(1).path("error").asText())
          .startsWith("the frame is not valid JSON (line 1, column ");
      assertThat(client.frames.toString())
          .doesNotContain("StreamReadConstraints")
          .doesNotContain("`");
    } finally {
      client.closeBlocking();
    }
  }

  @Test
  void aRequestThatIsNoHandshakeGetsAJson400NotTheLibrarysHtml() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write("GET /?token=x HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String response =
          new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);

      assertThat(response).startsWith("HTTP/1.1 400 Bad Request\r\n");
      assertThat(response).contains("application/json").contains("{\"error\":\"not a WebSocket");
      assertThat(response).doesNotContain("<h1>").doesNotContain("TooTallNate");
    }
  }

  @Test
  void theHandshakeAnswerDoesNotNameTheLibrary() throws Exception {
    try (Socket socket = handshake("/?token=" + TOKEN, 65_536)) {
      byte[] head = new byte[400];
      int read = socket.getInputStream().read(head);
      String response = new String(head, 0, read, StandardCharsets.US_ASCII);

      assertThat(response).startsWith("HTTP/1.1 101").contains("Server: kloaka");
      assertThat(response).doesNotContain("TooTallNate").doesNotContain("Java-WebSocket");
    }
  }

  @Test
  void everyClientGetsEveryPushIntactAndInOrderWhenTheyComeFasterThanTheySend() throws Exception {
    try (PushServer roomy =
        PushServer.start(
            new InetSocketAddress("127.0.0.1", 0),
            TokenCheck.of(TOKEN),
            PushServer.DEFAULT_MAX_QUEUED)) {
      PushClient first = PushClient.connect(roomy.uri(), TOKEN);
      PushClient second = PushClient.connect(roomy.uri(), TOKEN);
      await().until(() -> roomy.clientCount() == 2);

      int events = 3_000; // queued far faster than sent, so the broadcast thread sends groups
      for (int i = 0; i < events; i++) {
        roomy.broadcast(new Push.Error("event " + i));
      }

      for (PushClient client : java.util.List.of(first, second)) {
        await().atMost(Duration.ofSeconds(30)).until(() -> client.frames.size() == events);
        assertThat(client.frames)
            .extracting(frame -> frame.path("error").asText())
            .containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, events).mapToObj(i -> "event " + i).toList());
      }
      first.closeBlocking();
      second.closeBlocking();
    }
  }

  @Test
  void aClientThatStopsReadingIsClosedWithoutHoldingUpTheOthers() throws Exception {
    PushClient reader = PushClient.connect(server.uri(), TOKEN);
    try (Socket stalled = handshake("/?token=" + TOKEN, 1_024)) {
      InputStream in = stalled.getInputStream();
      byte[] head = new byte[12];
      assertThat(in.readNBytes(head, 0, 12)).isEqualTo(12);
      assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 101");
      await().until(() -> server.clientCount() == 2);
      // From here on the stalled client reads nothing.

      // Paced so the reading client keeps up, while the stalled one's backlog only grows.
      Push big = new Push.Error("x".repeat(16_000));
      int sent = 0;
      while (server.clientCount() == 2 && sent < 20_000) {
        for (int i = 0; i < 20; i++) {
          server.broadcast(big);
        }
        sent += 20;
        int expected = sent;
        await()
            .pollInterval(Duration.ofMillis(1))
            .atMost(Duration.ofSeconds(10))
            .until(() -> reader.frames.size() == expected);
      }

      assertThat(server.clientCount()).as("the stalled client was dropped").isEqualTo(1);
      assertThat(reader.frames).hasSize(sent);
      await().atMost(Duration.ofSeconds(30)).until(() -> server.connectionCount() == 1);
      assertThat(reader.isOpen()).isTrue();
    } finally {
      reader.closeBlocking();
    }
  }

  @Test
  void aClientThatSendsWithoutReadingIsClosedOnceItsAnswersPileUp() throws Exception {
    PushClient reader = PushClient.connect(server.uri(), TOKEN);
    try (Socket flooder = handshake("/?token=" + TOKEN, 1_024)) {
      byte[] head = new byte[12];
      assertThat(flooder.getInputStream().readNBytes(head, 0, 12)).isEqualTo(12);
      await().until(() -> server.clientCount() == 2);
      byte[] pings = maskedPings(1_000);

      // Pings without ever reading a pong: the answers can only pile up on the server.
      long sent = 0;
      try {
        while (server.clientCount() == 2 && sent < 2_000_000) {
          flooder.getOutputStream().write(pings);
          sent += 1_000;
        }
      } catch (java.io.IOException e) {
        // Closed by the server while we were still sending: what this test wants.
      }

      await().atMost(Duration.ofSeconds(30)).until(() -> server.clientCount() == 1);
      reader.send("{\"action\":\"ping\"}");
      reader.await(frame -> frame.path("type").asText().equals("pong"));
      assertThat(reader.isOpen()).as("the others are not held up").isTrue();
    } finally {
      reader.closeBlocking();
    }
  }

  /** {@code count} masked text frames {@code {"action":"ping"}}, as a client sends them. */
  static byte[] maskedPings(int count) {
    byte[] ping = "{\"action\":\"ping\"}".getBytes(StandardCharsets.US_ASCII);
    byte[] mask = {1, 2, 3, 4};
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < count; i++) {
      out.write(0x81);
      out.write(0x80 | ping.length);
      out.writeBytes(mask);
      for (int j = 0; j < ping.length; j++) {
        out.write(ping[j] ^ mask[j % 4]);
      }
    }
    return out.toByteArray();
  }
}
