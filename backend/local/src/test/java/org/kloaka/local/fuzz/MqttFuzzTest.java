package org.kloaka.local.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.api.Json;
import org.kloaka.core.Rejects;
import org.kloaka.ingest.IngestParser;
import org.kloaka.local.LocalConfig;
import org.kloaka.local.LocalRuntime;
import org.kloaka.local.mqtt.Mqtt;

/**
 * Fuzzes device messages over real MQTT (docs/ingest.md): random bytes, mutations of valid plain
 * and TTN payloads, random JSON, deep nesting, huge numbers, unicode, 1 MiB payloads, QoS 0 and 1,
 * other topics, and raw garbage on the MQTT port, with good readings interleaved.
 *
 * <p>Properties: every QoS 1 message is acknowledged and the publisher stays connected; each device
 * message is either stored (one history row) or rejected — kept with a reason for a person and the
 * first 4 KiB of the payload, in order — and nothing else; a message that cannot be valid (not
 * JSON, over 4 KiB, empty) is rejected, every good reading is stored with its value; messages on
 * other topics store nothing; no reason and no log line shows a stack trace or internals, the log
 * never shows the token.
 */
@Tag("slow")
@Tag("fuzz")
class MqttFuzzTest {

  static final ObjectMapper JSON = Json.newMapper();

  @TempDir Path dir;
  LocalRuntime runtime;
  MqttAsyncClient client;

  enum Expect {
    STORED,
    REJECTED,
    EITHER
  }

  /** One device message as sent, and what it must become. */
  record Sent(byte[] payload, Expect expect) {}

  @AfterEach
  void stop() {
    Mqtt.closeQuietly(client);
    if (runtime != null) {
      runtime.close();
    }
  }

  @Test
  void everyMessageIsStoredOrRejectedWithAReasonAndGoodReadingsAreAllStored() throws Exception {
    Fuzz fuzz = Fuzz.of("MQTT", 1_000, Duration.ofMillis(12_500));
    byte[] ttn =
        MqttFuzzTest.class.getResourceAsStream("/payloads/ttn-uplink-kloaka02.json").readAllBytes();
    List<Sent> sent = new ArrayList<>();
    Map<String, List<String>> good = new HashMap<>();
    int[] garbage = new int[2];
    try (LogCapture log = LogCapture.start()) {
      runtime =
          LocalRuntime.start(
              LocalConfig.defaults()
                  .withDataDir(dir.resolve("data"))
                  .withPorts(0, 0, 0)
                  .withEnv(Map.of()));
      client = Mqtt.connect(runtime.mqttUri().toString());

      fuzz.run(
          (random, index, description) -> {
            if (index % 5 == 0) {
              String sensor = (1 + index % 7) + "-" + (1 + index / 5 % 9);
              String filling = String.valueOf(random.nextInt(101));
              byte[] payload = plain(sensor, filling);
              description.append("good: ").append(new String(payload, StandardCharsets.UTF_8));
              publish(payload, 1);
              sent.add(new Sent(payload, Expect.STORED));
              good.computeIfAbsent(canonical(sensor), s -> new ArrayList<>()).add(filling);
              return;
            }
            int pick = random.nextInt(100);
            if (pick < 3) {
              description.append("raw bytes on the MQTT port");
              rawGarbage(random, runtime.mqttUri());
              garbage[0]++;
              return;
            }
            if (pick < 6) {
              byte[] payload = plain("01", "50");
              String topic =
                  List.of(
                          "kloaka_from_device/x",
                          "Kloaka_from_device",
                          "other",
                          "kloaka_from_device ")
                      .get(random.nextInt(4));
              description.append("other topic '").append(topic).append("'");
              client.publish(topic, payload, 1, false).waitForCompletion(30_000);
              garbage[1]++;
              return;
            }
            Sent message = message(random, ttn);
            description
                .append(message.expect())
                .append(": ")
                .append(Printable.of(message.payload(), 600));
            int qos = random.nextInt(5) == 0 ? 0 : 1;
            description.append(" (QoS ").append(qos).append(")");
            publish(message.payload(), qos);
            sent.add(message);
          });

      // A last QoS 1 message: once acknowledged, everything before it from this client is stored.
      byte[] last = plain("99-99", "100");
      publish(last, 1);
      sent.add(new Sent(last, Expect.STORED));
      good.computeIfAbsent("99-99", s -> new ArrayList<>()).add("100");

      checkOutcomes(sent, good);
      String logged = log.text();
      assertThat(logged).as("the log shows no stack trace").doesNotContain("\tat ");
      assertThat(logged).as("the log never shows the token").doesNotContain(runtime.token());
      assertThat(logged.lines().filter(l -> l.contains("Rejected a device message")).count())
          .as("rejects are logged once a minute, not once each")
          .isBetween(1L, 2L);
    }
    System.out.printf(
        "MQTT: %d device messages, %d raw garbage connections, %d messages on other topics%n",
        sent.size(), garbage[0], garbage[1]);
  }

