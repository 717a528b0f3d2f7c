package org.kloaka.local.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.api.Json;
import org.kloaka.local.LocalConfig;
import org.kloaka.local.LocalRuntime;
import org.kloaka.local.PushClient;
import org.kloaka.local.fuzz.RawWebSocket.Frame;
import org.kloaka.local.fuzz.RawWebSocket.Handshake;

/**
 * Fuzzes the WebSocket (docs/websocket.md) over real sockets: text frames (random JSON, mutations
 * of a ping, deep nesting, huge numbers, unicode), binary frames, frames over the limit, fragmented
 * messages, bursts, protocol violations and random handshakes, with readings interleaved.
 *
 * <p>Properties: the server stays up; a text frame gets exactly one answer — {@code pong} for a
 * ping, else {@code {"type":"error"}} — and the connection stays open; a binary frame gets an error
 * frame; a frame over 64 KiB closes with 1009 and a protocol violation with 1002/1007; a refused
 * handshake gets JSON; no answer shows internals; a console connected all along gets every push.
 */
@Tag("slow")
@Tag("fuzz")
class WebSocketFuzzTest {

  static final ObjectMapper JSON = Json.newMapper();
  static final ObjectMapper STRICT =
      Json.newMapper()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  static final int LIMIT = 64 * 1024;

