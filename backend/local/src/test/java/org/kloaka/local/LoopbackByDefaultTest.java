package org.kloaka.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7: REST, WebSocket and MQTT listen on 127.0.0.1 unless told otherwise — reachable on
 * loopback, refused on this machine's other addresses. (Binding elsewhere needs MQTT credentials:
 * MainTest and MqttCredentialsEndToEndTest.)
 */
class LoopbackByDefaultTest {

  @TempDir Path dir;

  @Test
  void everyServerListensOnLoopbackOnlyByDefault() throws Exception {
    assertThat(LocalConfig.defaults().bind()).isEqualTo("127.0.0.1");
    InetAddress other = nonLoopbackAddress();
    try (LocalRuntime runtime =
        LocalRuntime.start(
            LocalConfig.defaults()
                .withDataDir(dir.resolve("data"))
                .withPorts(0, 0, 0)
                .withEnv(Map.of()))) {
      for (URI server : List.of(runtime.mqttUri(), runtime.httpUri(), runtime.wsUri())) {
        assertThat(server.getHost()).isEqualTo("127.0.0.1");
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress("127.0.0.1", server.getPort()), 5_000);
        }
        if (other != null) {
          assertThatThrownBy(
                  () -> {
                    try (Socket socket = new Socket()) {
                      socket.connect(new InetSocketAddress(other, server.getPort()), 5_000);
                    }
                  })
              .as("%s on %s", server, other)
              .isInstanceOf(ConnectException.class);
        }
      }
    }
    Assumptions.assumeTrue(
        other != null, "this machine has no address but loopback to try the servers on");
  }

  private static InetAddress nonLoopbackAddress() throws Exception {
    for (NetworkInterface face : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!face.isUp() || face.isLoopback()) {
        continue;
      }
      for (InetAddress address : Collections.list(face.getInetAddresses())) {
        if (address instanceof Inet4Address) {
          return address;
        }
      }
    }
    return null;
  }
}
