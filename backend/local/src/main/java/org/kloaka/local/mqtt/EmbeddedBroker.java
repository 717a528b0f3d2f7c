package org.kloaka.local.mqtt;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.client.parameter.Listener;
import com.hivemq.extension.sdk.api.client.parameter.ServerInformation;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.kloaka.local.FreePorts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local runtime's MQTT broker: HiveMQ CE embedded (docs/decisions/006), with the ingest
 * extension that hands every message on {@code kloaka_from_device} to a {@link PayloadSink} and
 * acknowledges a QoS 1 publish only once the sink has stored it (docs/ingest.md).
 *
 * <p>Everything HiveMQ writes goes under {@code <data>/mqtt/}; its sessions and queues are in
 * memory (device messages are durable in Kloaka's store, not in the broker). Other topics work as
 * in any broker, for other MQTT clients.
 *
 * <p>One broker per JVM at a time: HiveMQ's extension SDK keeps its services in static fields, so a
 * second one would take over the first one's registries. {@link #start} refuses it.
 */
public final class EmbeddedBroker implements AutoCloseable {

  /**
   * Largest MQTT packet accepted: 1 MiB of payload plus room for the topic and headers. A bigger
   * payload is still a device message the organizer rejects (over 4 KiB), so it must get through to
   * be recorded; beyond this the broker drops the connection, as the MQTT protocol prescribes.
   */
  public static final int MAX_PACKET_BYTES = 1024 * 1024 + 64 * 1024;

  /** How long a PUBACK waits for the store before the client is disconnected instead. */
  static final Duration STORE_TIMEOUT = Duration.ofSeconds(60);

  /**
   * How long {@link #close} waits for HiveMQ to close its listener and every client connection; it
   * takes 20–150 ms here, the rest of HiveMQ's stop (Netty's quiet periods) ~4 s.
   */
  static final Duration CLOSE_LIMIT = Duration.ofMillis(800);

  private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);
  private static final AtomicBoolean running = new AtomicBoolean();
  // The last broker's stop, still winding down after close(); the next start waits for it.
  private static volatile CompletableFuture<Void> lastStop =
      CompletableFuture.completedFuture(null);

  private final EmbeddedHiveMQ hive;
  private final InetAddress bind;
  private final int port;
  private final IntSupplier connections;
  private boolean closed;

  private EmbeddedBroker(EmbeddedHiveMQ hive, InetAddress bind, int port, IntSupplier connections) {
    this.hive = hive;
    this.bind = bind;
    this.port = port;
    this.connections = connections;
  }

  /**
   * Starts the broker and returns once it accepts connections.
   *
   * @throws IllegalStateException when it cannot start (the port is taken, the data directory is
   *     not writable, …), with HiveMQ's reason
   */
  public static EmbeddedBroker start(BrokerConfig config, PayloadSink sink) {
    return start(config, sink, STORE_TIMEOUT);
  }

  static EmbeddedBroker start(BrokerConfig config, PayloadSink sink, Duration storeTimeout) {
    IngestExtension extension = new IngestExtension(sink, config.credentials(), storeTimeout);
    return start(config, extension, extension::listeners, extension::connections);
  }

  /**
   * The same broker, configured the same way, with no Kloaka interceptor at all: a plain MQTT
   * broker. Only for measuring the MQTT leg alone (the benchmark's bare-broker figure); it stores
   * nothing and its acknowledgements wait for nothing.
   */
  public static EmbeddedBroker startWithoutIngest(BrokerConfig config) {
    ListenersOnly extension = new ListenersOnly();
    return start(config, extension, extension::listeners, () -> 0);
  }

  private static EmbeddedBroker start(
      BrokerConfig config,
      ExtensionMain extension,
      Supplier<Set<Listener>> listeners,
      IntSupplier connections) {
    if (!running.compareAndSet(false, true)) {
      throw new IllegalStateException(
          "an embedded MQTT broker is already running in this JVM; close it first");
    }
    try {
      awaitLastStop();
      return startHive(config, extension, listeners, connections);
    } catch (RuntimeException e) {
      running.set(false);
      throw e;
    }
  }

  /**
   * An extension that only learns the bound listeners (their real ports); it intercepts nothing.
   */
  private static final class ListenersOnly implements ExtensionMain {
    private volatile ServerInformation server;

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
      server = input.getServerInformation();
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {}

    Set<Listener> listeners() {
      ServerInformation current = server;
      if (current == null) {
        throw new IllegalStateException("the broker's extension has not started");
      }
      return current.getListener();
    }
  }

  /**
   * Waits until the last broker of this JVM has stopped in full (its close returns before): for a
   * benchmark that times a start without the previous stop's tail in it.
   */
  public static void awaitStopped() {
    awaitLastStop();
  }

  /** HiveMQ's SDK services are static: a new broker starts only once the last one has stopped. */
  private static void awaitLastStop() {
    try {
      lastStop.get(2, TimeUnit.MINUTES);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the previous MQTT broker of this JVM did not stop", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "interrupted waiting for the previous MQTT broker to stop", e);
    }
  }

  private static EmbeddedBroker startHive(
      BrokerConfig config,
      ExtensionMain extension,
      Supplier<Set<Listener>> listeners,
      IntSupplier connections) {
    long started = System.nanoTime();
    BrokerFiles files = BrokerFiles.prepare(config);
    EmbeddedHiveMQ hive =
        EmbeddedHiveMQ.builder()
            .withConfigurationFolder(files.config())
            .withDataFolder(files.data())
            .withExtensionsFolder(files.extensions())
            .withEmbeddedExtension(
                EmbeddedExtension.builder()
                    .withId("kloaka-ingest")
                    .withName("Kloaka ingest")
                    .withVersion("1")
                    .withPriority(1000)
                    .withStartPriority(1000)
                    .withExtensionMain(extension)
                    .build())
            // No logback: HiveMQ logs through slf4j to slf4j-simple (levels in BrokerFiles).
            .withoutLoggingBootstrap()
            .build();
    try {
      hive.start().get(2, TimeUnit.MINUTES);
    } catch (ExecutionException | TimeoutException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      stopAfterFailedStart(hive);
      throw new IllegalStateException(
          "the MQTT broker could not start on "
              + address(config.bind(), config.port())
              + ": "
              + Objects.requireNonNullElse(cause.getMessage(), "no reason given"),
          cause);
    }
    int port =
        listeners.get().stream()
            .mapToInt(Listener::getPort)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("the MQTT broker has no listener"));
    EmbeddedBroker broker = new EmbeddedBroker(hive, config.bind(), port, connections);
    log.info(
        "MQTT broker listening on {} ({} ms, authentication {})",
        broker.uri(),
        (System.nanoTime() - started) / 1_000_000,
        config.credentials().map(c -> "for user " + c.username()).orElse("off, loopback only"));
    return broker;
  }

  /** The port actually bound (never 0). */
  public int port() {
    return port;
  }

  /** The bound address. */
  public InetAddress bind() {
    return bind;
  }

  /** {@code tcp://host:port}, as MQTT clients such as Paho take it. */
  public String uri() {
    return "tcp://" + address(bind, port);
  }

  /**
   * Stops the broker taking messages: returns once HiveMQ has closed its listener and every client
   * connection (unacknowledged QoS 1 messages are resent by their clients when they reconnect), at
   * most {@link #CLOSE_LIMIT} later. The rest of HiveMQ's stop — ~4 s of Netty's graceful shutdown,
   * which Kloaka cannot shorten — goes on in the background: a process that exits next does not
   * wait for it, and the next {@link #start} in this JVM does. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long started = System.nanoTime();
    try {
      CompletableFuture<Void> stop = hive.stop();
      // Not on HiveMQ's own thread, which completes the stop: close() waits for that thread.
      lastStop = stop.handleAsync((done, error) -> closeHive(error, started));
      long deadline = started + CLOSE_LIMIT.toNanos();
      while (!stop.isDone()
          && (connections.getAsInt() > 0 || !FreePorts.bindable(bind, port))
          && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
      log.info(
          "MQTT broker closed ({} ms; {} clients still connected)",
          (System.nanoTime() - started) / 1_000_000,
          Math.max(0, connections.getAsInt()));
    } finally {
      running.set(false);
    }
  }

  private Void closeHive(Throwable error, long started) {
    if (error != null) {
      log.warn("The MQTT broker did not stop cleanly", error);
    }
    try {
      hive.close();
      log.debug("MQTT broker stopped ({} ms)", (System.nanoTime() - started) / 1_000_000);
    } catch (ExecutionException e) {
      log.warn("The MQTT broker did not stop cleanly", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("Interrupted while stopping the MQTT broker");
    }
    return null;
  }

  /** HiveMQ has already said why it failed (and stopped itself); only release what is left. */
  private static void stopAfterFailedStart(EmbeddedHiveMQ hive) {
    try {
      hive.stop().get(1, TimeUnit.MINUTES);
      hive.close();
    } catch (ExecutionException | TimeoutException e) {
      log.debug("Stopping the broker after its failed start", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String address(InetAddress bind, int port) {
    String host = bind.getHostAddress();
    return (bind instanceof Inet6Address ? "[" + host + "]" : host) + ":" + port;
  }

  /** HiveMQ's folders and configuration file under {@code <data>/mqtt/}. */
  record BrokerFiles(Path config, Path data, Path extensions) {

    static BrokerFiles prepare(BrokerConfig config) {
      Path root = config.dataDir().resolve("mqtt");
      try {
        BrokerFiles files =
            new BrokerFiles(
                Files.createDirectories(root.resolve("conf")),
                Files.createDirectories(root.resolve("data")),
                Files.createDirectories(root.resolve("extensions")));
        Path tmp = Files.createDirectories(root.resolve("tmp"));
        quietLoggersAndLocalTemp(tmp);
        Files.writeString(
            files.config().resolve("config.xml"), configXml(config), StandardCharsets.UTF_8);
        return files;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot prepare the MQTT broker's folder " + root, e);
      }
    }

    /**
     * The listener, 1 MiB packets, no broker persistence on disk (xodus is not even on the class
     * path), no usage statistics sent to HiveMQ. Only numbers and a numeric IP address are
     * substituted, so nothing needs escaping.
     */
    static String configXml(BrokerConfig config) {
      return """
          <?xml version="1.0"?>
          <hivemq>
            <listeners>
              <tcp-listener>
                <port>%d</port>
                <bind-address>%s</bind-address>
                <name>kloaka-mqtt</name>
              </tcp-listener>
            </listeners>
            <mqtt>
              <packets>
                <max-packet-size>%d</max-packet-size>
              </packets>
            </mqtt>
            <persistence>
              <mode>in-memory</mode>
            </persistence>
            <anonymous-usage-statistics>
              <enabled>false</enabled>
            </anonymous-usage-statistics>
          </hivemq>
          """
          .formatted(config.port(), config.bind().getHostAddress(), MAX_PACKET_BYTES);
    }

    /**
     * HiveMQ logs every start step at INFO and JNA (through oshi) unpacks its native library into
     * {@code ~/.cache}: both set here, before HiveMQ's classes load, unless the user set them.
     */
    private static void quietLoggersAndLocalTemp(Path tmp) {
      setIfAbsent("jna.tmpdir", tmp.toString());
      setIfAbsent("org.slf4j.simpleLogger.log.com.hivemq", "warn");
      setIfAbsent("org.slf4j.simpleLogger.log.migrations", "warn"); // HiveMQ's, despite the name
      setIfAbsent("org.slf4j.simpleLogger.log.oshi", "warn");
      setIfAbsent("org.slf4j.simpleLogger.log.io.netty", "warn");
    }

    private static void setIfAbsent(String key, String value) {
      if (System.getProperty(key) == null) {
        System.setProperty(key, value);
      }
    }
  }
}