  private void publish(byte[] payload, int qos) throws MqttException {
    MqttMessage message = new MqttMessage(payload);
    message.setQos(qos);
    if (!client.isConnected()) {
      throw new AssertionError("the publisher was disconnected");
    }
    var token = client.publish(Mqtt.TOPIC, message);
    if (qos == 1) {
      token.waitForCompletion(30_000); // throws unless the PUBACK came
    }
  }

  /** Walks the messages in order against the rejects (oldest first) and the stored history. */
  private void checkOutcomes(List<Sent> sent, Map<String, List<String>> good) throws Exception {
    List<JsonNode> rejects = new ArrayList<>();
    get("/rejects?limit=10000").path("rejects").forEach(rejects::add);
    java.util.Collections.reverse(rejects); // oldest first
    int next = 0;
    int stored = 0;
    for (int i = 0; i < sent.size(); i++) {
      Sent message = sent.get(i);
      String preview = Rejects.preview(message.payload());
      boolean rejected =
          next < rejects.size() && rejects.get(next).path("payload").asText().equals(preview);
      String what =
          "message " + i + " (" + message.expect() + "): " + Printable.of(message.payload(), 300);
      if (rejected) {
        assertThat(message.expect()).as("rejected: %s", what).isNotEqualTo(Expect.STORED);
        JsonNode reject = rejects.get(next);
        assertThat(reject.path("reason").asText()).as(what).isNotBlank();
        Leaks.assertNone("a reject's reason", reject.path("reason").asText());
        assertThat(reject.path("received").isIntegralNumber()).isTrue();
        next++;
      } else {
        assertThat(message.expect()).as("not rejected: %s", what).isNotEqualTo(Expect.REJECTED);
        stored++;
      }
    }
    assertThat(next).as("every reject belongs to a message, in order").isEqualTo(rejects.size());

    int rows = 0;
    for (JsonNode device : get("/devices").path("devices")) {
      String id = device.path("id").asText();
      JsonNode history = get("/devices/" + id + "/measurements?limit=10000").path("measurements");
      rows += history.size();
      List<String> values = new ArrayList<>();
      history.forEach(row -> values.add(row.path("filling").asText()));
      if (good.containsKey(id)) {
        assertThat(values).as("the good readings of %s", id).containsAll(good.get(id));
      }
    }
    assertThat(good.keySet()).allSatisfy(id -> assertThat(id).isNotBlank());
    assertThat(rows).as("one history row per stored message, nothing else").isEqualTo(stored);
    System.out.printf("MQTT outcomes: %d stored, %d rejected%n", stored, rejects.size());
  }

  static String canonical(String sensor) {
    String[] parts = sensor.split("-");
    return parts[0].length() == 1 && parts[1].length() == 1 ? parts[0] + parts[1] : sensor;
  }

  static byte[] plain(String id, String filling) throws Exception {
    return JSON.writeValueAsBytes(JSON.createObjectNode().put("id", id).put("filling", filling));
  }

