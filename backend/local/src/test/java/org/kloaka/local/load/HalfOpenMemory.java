package org.kloaka.local.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures what half-open WebSocket handshakes cost the local runtime (issue 21): starts {@code
 * java -jar JAR} in a child process, opens COUNT connections to its WebSocket port that each send
 * the first lines of a handshake and stop, and prints the child's resident memory ({@code VmRSS} in
 * {@code /proc/PID/status}) and how many of the connections are still open, once a second.
 *
 * <p>Not a test (it asserts nothing, and it needs Linux's {@code /proc}): run it by hand, e.g.
 *
 * <pre>
 * java backend/local/src/test/java/org/kloaka/local/load/HalfOpenMemory.java \
 *     backend/target/kloaka-backend.jar 3000 15 [runtime options…]
 * </pre>
 *
 * JDK classes only, so the one file runs as it is against any build of the jar.
 */
public final class HalfOpenMemory {

  private static final String TOKEN = "half-open-memory-token-0123456789abcdef";
  private static final Pattern WS = Pattern.compile(".* ws=ws://([^ :]+):(\\d+).*");

  private HalfOpenMemory() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: HalfOpenMemory JAR [COUNT [SECONDS [runtime options…]]]");
      System.exit(2);
    }
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
    Path data = Files.createTempDirectory("kloaka-half-open");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-jar", args[0], "--data", data.toString()));
    command.addAll(List.of("--mqtt-port", "0", "--http-port", "0", "--ws-port", "0"));
    command.addAll(Arrays.asList(args).subList(Math.min(3, args.length), args.length));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("KLOAKA_API_TOKEN", TOKEN);
    builder.redirectError(data.resolve("stderr.log").toFile());
    Process runtime = builder.start();
    try {
      run(runtime, count, seconds);
    } finally {
      runtime.destroyForcibly().waitFor();
    }
  }

  private static void run(Process runtime, int count, int seconds) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(runtime.getInputStream(), StandardCharsets.UTF_8));
    String line;
    Matcher ready = null;
    while ((line = out.readLine()) != null) {
      Matcher matcher = WS.matcher(line);
      if (line.startsWith("kloaka ready") && matcher.matches()) {
        ready = matcher;
        break;
      }
    }
    if (ready == null) {
      throw new IllegalStateException("the runtime printed no ready line");
    }
    InetSocketAddress ws = new InetSocketAddress(ready.group(1), Integer.parseInt(ready.group(2)));
    settle(3_000);
    long before = rssKib(runtime.pid());
    System.out.printf("rss before: %,d KiB%n", before);

    byte[] partial =
        ("GET /?token=" + TOKEN + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    Selector selector = Selector.open();
    List<SocketChannel> sockets = new ArrayList<>(count);
    long openStarted = System.nanoTime();
    for (int i = 0; i < count; i++) {
      SocketChannel socket = SocketChannel.open(ws);
      socket.write(ByteBuffer.wrap(partial));
      socket.configureBlocking(false);
      socket.register(selector, SelectionKey.OP_READ);
      sockets.add(socket);
    }
    System.out.printf(
        "opened %d half-open handshakes in %d ms%n",
        count, (System.nanoTime() - openStarted) / 1_000_000);
    ByteBuffer sink = ByteBuffer.allocate(4096);
    int open = count;
    long start = System.nanoTime();
    long peak = 0;
    for (int second = 0; second <= seconds; second++) {
      long deadline = start + second * 1_000_000_000L;
      while (System.nanoTime() < deadline) {
        long waitMillis = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        selector.select(waitMillis);
        for (SelectionKey key : selector.selectedKeys()) {
          SocketChannel socket = (SocketChannel) key.channel();
          sink.clear();
          int read;
          try {
            read = socket.read(sink);
          } catch (IOException e) {
            read = -1;
          }
          if (read < 0) {
            key.cancel();
            socket.close();
            open--;
          }
        }
        selector.selectedKeys().clear();
      }
      long rss = rssKib(runtime.pid());
      peak = Math.max(peak, rss);
      System.out.printf("t=%2d s  open=%5d  rss=%,d KiB%n", second, open, rss);
    }
    System.out.printf(
        "rss before %,d KiB, peak %,d KiB: +%,d KiB, %.1f KiB per connection opened%n",
        before, peak, peak - before, (peak - before) / (double) count);
    long servedStart = System.nanoTime();
    try (SocketChannel fresh = SocketChannel.open(ws)) {
      fresh.write(
          ByteBuffer.wrap(
              ("GET /?token="
                      + TOKEN
                      + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                      + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      + "Sec-WebSocket-Version: 13\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII)));
      sink.clear();
      fresh.read(sink);
      String answer =
          new String(sink.array(), 0, Math.min(12, sink.position()), StandardCharsets.US_ASCII);
      System.out.printf(
          "a fresh handshake meanwhile: '%s' in %d ms%n",
          answer, (System.nanoTime() - servedStart) / 1_000_000);
    }
    for (SocketChannel socket : sockets) {
      socket.close();
    }
  }

  private static void settle(long millis) throws InterruptedException {
    // A measuring program, not a test: a fixed pause lets the runtime's start-up settle.
    Thread.sleep(millis);
  }

  private static long rssKib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}
