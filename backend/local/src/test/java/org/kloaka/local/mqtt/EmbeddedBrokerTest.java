package org.kloaka.local.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker and its ingest extension over real MQTT connections, with a sink the test drives. */
class EmbeddedBrokerTest {

  /** Short, so the "store never answers" test does not wait a minute. */
  private static final Duration STORE_TIMEOUT = Duration.ofSeconds(2);

  @TempDir static Path data;
  private static final RecordingSink sink = new RecordingSink();
  private static EmbeddedBroker broker;
  private final List<MqttAsyncClient> clients = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startBroker() {
    broker = EmbeddedBroker.start(BrokerConfig.loopback(data), sink, STORE_TIMEOUT);
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @BeforeEach
  void resetSink() {
    sink.storeEverything();
    sink.clear();
  }

  @AfterEach
  void closeClients() {
    clients.forEach(Mqtt::closeQuietly);
  }

  private MqttAsyncClient connect() throws MqttException {
    MqttAsyncClient client = Mqtt.connect(broker.uri());
    clients.add(client);
    return client;
  }

  @Test
  void listensOnTheLoopbackAddressOnAChosenPort() {
    assertThat(broker.port()).isPositive();
    assertThat(broker.uri()).isEqualTo("tcp://127.0.0.1:" + broker.port());
  }

  @Test
  void keepsItsFilesUnderTheDataDirectory() {
    assertThat(data.resolve("mqtt/conf/config.xml")).isRegularFile();
    assertThat(data.resolve("mqtt/data")).isDirectory();
    // Set by the first broker of this JVM (JNA reads it once), into that broker's data directory.
    assertThat(System.getProperty("jna.tmpdir")).endsWith(Path.of("mqtt", "tmp").toString());
    assertThat(Path.of("data")).doesNotExist();
  }

  @Test
  void qos1PayloadReachesTheSinkBeforeTheAcknowledgement() throws Exception {
    MqttAsyncClient client = connect();

    client
        .publish(Mqtt.TOPIC, Mqtt.message("{\"id\":\"01\",\"filling\":\"100\"}", 1))
        .waitForCompletion(10_000);

    assertThat(sink.texts()).containsExactly("{\"id\":\"01\",\"filling\":\"100\"}");
  }

  @Test
  void qos1AcknowledgementWaitsForTheStore() throws Exception {
    sink.holdEverything();
    MqttAsyncClient client = connect();
    CompletableFuture<Void> acknowledged = new CompletableFuture<>();

    client.publish(
        Mqtt.TOPIC,
        Mqtt.message("{\"id\":\"02\",\"filling\":50}", 1),
        null,
        Mqtt.completing(acknowledged));
    await().atMost(Duration.ofSeconds(10)).until(() -> sink.received().size() == 1);

    // Received by the sink but not stored: no PUBACK may arrive, however long we watch.
    await()
        .during(Duration.ofMillis(700))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !acknowledged.isDone());

    sink.received().get(0).stored().complete("committed");
    assertThat(acknowledged).succeedsWithin(Duration.ofSeconds(10));
  }

  @Test
  void storeFailureDisconnectsThePublisherWithoutAcknowledging() throws Exception {
    sink.failEverything();
    AtomicReference<Throwable> lost = new AtomicReference<>();
    MqttAsyncClient client = connect();
    client.setCallback(new LossRecorder(lost));

    IMqttDeliveryToken token =
        client.publish(Mqtt.TOPIC, Mqtt.message("{\"id\":\"03\",\"filling\":0}", 1));

    await().atMost(Duration.ofSeconds(10)).until(() -> lost.get() != null);
    assertThat(client.isConnected()).isFalse();
    assertThat(token.isComplete() && token.getException() == null)
        .as("a PUBACK arrived for a message that was not stored")
        .isFalse();
    assertThat(sink.received()).hasSize(1);
  }

  @Test
  void aSinkThatThrowsIsAFailureToo() throws Exception {
    sink.throwEverything();
    AtomicReference<Throwable> lost = new AtomicReference<>();
    MqttAsyncClient client = connect();
    client.setCallback(new LossRecorder(lost));

    IMqttDeliveryToken token =
        client.publish(Mqtt.TOPIC, Mqtt.message("{\"id\":\"03\",\"filling\":0}", 1));

    await().atMost(Duration.ofSeconds(10)).until(() -> lost.get() != null);
    assertThat(token.isComplete() && token.getException() == null).isFalse();
  }

