package org.kloaka.local.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.kloaka.local.ClientSockets;
import org.kloaka.rest.ApiResponse;
import org.kloaka.rest.ApiRouter;

/**
 * Slow, idle and too many REST clients (issue 21), over real sockets with short timeouts: each is
 * answered and cut while a legitimate client is still served within a second.
 */
class HttpHardeningTest {

  static final ApiRouter OK =
      request ->
          new ApiResponse(200, "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8), Map.of());

  final ClientSockets sockets = new ClientSockets();
  HttpApiServer server;

  @AfterEach
  void stop() throws IOException {
    sockets.close();
    if (server != null) {
      server.close();
    }
  }

  void start(Duration request, Duration idle, ConnectionLimit limit) {
    server =
        HttpApiServer.start(
            new InetSocketAddress("127.0.0.1", 0),
            OK,
            2,
            RateLimit.off(),
            new HttpApiServer.Options(request, idle, limit));
    // Once before the test's load: the first request of a fresh JVM loads classes for a while.
    try {
      served(Duration.ofSeconds(30));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  Socket connect(InetAddress from) throws IOException {
    return sockets.connect(server.uri().getPort(), from);
  }

  /**
   * A legitimate client (from 127.0.0.1) gets its answer within a second on a quiet machine; the
   * bound is 3 s because CI shares two cores with other test JVMs (1.3 s was seen at load 30), and
   * a server the attack held up would answer only after the attackers' own timeouts.
   */
  void aClientIsServedWithinASecond() throws Exception {
    served(Duration.ofSeconds(3));
  }

  void served(Duration within) throws Exception {
    long started = System.nanoTime();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", server.uri().getPort()), 5_000);
      socket.setSoTimeout(5_000);
      socket
          .getOutputStream()
          .write(
              "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      assertThat(readAll(socket)).startsWith("HTTP/1.1 200 OK").endsWith("{\"status\":\"ok\"}");
    }
    assertThat((System.nanoTime() - started) / 1_000_000)
        .as("ms to answer")
        .isLessThan(within.toMillis());
  }

  static String readAll(Socket socket) throws IOException {
    return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void slowlorisConnectionsGet408AndAreClosedWhileOthersAreServed() throws Exception {
    start(Duration.ofMillis(600), Duration.ofSeconds(30), ConnectionLimit.unlimited());
    for (int i = 0; i < 300; i++) {
      connect(null).getOutputStream().write('G'); // one byte of a request line, then nothing
    }
    Socket trickler = connect(null);
    aClientIsServedWithinASecond();

    // One byte every 100 ms does not move the deadline: it is for the whole request.
    OutputStream out = trickler.getOutputStream();
    long started = System.nanoTime();
    try {
      for (byte b :
          "GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII)) {
        out.write(b);
        out.flush();
        LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // the trickle's pace, not a wait
      }
    } catch (IOException e) {
      // closed by the server meanwhile: what this test wants
    }
    assertThat(readAll(trickler)).startsWith("HTTP/1.1 408 ").contains("{\"error\":");
    assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(3_000);
    for (Socket socket : sockets.all().subList(0, 300)) {
      assertThat(readAll(socket)).startsWith("HTTP/1.1 408 ");
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> server.connectionCount() == 0);
  }

  @Test
  void aKeptAliveConnectionIsClosedWhenIdleButNotWhileItsRequestIsAnswered() throws Exception {
    start(Duration.ofSeconds(5), Duration.ofMillis(500), ConnectionLimit.unlimited());
    Socket socket = connect(null);
    socket
        .getOutputStream()
        .write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    InputStream in = socket.getInputStream();
    String head = new String(in.readNBytes(15), StandardCharsets.US_ASCII);
    assertThat(head).isEqualTo("HTTP/1.1 200 OK");
    long answered = System.nanoTime();
    String rest = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    long idleMillis = (System.nanoTime() - answered) / 1_000_000;
    assertThat(rest).as("no 408 for a connection idle between requests").doesNotContain("408");
    assertThat(idleMillis).isBetween(300L, 3_000L);
  }

  @Test
  void aFloodFromOneAddressGets429AndAnotherAddressIsStillServed() throws Exception {
    InetAddress flooder = InetAddress.getByName("127.0.0.2");
    Assumptions.assumeTrue(
        ClientSockets.canBind(flooder),
        "127.0.0.2 is not usable as a source address here (not Linux?)");
    // Loopback counted here (the runtime exempts it), so 127.0.0.2 stands for a stranger.
    start(Duration.ofSeconds(60), Duration.ofSeconds(60), new ConnectionLimit(4, 1_000, false));
    for (int i = 0; i < 4; i++) {
      connect(flooder); // held open, sending nothing
    }
    // Counted in by then (the server's I/O threads take new connections in parallel).
    await().until(() -> server.connectionCount() == 4);
    for (int i = 0; i < 40; i++) {
      Socket extra = connect(flooder);
      extra
          .getOutputStream()
          .write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      long sent = System.nanoTime();
      String answer = readAll(extra);
      assertThat((System.nanoTime() - sent) / 1_000_000)
          .as("ms to the refusal's end, well before the linger's second")
          .isLessThan(900);
      assertThat(answer)
          .startsWith("HTTP/1.1 429 ")
          .contains("Retry-After: 1")
          .contains("connection: close")
          .contains("{\"error\":\"too many connections from your address: at most 4 at once");
    }
    aClientIsServedWithinASecond();
    await().atMost(Duration.ofSeconds(5)).until(() -> server.connectionCount() == 4);
  }

  @Test
  void overTheTotalANewConnectionGets503UntilOneCloses() throws Exception {
    start(Duration.ofSeconds(5), Duration.ofSeconds(30), new ConnectionLimit(100, 2, true));
    Socket first = connect(null);
    connect(null);
    await().until(() -> server.connectionCount() == 2);
    Socket third = connect(null);
    assertThat(readAll(third)).startsWith("HTTP/1.1 503 ").contains("Retry-After: 5");

    first.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> server.connectionCount() == 1);
    aClientIsServedWithinASecond();
  }
}
