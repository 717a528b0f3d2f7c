package org.kloaka.local.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.kloaka.local.RunningRuntime.get;
import static org.kloaka.local.RunningRuntime.request;
import static org.kloaka.local.RunningRuntime.send;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.api.Json;
import org.kloaka.core.Rejects;
import org.kloaka.local.LocalConfig;
import org.kloaka.local.LocalRuntime;
import org.kloaka.local.MutableClock;
import org.kloaka.local.PushClient;

/**
 * The whole local runtime from the outside: device messages published over MQTT (Paho), state read
 * over REST, changes received over the WebSocket. One runtime for the class (a start/stop costs ~5
 * s); each test uses its own sensors, so the tests do not see each other's devices.
 */
class MqttIngestEndToEndTest {

  static final long T = 1_658_274_939L;
  static final ObjectMapper JSON = Json.newMapper();

  @TempDir static Path dir;
  static final MutableClock clock = MutableClock.atEpochSecond(T);
  static LocalRuntime runtime;
  static PushClient console;
  static MqttAsyncClient device;
  static int barriers;

  @BeforeAll
  static void start() throws Exception {
    runtime =
        LocalRuntime.start(
            LocalConfig.defaults()
                .withDataDir(dir.resolve("data"))
                .withPorts(0, 0, 0)
                .withEnv(Map.of())
                .withClock(clock));
    console = PushClient.connect(runtime.wsUri(), runtime.token());
    device = Mqtt.connect(runtime.mqttUri().toString());
  }

  @AfterAll
  static void stop() throws Exception {
    Mqtt.closeQuietly(device);
    if (console != null) {
      console.closeBlocking();
    }
    if (runtime != null) {
      runtime.close();
    }
  }

  static byte[] plain(String id, String filling) throws Exception {
    return JSON.writeValueAsBytes(JSON.createObjectNode().put("id", id).put("filling", filling));
  }

  /** A The Things Stack v3 uplink as TTN's MQTT integration delivers it. */
  static ObjectNode uplink(String deviceId, Instant receivedAt) {
    ObjectNode root = JSON.createObjectNode();
    root.putObject("end_device_ids")
        .put("device_id", deviceId)
        .put("dev_eui", "70B3D57ED0000001")
        .putObject("application_ids")
        .put("application_id", "kloaka");
    root.put("received_at", receivedAt.toString());
    ObjectNode message = root.putObject("uplink_message");
    message.put("f_port", 1).put("f_cnt", 42);
    message.putArray("rx_metadata").addObject().put("rssi", -97).put("snr", 7.5);
    return root;
  }

  static ObjectNode message(ObjectNode uplink) {
    return (ObjectNode) uplink.get("uplink_message");
  }

  static byte[] bytes(JsonNode node) throws Exception {
    return JSON.writeValueAsBytes(node);
  }

  /** Publishes at QoS 1 and returns once the PUBACK arrived, i.e. once the message is stored. */
  static void publish(byte[] payload) throws Exception {
    device.publish(Mqtt.TOPIC, payload, 1, false).waitForCompletion(30_000);
  }

  static void publish(String id, String filling) throws Exception {
    publish(plain(id, filling));
  }

  /**
   * Waits until the consoles heard everything published so far: a reading of a fresh sensor is
   * pushed after every earlier event (events go out in commit order), so once its push is in, no
   * earlier push is still on its way.
   */
  static void barrier() throws Exception {
    String id = "99-" + ++barriers;
    publish(id, "1");
    console.await(
        f ->
            f.path("type").asText().equals("device")
                && f.path("device").path("id").asText().equals(id));
  }

  static List<JsonNode> problemPushes(String problemId) {
    return console.frames.stream()
        .filter(f -> f.path("type").asText().equals("problem"))
        .filter(f -> f.path("problem").path("problem_id").asText().equals(problemId))
        .toList();
  }

  static int status(String path) throws Exception {
    return send(runtime, request(runtime, path).GET()).statusCode();
  }

  @Test
  void everyRowOfTheFlowTableEndsAsTheRightProblemPushedToTheConsole() throws Exception {
    String[] fillings = {"100", "50", "0"}; // CORRECT, LOW, NO
    String[][] expected = {
      {null, "OBSTRUCTION", "OBSTRUCTION"},
      {"PROBLEM", null, "OBSTRUCTION"},
      {"PROBLEM", "PROBLEM", null}
    };
    for (int up = 0; up < 3; up++) {
      for (int down = 0; down < 3; down++) {
        int tube = 1 + up * 3 + down;
        publish(tube + "1", fillings[up]);
        publish(tube + "2", fillings[down]);
      }
    }
    barrier();

    for (int up = 0; up < 3; up++) {
      for (int down = 0; down < 3; down++) {
        int tube = 1 + up * 3 + down;
        String problemId = tube + "1" + tube + "2";
        String cell = fillings[up] + " upstream, " + fillings[down] + " downstream";
        if (expected[up][down] == null) {
          assertThat(problemPushes(problemId)).as(cell).isEmpty();
          assertThat(status("/problems/" + problemId)).as(cell).isEqualTo(404);
          continue;
        }
        assertThat(problemPushes(problemId)).as(cell).hasSize(1);
        JsonNode pushed = problemPushes(problemId).get(0).path("problem");
        assertThat(pushed.path("problem").asText()).as(cell).isEqualTo(expected[up][down]);
        assertThat(pushed.path("problem_status").asText()).isEqualTo("UNRESOLVED");
        assertThat(pushed.path("upstream_value").asText()).isEqualTo(fillings[up]);
        assertThat(pushed.path("downstream_value").asText()).isEqualTo(fillings[down]);
        assertThat(pushed.path("problem_time").asLong()).isEqualTo(T);
        assertThat(get(runtime, "/problems/" + problemId).path("problem").asText())
            .isEqualTo(expected[up][down]);
      }
    }
  }