  @TempDir Path dir;
  LocalRuntime runtime;
  RawWebSocket client;
  final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    for (AutoCloseable each : open) {
      each.close();
    }
    if (runtime != null) {
      runtime.close();
    }
  }

  @Test
  void everyFrameGetsItsAnswerAndAConsoleConnectedAllAlongGetsEveryPush() throws Exception {
    Fuzz fuzz = Fuzz.of("WebSocket", 1_000, Duration.ofSeconds(10));
    try (LogCapture log = LogCapture.start()) {
      runtime =
          LocalRuntime.start(
              LocalConfig.defaults()
                  .withDataDir(dir.resolve("data"))
                  .withPorts(0, 0, 0)
                  .withEnv(Map.of())
                  .withoutMqtt());
      PushClient watcher = PushClient.connect(runtime.wsUri(), runtime.token());
      open.add(watcher::closeBlocking);
      client = RawWebSocket.open(runtime.wsUri(), runtime.token());
      List<String> pushed = new ArrayList<>();

      fuzz.run(
          (random, index, description) -> {
            if (index % 10 == 0) {
              String sensor = "0" + (1 + index / 10 % 5);
              String filling =
                  String.valueOf(index / 50 % 2 == 0 ? 100 - index / 10 % 100 : index / 10 % 100);
              description.append("good input: reading ").append(sensor).append('=').append(filling);
              byte[] payload =
                  JSON.writeValueAsBytes(
                      JSON.createObjectNode().put("id", sensor).put("filling", filling));
              runtime.pipeline().submit(payload).get(30, TimeUnit.SECONDS);
              pushed.add(sensor + "=" + filling);
              return;
            }
            client.timeout(30_000);
            int pick = random.nextInt(100);
            if (pick < 35) {
              textFrame(random, description);
            } else if (pick < 45) {
              byte[] bytes = Payloads.randomBytes(random, random.nextInt(4096));
              description.append("binary ").append(bytes.length).append(" bytes");
              client.send(RawWebSocket.BINARY, bytes);
              assertError(answer());
            } else if (pick < 52) {
              burst(random, description);
            } else if (pick < 57) {
              byte[] bytes = Payloads.randomBytes(random, random.nextInt(126));
              description.append("control ping ").append(bytes.length).append(" bytes");
              client.send(RawWebSocket.PING, bytes);
              Frame pong = client.read();
              while (pong.opcode() == RawWebSocket.TEXT) {
                pong = client.read(); // a push meanwhile
              }
              assertThat(pong.opcode()).isEqualTo(RawWebSocket.PONG);
              assertThat(pong.payload()).isEqualTo(bytes);
            } else if (pick < 62) {
              fragmented(random, description);
            } else if (pick < 66) {
              int size = LIMIT + 1 + random.nextInt(1024 * 1024);
              boolean text = random.nextBoolean();
              description.append(text ? "text " : "binary ").append(size).append(" bytes");
              byte[] big = new byte[size];
              java.util.Arrays.fill(big, (byte) 'a');
              try {
                client.send(text ? RawWebSocket.TEXT : RawWebSocket.BINARY, big);
              } catch (IOException e) {
                // It closed as soon as it read the frame's length; the rest could not be sent.
              }
              expectCloseOrCut(1009);
            } else if (pick < 72) {
              violation(random, description);
            } else {
              handshake(random, description);
            }
          });

      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(devicePushes(watcher))
                      .as("every reading's push reached the console connected all along")
                      .containsAll(pushed));
      assertThat(watcher.isOpen()).isTrue();
      String logged = log.text();
      assertThat(logged).as("the log shows no stack trace").doesNotContain("\tat ");
      assertThat(logged).as("the log never shows the token").doesNotContain(runtime.token());
    }
  }

  private static List<String> devicePushes(PushClient watcher) {
    List<String> seen = new ArrayList<>();
    for (JsonNode frame : watcher.frames) {
      if (frame.path("type").asText().equals("device")) {
        JsonNode device = frame.path("device");
        seen.add(device.path("id").asText() + "=" + device.path("last_value").asText());
      }
    }
    return seen;
  }

  private void textFrame(Random random, StringBuilder description) throws Exception {
    String text =
        switch (random.nextInt(7)) {
          case 0 -> "{\"action\":\"ping\"}";
          case 1 ->
              new String(
                  Payloads.mutate(random, "{\"action\":\"ping\"}".getBytes(StandardCharsets.UTF_8)),
                  StandardCharsets.UTF_8);
          case 2 -> Payloads.json(random);
          case 3 -> new String(Payloads.deepNesting(random, LIMIT - 8), StandardCharsets.UTF_8);
          case 4 -> "{\"action\":" + Payloads.hugeNumber(random, 5000) + "}";
          case 5 -> Payloads.unicode(random, 200);
          default -> "";
        };
    if (!Leaks.innocent(text)) {
      text = "{}";
    }
    description.append("text: ").append(Printable.of(text));
    client.sendText(text);
    Frame answer = answer();
    JsonNode expected = parseStrict(text);
    boolean ping =
        expected != null
            && expected.isObject()
            && expected.path("action").isTextual()
            && expected.path("action").asText().equals("ping");
    if (ping) {
      assertThat(answer.text()).isEqualTo("{\"type\":\"pong\"}");
    } else {
      assertError(answer);
    }
  }

  private static JsonNode parseStrict(String text) {
    try {
      return STRICT.readTree(text);
    } catch (IOException e) {
      return null;
    }
  }

  private void burst(Random random, StringBuilder description) throws Exception {
    int count = 50 + random.nextInt(500);
    description.append("burst of ").append(count).append(" pings");
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] ping = "{\"action\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < count; i++) {
      all.writeBytes(client.encode(true, 0, RawWebSocket.TEXT, ping, true));
    }
    client.write(all.toByteArray());
    for (int i = 0; i < count; i++) {
      assertThat(answer().text())
          .as("pong %d of %d", i + 1, count)
          .isEqualTo("{\"type\":\"pong\"}");
    }
  }

  private void fragmented(Random random, StringBuilder description) throws Exception {
    int parts = 2 + random.nextInt(6);
    boolean over = random.nextInt(3) == 0;
    int partSize = over ? LIMIT / parts + 1 + random.nextInt(1000) : random.nextInt(LIMIT / parts);
    description.append(parts).append(" fragments of ").append(partSize).append(" bytes");
    byte[] part = new byte[partSize];
    java.util.Arrays.fill(part, (byte) ' ');
    for (int i = 0; i < parts; i++) {
      byte[] payload = i == 0 && partSize > 0 ? withBrace(part) : part;
      client.frame(
          i == parts - 1, 0, i == 0 ? RawWebSocket.TEXT : RawWebSocket.CONTINUATION, payload, true);
    }
    if (over) {
      expectClose(1009);
    } else {
      assertError(answer());
    }
  }

  private static byte[] withBrace(byte[] part) {
    byte[] copy = part.clone();
    copy[0] = '[';
    return copy;
  }

  private void violation(Random random, StringBuilder description) throws Exception {
    int kind = random.nextInt(7);
    byte[] small = "{\"action\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
    int expected;
    switch (kind) {
      case 0 -> {
        description.append("text frame of invalid UTF-8");
        client.send(RawWebSocket.TEXT, new byte[] {'"', (byte) 0xc3, (byte) 0x28, '"'});
        expected = 1007;
      }
      case 1 -> {
        // RFC 6455 says a server must close on an unmasked client frame; Java-WebSocket 1.6.0
        // reads it like any other. Harmless here (masking protects proxies' caches, not the
        // server), so either answer is accepted: a pong, or a close with 1002.
        description.append("unmasked frame");
        client.frame(true, 0, RawWebSocket.TEXT, small, false);
        Frame answer = answer();
        if (answer.opcode() == RawWebSocket.TEXT) {
          assertThat(answer.text()).isEqualTo("{\"type\":\"pong\"}");
          return;
        }
        assertThat(answer.closeCode()).isEqualTo(1002);
        client.close();
        client = RawWebSocket.open(runtime.wsUri(), runtime.token());
        return;
      }
      case 2 -> {
        description.append("reserved bits");
        client.frame(true, 1 + random.nextInt(7), RawWebSocket.TEXT, small, true);
        expected = 1002;
      }
      case 3 -> {
        int opcode = List.of(3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF).get(random.nextInt(10));
        description.append("opcode ").append(opcode);
        client.send(opcode, small);
        expected = 1002;
      }
      case 4 -> {
        description.append("control frame over 125 bytes");
        client.send(RawWebSocket.PING, new byte[126 + random.nextInt(1000)]);
        expected = 1002;
      }
      case 5 -> {
        description.append("fragmented control frame");
        client.frame(false, 0, RawWebSocket.PING, new byte[3], true);
        expected = 1002;
      }
      default -> {
        description.append("continuation without a start");
        client.frame(true, 0, RawWebSocket.CONTINUATION, small, true);
        expected = 1002;
      }
    }
    expectClose(expected);
  }

  private void handshake(Random random, StringBuilder description) throws Exception {
    String token = runtime.token();
    String resource =
        switch (random.nextInt(8)) {
          case 0 -> "/?token=" + token;
          case 1 -> "/?token=" + token + "x";
          case 2 -> "/?token=" + token + "&token=" + token;
          case 3 -> "/devices?token=" + token;
          case 4 -> "/?" + HttpRequests.query(random).replace("?", "");
          case 5 -> HttpRequests.path(random) + HttpRequests.query(random);
          case 6 -> "/?token=%zz";
          default ->
              "/?token="
                  + Payloads.unicode(random, 30)
                      .replace(" ", "%20")
                      .replace("\r", "")
                      .replace("\n", "");
        };
    String extra =
        switch (random.nextInt(8)) {
          case 0 -> "Sec-WebSocket-Protocol: chat\r\n";
          case 1 -> "Origin: http://evil.example\r\n";
          case 2 -> "Sec-WebSocket-Extensions: permessage-deflate\r\n";
          default -> "";
        };
    byte[] request = RawWebSocket.request(resource, extra);
    String text = new String(request, StandardCharsets.UTF_8);
    switch (random.nextInt(6)) {
      case 0 -> text = text.replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8");
      case 1 -> text = text.replaceFirst("Sec-WebSocket-Key: [^\r]*\r\n", "");
      case 2 -> text = text.replace("Upgrade: websocket\r\n", "");
      case 3 -> text = text.replace("GET ", "POST ");
      default -> {}
    }
    description.append("handshake: ").append(Printable.of(text));
    Handshake answer =
        RawWebSocket.handshake(runtime.wsUri(), text.getBytes(StandardCharsets.UTF_8), 10_000);
    if (answer.socket() != null) {
      answer.socket().close();
      // The library is lenient about the other headers (a missing Upgrade, POST); the token is what
      // guards the door.
      assertThat(resource)
          .as("only the right token on / opens a connection")
          .isEqualTo("/?token=" + token);
      return;
    }
    assertThat(answer.status())
        .as("a refused handshake is answered, not dropped: %s", answer.head())
        .isIn(400, 401, 404);
    Leaks.assertNone("a refused handshake", answer.head() + answer.body());
    assertThat(answer.head()).containsIgnoringCase("content-type: application/json");
    assertThat(JSON.readTree(answer.body()).path("error").asText()).isNotBlank();
  }

  /**
   * After a frame too big to read, the server sends 1009 and closes; a peer still writing may get a
   * reset before it reads that frame, so a cut connection is accepted too.
   */
  private void expectCloseOrCut(int code) throws Exception {
    expectClose(code, true);
  }

  private void expectClose(int code) throws Exception {
    expectClose(code, false);
  }

  /** Reads the server's close frame with {@code code}, then opens a fresh connection. */
  private void expectClose(int code, boolean cutAllowed) throws Exception {
    try {
      Frame frame = answer();
      assertThat(frame.opcode())
          .as("a close frame, got %s", frame.text())
          .isEqualTo(RawWebSocket.CLOSE);
      assertThat(frame.closeCode()).isEqualTo(code);
      Leaks.assertNone("a close reason", frame.text());
    } catch (IOException e) {
      if (!cutAllowed) {
        fail("the connection was cut without a close frame (%d expected): %s", code, e);
      }
    }
    client.close();
    client = RawWebSocket.open(runtime.wsUri(), runtime.token());
  }

  /** The next frame that answers the fuzz client, skipping the pushes it receives meanwhile. */
  private Frame answer() throws IOException {
    while (true) {
      Frame frame = client.readMessage();
      if (frame.opcode() != RawWebSocket.TEXT
          || !(frame.text().startsWith("{\"type\":\"device\"")
              || frame.text().startsWith("{\"type\":\"problem\""))) {
        return frame;
      }
    }
  }

  private static void assertError(Frame frame) throws Exception {
    assertThat(frame.opcode())
        .as("a text answer, not %s", frame.text())
        .isEqualTo(RawWebSocket.TEXT);
    Leaks.assertNone("an error frame", frame.text());
    JsonNode error = JSON.readTree(frame.text());
    assertThat(error.path("type").asText()).as(frame.text()).isEqualTo("error");
    assertThat(error.path("error").asText()).as(frame.text()).isNotBlank();
    assertThat(error.size()).isEqualTo(2);
  }
}
