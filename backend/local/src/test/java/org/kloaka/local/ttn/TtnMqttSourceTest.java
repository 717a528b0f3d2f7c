package org.kloaka.local.ttn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.kloaka.local.RunningRuntime.get;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.local.LocalConfig;
import org.kloaka.local.LocalRuntime;
import org.kloaka.local.StartupException;

/**
 * The Things Stack's MQTT server as a source, against a real Mosquitto with TLS and passwords: what
 * the server sends is stored through the same ingest as the embedded broker's; a wrong key, an
 * expired certificate or a server that goes away is a clear error in {@code /status}, retried, with
 * the runtime up.
 */
class TtnMqttSourceTest {

  static final String TOPIC = "v3/" + Mosquitto.USER + "/devices/";

  @TempDir Path dir;
  Mosquitto broker;
  Path ca;
  LocalRuntime runtime;

  @BeforeEach
  void tools() {
    Mosquitto.requireTools();
  }

  @AfterEach
  void stop() throws Exception {
    if (runtime != null) {
      runtime.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  void startBroker(boolean expired) throws Exception {
    ca = Mosquitto.certificates(dir.resolve("certs"), expired);
    broker = Mosquitto.start(dir.resolve("broker"), dir.resolve("certs"));
  }

  Path keyFile(String key) throws Exception {
    Path file = dir.resolve("ttn-key");
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, key + "\n", StandardCharsets.UTF_8);
    return file;
  }

  LocalRuntime startRuntime(String key, Path caFile, String storage) throws Exception {
    runtime =
        LocalRuntime.start(
            LocalConfig.defaults()
                .withDataDir(dir.resolve("data"))
                .withPorts(0, 0, 0)
                .withEnv(Map.of())
                .withHttpRateLimit(0)
                .withoutMqtt()
                .withTtn(
                    new TtnOptions(
                        TtnOptions.uri(broker.url()),
                        Mosquitto.USER,
                        keyFile(key),
                        caFile,
                        TtnOptions.uri(storage))));
    return runtime;
  }

  JsonNode ttnStatus() throws Exception {
    for (JsonNode source : get(runtime, "/status").path("sources")) {
      if (source.path("name").asText().equals("ttn")) {
        return source;
      }
    }
    throw new AssertionError("no ttn source in /status");
  }

  void awaitState(String state) {
    await()
        .atMost(Mosquitto.deadline())
        .until(() -> ttnStatus().path("state").asText().equals(state));
  }

  static byte[] fixture(String name) throws Exception {
    try (InputStream in = TtnMqttSourceTest.class.getResourceAsStream("/ttn/" + name)) {
      return in.readAllBytes();
    }
  }

  static byte[] uplink(String device, Instant receivedAt, int filling) {
    return ("{\"end_device_ids\": {\"device_id\": \""
            + device
            + "\"}, \"received_at\": \""
            + receivedAt
            + "\", \"uplink_message\": {\"f_cnt\": "
            + filling
            + ", \"decoded_payload\": {\"filling\": "
            + filling
            + "}}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void uplinksOnTheApplicationsUpTopicAreStoredAndOtherTopicsIgnored() throws Exception {
    startBroker(false);
    startRuntime(Mosquitto.KEY, ca, null);
    awaitState("connected");
    MqttClient ttn = broker.publisher(ca);
    try {
      byte[] firmware = fixture("uplink-original-firmware-twelve-gateways.json");
      ttn.publish(TOPIC + "st-lrwan1-a/join", firmware, 0, false);
      ttn.publish(TOPIC + "st-lrwan1-a/up", "not json".getBytes(StandardCharsets.UTF_8), 0, false);
      ttn.publish(TOPIC + "st-lrwan1-a/up", firmware, 0, false);
    } finally {
      ttn.disconnect();
      ttn.close();
    }

    await()
        .atMost(Mosquitto.deadline())
        .until(() -> get(runtime, "/devices").path("devices").size() == 1);
    JsonNode device = get(runtime, "/devices/01");
    assertThat(device.path("last_value").asText()).isEqualTo("100");
    assertThat(device.path("signal").path("gateway_id").asText()).isEqualTo("kloaka-gw-12");
    assertThat(device.path("f_cnt").asLong()).isEqualTo(4021);
    JsonNode rejects = get(runtime, "/rejects").path("rejects");
    assertThat(rejects).hasSize(1);
    assertThat(rejects.get(0).path("payload").asText()).isEqualTo("not json");
    assertThat(ttnStatus().path("messages").asLong()).isEqualTo(2);
    assertThat(ttnStatus().path("error").isNull()).isTrue();
  }

  @Test
  void aWrongKeyIsAnErrorInStatusAndTheRuntimeKeepsServingAndTrying() throws Exception {
    startBroker(false);
    String wrong = "NNSXS.WRONGKEY.THISISNOTTHEKEY";
    startRuntime(wrong, ca, null);

    await()
        .atMost(Mosquitto.deadline())
        .until(
            () ->
                ttnStatus().path("error").asText().contains("refused the application and API key"));
    JsonNode status = ttnStatus();
    assertThat(status.path("state").asText()).isIn("disconnected", "connecting");
    assertThat(status.toString()).doesNotContain(wrong).doesNotContain("Exception");
    assertThat(get(runtime, "/health").path("status").asText()).isEqualTo("ok");
  }

  @Test
  void anExpiredServerCertificateIsNamedAsSuch() throws Exception {
    startBroker(true);
    startRuntime(Mosquitto.KEY, ca, null);

    await()
        .atMost(Mosquitto.deadline())
        .until(() -> ttnStatus().path("error").asText().contains("expired"));
    assertThat(ttnStatus().path("state").asText()).isNotEqualTo("connected");
  }

  @Test
  void aServerWithoutTheCaIsNotTrusted() throws Exception {
    startBroker(false);
    startRuntime(Mosquitto.KEY, null, null);

    await()
        .atMost(Mosquitto.deadline())
        .until(() -> ttnStatus().path("error").asText().contains("not trusted"));
  }

  @Test
  void whenTheServerGoesAwayMidStreamItReconnectsAndTakesWhatComesNext() throws Exception {
    startBroker(false);
    startRuntime(Mosquitto.KEY, ca, null);
    awaitState("connected");
    Instant t = Instant.parse("2026-11-27T10:00:00Z");
    MqttClient ttn = broker.publisher(ca);
    for (int i = 0; i < 50; i++) {
      ttn.publish(TOPIC + "kloaka01/up", uplink("kloaka01", t.plusSeconds(i), i), 0, false);
    }
    await().atMost(Mosquitto.deadline()).until(() -> measurements("01") == 50);

    broker.kill();
    awaitState("disconnected");
    assertThat(ttnStatus().path("error").asText()).contains("connection lost");
    assertThat(get(runtime, "/health").path("status").asText()).isEqualTo("ok");
    broker.begin();
    awaitState("connected");

    ttn = broker.publisher(ca);
    for (int i = 50; i < 100; i++) {
      ttn.publish(TOPIC + "kloaka01/up", uplink("kloaka01", t.plusSeconds(i), i), 0, false);
    }
    ttn.disconnect();
    ttn.close();
    await().atMost(Mosquitto.deadline()).until(() -> measurements("01") == 100);
    assertThat(get(runtime, "/devices/01").path("last_value").asText()).isEqualTo("99");
  }

  @Test
  void aFloodOfUplinksIsAllStoredInOrderPerDevice() throws Exception {
    startBroker(false);
    startRuntime(Mosquitto.KEY, ca, null);
    awaitState("connected");
    int devices = 20;
    int perDevice = 250;
    Instant t = Instant.parse("2026-11-27T10:00:00Z");
    MqttClient ttn = broker.publisher(ca);
    long start = System.nanoTime();
    for (int i = 0; i < perDevice; i++) {
      for (int d = 0; d < devices; d++) {
        String device = "kloaka-" + (10 + d) + "-1"; // tubes 10… keep the ids in T-S form
        ttn.publish(TOPIC + device + "/up", uplink(device, t.plusSeconds(i), i % 101), 0, false);
      }
    }
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> ttnStatus().path("messages").asLong() == (long) devices * perDevice);
    await().atMost(Duration.ofSeconds(60)).until(() -> measurements("19-1") == perDevice);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "TTN MQTT path: %d uplinks (QoS 0, TLS) stored in %.2f s = %.0f uplinks/s%n",
        devices * perDevice, seconds, devices * perDevice / seconds);
    ttn.disconnect();
    ttn.close();
    for (int d = 0; d < devices; d++) {
      assertThat(measurements((10 + d) + "-1")).as("device %d", d).isEqualTo(perDevice);
      assertThat(get(runtime, "/devices/" + (10 + d) + "-1").path("last_value").asText())
          .isEqualTo(Integer.toString((perDevice - 1) % 101));
    }
  }

