package org.kloaka.local.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Optional;
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
