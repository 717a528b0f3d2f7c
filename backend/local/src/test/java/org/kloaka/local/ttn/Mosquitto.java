package org.kloaka.local.ttn;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Mosquitto with TLS and password authentication, standing in for The Things Stack's MQTT
 * server in tests. Certificates are made per test with {@code openssl}. Without {@code mosquitto}
 * (apt-get install mosquitto) the tests are skipped with that reason, except under {@code
 * KLOAKA_CI=1} where they fail.
 */
final class Mosquitto implements AutoCloseable {

  static final String USER = "kloaka@ttn";
  static final String KEY = "NNSXS.TESTKEY7QWERTY.ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOP";

  private final Path dir;
  private final int port;
  private Process process;

  private Mosquitto(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Skips (or in CI fails) when mosquitto, mosquitto_passwd or openssl is missing. */
  static void requireTools() {
    for (String tool : List.of("mosquitto", "mosquitto_passwd", "openssl")) {
      if (onPath(tool) == null) {
        String message =
            tool
                + " is not on the PATH, so the tests against a real MQTT server with TLS cannot run"
                + " (apt-get install mosquitto openssl)";
        if ("1".equals(System.getenv("KLOAKA_CI"))) {
          throw new IllegalStateException(message + "; CI requires it (KLOAKA_CI=1)");
        }
        Assumptions.abort(message);
      }
    }
  }

  /**
   * Makes a CA ({@code ca.pem}) and a server certificate for 127.0.0.1 / localhost signed by it
   * ({@code server.pem}, {@code server.key}); {@code expired} makes the server's expire yesterday.
   */
  static Path certificates(Path dir, boolean expired) throws Exception {
    Files.createDirectories(dir);
    run(
        dir,
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "3",
        "-subj",
        "/CN=Kloaka test CA");
    run(
        dir,
        "openssl",
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=localhost");
    Files.writeString(
        dir.resolve("ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n", StandardCharsets.UTF_8);
    run(
        dir,
        "openssl",
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        expired ? "-1" : "3",
        "-extfile",
        "ext");
    return dir.resolve("ca.pem");
  }

  /** Starts a broker on a free port with {@link #USER} / {@link #KEY}, TLS from {@code certs}. */
  static Mosquitto start(Path dir, Path certs) throws Exception {
    Mosquitto broker = new Mosquitto(dir, freePort());
    Files.createDirectories(dir);
    run(dir, "mosquitto_passwd", "-b", "-c", dir.resolve("passwords").toString(), USER, KEY);
    List<String> config = new ArrayList<>();
    if ("root".equals(System.getProperty("user.name"))) {
      // Started as root, mosquitto drops to its own user, which cannot read a 0700 temp folder.
      config.add("user root");
    }
    config.add("listener " + broker.port + " 127.0.0.1");
    config.add("cafile " + certs.resolve("ca.pem"));
    config.add("certfile " + certs.resolve("server.pem"));
    config.add("keyfile " + certs.resolve("server.key"));
    config.add("allow_anonymous false");
    config.add("password_file " + dir.resolve("passwords"));
    config.add("persistence false");
    config.add("max_queued_messages 0");
    config.add("max_inflight_messages 0");
    config.add("log_dest file " + dir.resolve("mosquitto.log"));
    Files.write(dir.resolve("mosquitto.conf"), config, StandardCharsets.UTF_8);
    broker.begin();
    return broker;
  }

  /** (Re)starts the process on the same port and waits until it listens. */
  void begin() throws Exception {
    process =
        new ProcessBuilder("mosquitto", "-c", dir.resolve("mosquitto.conf").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("mosquitto.out").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "mosquitto exited: " + Files.readString(dir.resolve("mosquitto.out")));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.onSpinWait();
      }
    }
    throw new IllegalStateException("mosquitto did not listen on " + port + " within 10 s");
  }

  /** Kills the broker (the TTN server going away). */
  void kill() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  String url() {
    return "mqtts://127.0.0.1:" + port;
  }

  /** A publisher, as TTN's Application Server would send, over TLS trusting {@code ca}. */
  MqttClient publisher(Path ca) throws MqttException {
    MqttClient client =
        new MqttClient(
            "ssl://127.0.0.1:" + port, "publisher-" + System.nanoTime(), new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setUserName(USER);
    options.setPassword(KEY.toCharArray());
    options.setSocketFactory(TtnTls.socketFactory(ca));
    options.setMaxInflight(65_000);
    options.setConnectionTimeout(10);
    client.connect(options);
    return client;
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }

  static Duration deadline() {
    return Duration.ofSeconds(30);
  }

  private static void run(Path dir, String... command) throws Exception {
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("tool.out").toFile())
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(
          String.join(" ", command) + " failed: " + Files.readString(dir.resolve("tool.out")));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static Path onPath(String tool) {
    for (String folder : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(folder, tool);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
