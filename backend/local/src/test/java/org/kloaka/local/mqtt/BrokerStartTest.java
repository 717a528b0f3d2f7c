package org.kloaka.local.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting the broker: what it refuses, and how it says so. */
class BrokerStartTest {

  @TempDir Path data;

  @Test
  void aTakenPortFailsTheStartWithTheAddressInTheMessage() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (ServerSocket taken = new ServerSocket(0, 1, loopback)) {
      BrokerConfig config =
          new BrokerConfig(loopback, taken.getLocalPort(), data, Optional.empty());

      assertThatThrownBy(() -> EmbeddedBroker.start(config, new RecordingSink()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("could not start on 127.0.0.1:" + taken.getLocalPort());
    }
    // The failed start released the one-broker-per-JVM slot: a new broker starts.
    try (EmbeddedBroker broker =
        EmbeddedBroker.start(BrokerConfig.loopback(data), new RecordingSink())) {
      assertThat(broker.port()).isPositive();
    }
  }

  @Test
  void closeDisconnectsClientsWithinASecondAndTheNextBrokerWaitsForTheRest() throws Exception {
    EmbeddedBroker first = EmbeddedBroker.start(BrokerConfig.loopback(data), new RecordingSink());
    MqttAsyncClient client = Mqtt.connect(first.uri());
    try {
      long closing = System.nanoTime();
      first.close();
      Duration took = Duration.ofNanos(System.nanoTime() - closing);
      System.out.printf("broker close with a client connected: %d ms%n", took.toMillis());

      assertThat(took).isLessThan(Duration.ofMillis(1_500));
      await().atMost(Duration.ofSeconds(5)).until(() -> !client.isConnected());
      try (ServerSocket again = new ServerSocket(first.port(), 1, first.bind())) {
        assertThat(again.getLocalPort()).as("the listener is closed").isEqualTo(first.port());
      }
    } finally {
      Mqtt.closeQuietly(client);
    }
    // HiveMQ is still winding down; the next broker of this JVM starts once it has.
    RecordingSink sink = new RecordingSink();
    try (EmbeddedBroker second = EmbeddedBroker.start(BrokerConfig.loopback(data), sink)) {
      MqttAsyncClient publisher = Mqtt.connect(second.uri());
      try {
        publisher.publish(Mqtt.TOPIC, "{}".getBytes(), 1, false).waitForCompletion(10_000);
        assertThat(sink.received()).hasSize(1);
      } finally {
        Mqtt.closeQuietly(publisher);
      }
    }
  }

  @Test
  void aNonLoopbackAddressWithoutCredentialsIsRefused() throws Exception {
    InetAddress everywhere = InetAddress.getByName("0.0.0.0");

    assertThatThrownBy(() -> new BrokerConfig(everywhere, 1883, data, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0.0.0.0")
        .hasMessageContaining("--mqtt-username");
  }

  @Test
  void aNonLoopbackAddressWithCredentialsIsAccepted() throws Exception {
    InetAddress everywhere = InetAddress.getByName("0.0.0.0");
    MqttCredentials credentials = new MqttCredentials("kloaka", new byte[] {1, 2, 3});

    BrokerConfig config = new BrokerConfig(everywhere, 0, data, Optional.of(credentials));

    assertThat(config.credentials()).contains(credentials);
  }

  @Test
  void portsOutsideTheTcpRangeAreRefused() {
    InetAddress loopback = InetAddress.getLoopbackAddress();

    assertThatThrownBy(() -> new BrokerConfig(loopback, 65_536, data, Optional.empty()))
        .hasMessageContaining("65536");
    assertThatThrownBy(() -> new BrokerConfig(loopback, -1, data, Optional.empty()))
        .hasMessageContaining("-1");
  }

  @Test
  void anUnresolvableBindAddressIsNamedInTheError() {
    assertThatThrownBy(() -> BrokerConfig.resolve("no-such-host.invalid"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no-such-host.invalid");
  }
}
