package org.kloaka.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.local.sqlite.SqliteDatabase;

/** The broker's half of the health: a real listening socket that goes away and comes back. */
class RuntimeHealthTest {

  @TempDir Path dir;

  @Test
  void aBrokerThatStopsAcceptingIsAFaultUntilItAcceptsAgain() throws Exception {
    try (SqliteDatabase db =
            SqliteDatabase.open(
                dir.resolve("kloaka.db"), SqliteDatabase.Durability.NORMAL, 1, Clock.systemUTC());
        RuntimeHealth health = new RuntimeHealth(db, Clock.systemUTC())) {
      ServerSocket broker = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      int port = broker.getLocalPort();
      health.watchBroker(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), port), Duration.ofMillis(100));
      assertThat(health.faults()).isEmpty();

      broker.close();
      await().atMost(Duration.ofSeconds(5)).until(() -> !health.faults().isEmpty());
      assertThat(health.faults().get(0).component()).isEqualTo("broker");
      assertThat(health.faults().get(0).reason())
          .isEqualTo("the MQTT broker does not accept connections");

      try (ServerSocket back = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
        await().atMost(Duration.ofSeconds(5)).until(() -> health.faults().isEmpty());
      }
    }
  }
}