  @Test
  void aRedeliveredMessageCreatesNoSecondProblemAndNoSecondPush() throws Exception {
    publish("10-1", "100");
    publish("10-2", "0");
    publish("10-2", "0"); // what a publisher's client resends when it missed the PUBACK
    barrier();

    assertThat(problemPushes("10-110-2")).hasSize(1);
    assertThat(get(runtime, "/problems").path("problems"))
        .filteredOn(p -> p.path("problem_id").asText().equals("10-110-2"))
        .hasSize(1);
    // Every accepted message is one history row, identical readings included (CONTRACT §2).
    assertThat(get(runtime, "/devices/10-2/measurements").path("measurements")).hasSize(2);
  }

  @Test
  void anOutOfOrderMessageGoesToTheHistoryButNotToTheLastValue() throws Exception {
    Instant later = Instant.ofEpochSecond(T + 100);
    Instant earlier = Instant.ofEpochSecond(T + 50);
    ObjectNode current = uplink("kloaka-11-1", later);
    message(current).putObject("decoded_payload").put("filling", 100);
    ObjectNode late = uplink("kloaka-11-1", earlier);
    message(late).putObject("decoded_payload").put("filling", 0);

    publish(bytes(current));
    publish(bytes(late));
    barrier();

    JsonNode stored = get(runtime, "/devices/11-1");
    assertThat(stored.path("last_value").asText()).isEqualTo("100");
    assertThat(stored.path("last_update").asLong()).isEqualTo(T + 100);
    assertThat(get(runtime, "/devices/11-1/measurements").path("measurements"))
        .extracting(m -> m.path("dt").asLong() + "=" + m.path("filling").asText())
        .containsExactly((T + 50) + "=0", (T + 100) + "=100");
    assertThat(console.frames)
        .filteredOn(f -> f.path("device").path("id").asText().equals("11-1"))
        .extracting(f -> f.path("device").path("last_value").asText())
        .containsExactly("100");
  }

  @Test
  void theThingsStackUplinksAreReadingsOfTheirDevice() throws Exception {
    // A minute before the runtime's clock: a later received_at would be refused as from the future.
    Instant at = Instant.ofEpochSecond(T - 60).plusMillis(123);
    ObjectNode decoded = uplink("kloaka-12-1", at);
    message(decoded).putObject("decoded_payload").put("filling", 100);
    ObjectNode raw = uplink("kloaka-12-2", at);
    message(raw)
        .put(
            "frm_payload",
            Base64.getEncoder().encodeToString("50".getBytes(StandardCharsets.US_ASCII)));

    publish(bytes(decoded));
    publish(bytes(raw));
    barrier();

    assertThat(get(runtime, "/devices/12-1").path("last_value").asText()).isEqualTo("100");
    assertThat(get(runtime, "/devices/12-2").path("last_value").asText()).isEqualTo("50");
    assertThat(get(runtime, "/devices/12-2").path("last_update").asLong())
        .isEqualTo(at.getEpochSecond());
    assertThat(problemPushes("12-112-2"))
        .extracting(f -> f.path("problem").path("problem").asText())
        .containsExactly("OBSTRUCTION");
  }

  @Test
  void qos0AndQos1MessagesAreBothStored() throws Exception {
    device.publish(Mqtt.TOPIC, plain("14-1", "50"), 0, false);
    publish("14-2", "50");

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> status("/devices/14-1") == 200 && status("/devices/14-2") == 200);
    assertThat(get(runtime, "/devices/14-1").path("last_value").asText()).isEqualTo("50");
  }

  @Test
  void badPayloadsAmongGoodOnesAreRejectedWithReasonsAndLoseNothingGood() throws Exception {
    List<byte[]> bad = BadPayloads.all();
    assertThat(bad).hasSizeGreaterThanOrEqualTo(40);
    int rejectsBefore = get(runtime, "/rejects?limit=10000").path("rejects").size();
    List<String> good = new ArrayList<>();

    for (int i = 0; i < bad.size(); i++) {
      String id = "13-" + (i + 1);
      good.add(id);
      publish(id, "100");
      publish(bad.get(i));
    }
    publish("13-" + (bad.size() + 1), "100");
    good.add("13-" + (bad.size() + 1));

    for (String id : good) {
      assertThat(get(runtime, "/devices/" + id).path("last_value").asText())
          .as(id)
          .isEqualTo("100");
    }
    JsonNode rejects = get(runtime, "/rejects?limit=10000").path("rejects");
    assertThat(rejects.size() - rejectsBefore).isEqualTo(bad.size());
    for (int i = 0; i < bad.size(); i++) {
      // Newest first: the last bad payload published is the first reject.
      JsonNode reject = rejects.get(bad.size() - 1 - i);
      assertThat(reject.path("payload").asText())
          .as("reject %d", i)
          .isEqualTo(Rejects.preview(bad.get(i)));
      assertThat(reject.path("reason").asText()).as("reject %d", i).isNotBlank();
      assertThat(reject.path("received").asLong()).isEqualTo(T);
    }
    assertThat(device.isConnected()).isTrue();
  }
}