  @Test
  void afterARestartOfKloakaTheStorageIntegrationFillsTheGapOnConnecting() throws Exception {
    startBroker(false);
    try (StorageServer storage = new StorageServer("kloaka", Mosquitto.KEY)) {
      startRuntime(Mosquitto.KEY, ca, storage.base().toString());
      awaitState("connected");
      Instant t = Instant.parse("2026-11-27T10:00:00Z");
      MqttClient ttn = broker.publisher(ca);
      byte[] live = uplink("kloaka01", t, 100);
      ttn.publish(TOPIC + "kloaka01/up", live, 0, false);
      storage.add(t, live);
      await().atMost(Mosquitto.deadline()).until(() -> measurements("01") == 1);
      runtime.close();
      runtime = null;

      // While Kloaka is down, TTN's MQTT server drops what it sends (QoS 0); its storage keeps it.
      for (int i = 1; i <= 30; i++) {
        storage.add(t.plusSeconds(i), uplink("kloaka01", t.plusSeconds(i), i));
      }
      startRuntime(Mosquitto.KEY, ca, storage.base().toString());

      await().atMost(Mosquitto.deadline()).until(() -> measurements("01") == 31);
      assertThat(get(runtime, "/devices/01").path("last_value").asText()).isEqualTo("30");
      assertThat(storage.requests.get(0).getRawQuery()).contains("after=2026-11-27T10%3A00%3A00Z");
      ttn.disconnect();
      ttn.close();
    }
  }

  @Test
  void aKeyFileOthersCanReadIsRefusedAtStartWithoutShowingTheKey() throws Exception {
    Path key = keyFile(Mosquitto.KEY);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    LocalConfig config =
        LocalConfig.defaults()
            .withDataDir(dir.resolve("data"))
            .withPorts(0, 0, 0)
            .withEnv(Map.of())
            .withoutMqtt()
            .withTtn(
                new TtnOptions(
                    TtnOptions.uri("mqtts://127.0.0.1:1"), Mosquitto.USER, key, null, null));

    assertThatThrownBy(() -> LocalRuntime.start(config))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("chmod 600")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(Mosquitto.KEY));
  }

  private long measurements(String id) throws Exception {
    JsonNode devices = get(runtime, "/devices").path("devices");
    for (JsonNode device : devices) {
      if (device.path("id").asText().equals(id)) {
        return get(runtime, "/devices/" + id + "/measurements?limit=10000")
            .path("measurements")
            .size();
      }
    }
    return 0;
  }
}