  static Sent message(Random random, byte[] ttn) throws Exception {
    byte[] payload;
    Expect expect = Expect.EITHER;
    switch (random.nextInt(12)) {
      case 0 -> {
        payload = Payloads.randomBytes(random, 1 + random.nextInt(600));
        expect = startsLikeJson(payload) ? Expect.EITHER : Expect.REJECTED;
      }
      case 1, 2, 3 -> payload = Payloads.mutate(random, plain(id(random), filling(random)));
      case 4, 5 -> payload = Payloads.mutate(random, ttn);
      case 6 -> payload = Payloads.json(random).getBytes(StandardCharsets.UTF_8);
      case 7 -> {
        payload = Payloads.deepNesting(random, 4000);
        expect = Expect.REJECTED;
      }
      case 8 ->
          payload =
              ("{\"id\":\""
                      + id(random)
                      + "\",\"filling\":"
                      + Payloads.hugeNumber(random, 300)
                      + "}")
                  .getBytes(StandardCharsets.UTF_8);
      case 9 ->
          payload =
              JSON.writeValueAsBytes(
                  JSON.createObjectNode()
                      .put("id", random.nextBoolean() ? Payloads.unicode(random, 8) : id(random))
                      .put(
                          "filling",
                          random.nextBoolean() ? Payloads.unicode(random, 8) : filling(random)));
      case 10 -> {
        payload = mebibyte(random);
        expect = Expect.REJECTED;
      }
      default -> {
        payload = random.nextBoolean() ? new byte[0] : " \n".getBytes(StandardCharsets.UTF_8);
        expect = Expect.REJECTED;
      }
    }
    if (payload.length > IngestParser.MAX_PAYLOAD_BYTES) {
      expect = Expect.REJECTED;
    }
    return new Sent(payload, expect);
  }

  private static boolean startsLikeJson(byte[] payload) {
    for (byte b : payload) {
      if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
        continue;
      }
      return b == '{' || (b & 0xff) == 0xef; // an object, or a BOM before one
    }
    return false;
  }

  /** Exactly 1 MiB: padding, a good reading padded, or random bytes. */
  static byte[] mebibyte(Random random) throws Exception {
    byte[] big = new byte[1024 * 1024];
    switch (random.nextInt(3)) {
      case 0 -> Arrays.fill(big, (byte) 'a');
      case 1 -> {
        Arrays.fill(big, (byte) ' ');
        byte[] reading = plain("01", "100");
        System.arraycopy(reading, 0, big, 0, reading.length);
      }
      default -> random.nextBytes(big);
    }
    return big;
  }

  static String id(Random random) {
    return random.nextInt(4) == 0
        ? List.of("01", "0-1", "001", "1", "12-7", "9999-9999", "10000-1", "")
            .get(random.nextInt(8))
        : (1 + random.nextInt(3)) + "-" + (1 + random.nextInt(20));
  }

  static String filling(Random random) {
    return random.nextInt(4) == 0
        ? List.of("100", "0", "50.5", "-1", "101", "1e2", " 50", "NaN", "62.5")
            .get(random.nextInt(9))
        : String.valueOf(random.nextInt(101));
  }

  /** A connection that sends bytes no MQTT client would: the broker must shrug it off. */
  static void rawGarbage(Random random, URI mqtt) throws IOException {
    byte[] connect = {
      0x10, 0x10, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0x00, 0x3c, 0x00, 0x04, 'f', 'u', 'z',
      'z'
    };
    byte[] bytes =
        random.nextBoolean()
            ? Payloads.randomBytes(random, 1 + random.nextInt(300))
            : Payloads.mutate(random, connect);
    try (Socket socket = new Socket(mqtt.getHost(), mqtt.getPort())) {
      socket.setSoTimeout(200);
      socket.getOutputStream().write(bytes);
      InputStream in = socket.getInputStream();
      try {
        in.read(new byte[64]);
      } catch (IOException e) {
        // closed or silent: both fine
      }
    } catch (IOException e) {
      // reset by the broker: fine
    }
  }

  private JsonNode get(String path) throws Exception {
    RawHttp.Exchange exchange =
        RawHttp.send(
            runtime.httpUri(),
            ("GET "
                    + path
                    + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + runtime.token()
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8),
            List.of("GET"),
            60_000);
    assertThat(exchange.answers()).hasSize(1);
    assertThat(exchange.answers().get(0).status()).as(path).isEqualTo(200);
    return JSON.readTree(exchange.answers().get(0).body());
  }
}
