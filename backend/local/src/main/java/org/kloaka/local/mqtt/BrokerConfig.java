package org.kloaka.local.mqtt;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How the embedded broker listens.
 *
 * @param bind the address the MQTT listener binds to
 * @param port the TCP port, 0 for a free one
 * @param dataDir the runtime's data directory; the broker keeps its files in {@code
 *     <dataDir>/mqtt/}
 * @param credentials when present, the only username/password accepted; anonymous clients are
 *     refused. Required when {@code bind} is not a loopback address: a broker reachable from other
 *     machines must not take anyone's messages.
 */
public record BrokerConfig(
    InetAddress bind, int port, Path dataDir, Optional<MqttCredentials> credentials) {

  public BrokerConfig {
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(credentials, "credentials");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("the MQTT port must be 0-65535, was " + port);
    }
    if (!bind.isLoopbackAddress() && credentials.isEmpty()) {
      throw new IllegalArgumentException(
          "MQTT bound to "
              + bind.getHostAddress()
              + " (not a loopback address) needs credentials: give --mqtt-username and"
              + " --mqtt-password-file, or bind to 127.0.0.1");
    }
  }

  /** Loopback on a free port, anonymous: for tests and the console's embedded runtime. */
  public static BrokerConfig loopback(Path dataDir) {
    return new BrokerConfig(InetAddress.getLoopbackAddress(), 0, dataDir, Optional.empty());
  }

  /**
   * Resolves a {@code --bind} value (an IP address or a host name).
   *
   * @throws IllegalArgumentException naming the address when it does not resolve
   */
  public static InetAddress resolve(String bind) {
    try {
      return InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("cannot resolve the bind address '" + bind + "'", e);
    }
  }

  /** The same listener with credentials. */
  public BrokerConfig withCredentials(MqttCredentials value) {
    return new BrokerConfig(bind, port, dataDir, Optional.of(value));
  }
}