  @Test
  void aStoreThatNeverAnswersDisconnectsThePublisherAfterTheTimeout() throws Exception {
    sink.holdEverything();
    AtomicReference<Throwable> lost = new AtomicReference<>();
    MqttAsyncClient client = connect();
    client.setCallback(new LossRecorder(lost));

    IMqttDeliveryToken token =
        client.publish(Mqtt.TOPIC, Mqtt.message("{\"id\":\"04\",\"filling\":0}", 1));

    await()
        .atMost(STORE_TIMEOUT.plusSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> lost.get() != null);
    assertThat(token.isComplete() && token.getException() == null).isFalse();
    // Storing it late changes nothing for this connection: it is gone, and no PUBACK followed.
    sink.received().get(0).stored().complete("late");
    assertThat(client.isConnected()).isFalse();
  }

  @Test
  void qos0PayloadsReachTheSinkToo() throws Exception {
    MqttAsyncClient client = connect();

    for (int i = 0; i < 20; i++) {
      client.publish(Mqtt.TOPIC, Mqtt.message("{\"id\":\"05\",\"filling\":" + i + "}", 0));
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> sink.received().size() == 20);
    assertThat(sink.texts())
        .containsExactlyElementsOf(
            IntStream.range(0, 20).mapToObj(i -> "{\"id\":\"05\",\"filling\":" + i + "}").toList());
  }

  @Test
  void oneClientsMessagesReachTheSinkInTheOrderSent() throws Exception {
    MqttAsyncClient client = connect();
    List<String> sent = IntStream.range(0, 500).mapToObj(i -> "{\"n\":" + i + "}").toList();

    IMqttDeliveryToken last = null;
    for (String text : sent) {
      last = client.publish(Mqtt.TOPIC, Mqtt.message(text, 1));
    }
    last.waitForCompletion(30_000);

    await().atMost(Duration.ofSeconds(10)).until(() -> sink.received().size() == sent.size());
    assertThat(sink.texts()).containsExactlyElementsOf(sent);
  }

  @Test
  void otherTopicsPassThroughUntouchedAndDeviceMessagesStillReachSubscribers() throws Exception {
    List<String> delivered = new CopyOnWriteArrayList<>();
    MqttAsyncClient subscriber = connect();
    subscriber
        .subscribe(
            new String[] {"other/topic", Mqtt.TOPIC},
            new int[] {1, 1},
            null,
            null,
            new org.eclipse.paho.client.mqttv3.IMqttMessageListener[] {
              (topic, message) -> delivered.add(topic + " " + new String(message.getPayload())),
              (topic, message) -> delivered.add(topic + " " + new String(message.getPayload()))
            })
        .waitForCompletion(10_000);
    MqttAsyncClient publisher = connect();

    publisher.publish("other/topic", Mqtt.message("hello", 1)).waitForCompletion(10_000);
    publisher
        .publish(Mqtt.TOPIC, Mqtt.message("{\"id\":\"06\",\"filling\":\"75\"}", 1))
        .waitForCompletion(10_000);

    await().atMost(Duration.ofSeconds(10)).until(() -> delivered.size() == 2);
    assertThat(delivered)
        .containsExactlyInAnyOrder(
            "other/topic hello", Mqtt.TOPIC + " {\"id\":\"06\",\"filling\":\"75\"}");
    assertThat(sink.texts()).containsExactly("{\"id\":\"06\",\"filling\":\"75\"}");
  }

  @Test
  void aOneMebibytePayloadIsHandedOnWhole() throws Exception {
    MqttAsyncClient client = connect();
    byte[] big = new byte[1024 * 1024];
    Arrays.fill(big, (byte) 'x');

    client.publish(Mqtt.TOPIC, big, 1, false).waitForCompletion(30_000);

    assertThat(sink.received()).hasSize(1);
    assertThat(sink.received().get(0).payload()).isEqualTo(big);
    assertThat(client.isConnected()).isTrue();
  }

  @Test
  void anEmptyPayloadIsHandedOnAsEmpty() throws Exception {
    MqttAsyncClient client = connect();

    client.publish(Mqtt.TOPIC, new byte[0], 1, false).waitForCompletion(10_000);

    assertThat(sink.received()).hasSize(1);
    assertThat(sink.received().get(0).payload()).isEmpty();
  }

  @Test
  void aSecondBrokerInTheSameJvmIsRefused() {
    assertThatThrownBy(() -> EmbeddedBroker.start(BrokerConfig.loopback(data.resolve("2")), sink))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already running");
  }

  /** Records why the connection was lost. */
  private record LossRecorder(AtomicReference<Throwable> lost) implements MqttCallback {
    @Override
    public void connectionLost(Throwable cause) {
      lost.set(cause == null ? new IllegalStateException("lost") : cause);
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {}

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {}
  }
}
