package org.kloaka.local.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.EOFException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.Awaitility;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.api.Json;
import org.kloaka.local.LocalConfig;
import org.kloaka.local.LocalRuntime;
import org.kloaka.local.RunningRuntime;
import org.kloaka.local.fuzz.Fuzz;
import org.kloaka.local.fuzz.LogCapture;
import org.kloaka.local.fuzz.RawWebSocket;
import org.kloaka.local.mqtt.Mqtt;

/**
 * Load (issue 7): consoles connected over WebSocket while device messages flow over MQTT (QoS 1),
 * each message changing a device so each is one push, plus one console that never reads.
 *
 * <p>Properties: every console gets every push, in order — or, if the server dropped it (its queue
 * full), it reconnects, re-reads {@code GET /devices} and ends with the same state as the server;
 * the console that never reads is closed (1013) and does not slow the others (their push latency
 * stays low); the flow holds its rate.
 *
 * <p>Size: {@code -Dkloaka.load.clients} (CI: 50), {@code -Dkloaka.load.seconds} (CI: 10), {@code
 * -Dkloaka.load.rate} msg/s (1,000), {@code -Dkloaka.load.maxQueued} frames a console may leave
 * unread (CI: 2,000, so that the non-reader is dropped within the short run; the runtime's default,
 * used by the full run, is 10,000). The full size is {@code mvn -B -pl backend/local -am verify
 * -Pload} (200 clients, 60 s).
 */
@Tag("slow")
@Tag("load")
class PushLoadTest {

  static final ObjectMapper JSON = Json.newMapper();
  static final int SENSORS = 100;

  final int clients = Integer.getInteger("kloaka.load.clients", 50);
  final int seconds = Integer.getInteger("kloaka.load.seconds", 10);
  final int rate = Integer.getInteger("kloaka.load.rate", 1000);
  final int maxQueued = Integer.getInteger("kloaka.load.maxQueued", 2_000);

  @TempDir Path dir;
  LocalRuntime runtime;
  final List<Console> consoles = new ArrayList<>();

  @AfterEach
  void stop() {
    consoles.forEach(Console::close);
    if (runtime != null) {
      runtime.close();
    }
  }

  /** Sensor {@code s} (0…99) is (s+1, 1): tubes of one sensor each, so no pair raises problems. */
  static String sensorId(int s) {
    int tube = s + 1;
    return tube < 10 ? tube + "1" : tube + "-1";
  }

  static int sensorIndex(String id) {
    int dash = id.indexOf('-');
    return (dash < 0 ? id.charAt(0) - '0' : Integer.parseInt(id.substring(0, dash))) - 1;
  }

  /** Message i goes to sensor i % 100 with filling (i / 100) % 101: each one changes its device. */
  static int valueOf(int message) {
    return message / SENSORS % 101;
  }

  @Test
  void everyConsoleGetsEveryPushOrResyncsAndANonReaderSlowsNobody() throws Exception {
    int messages = rate * seconds;
    long[] publishedAt = new long[messages];
    try (LogCapture log = LogCapture.start()) {
      runtime =
          LocalRuntime.start(
              LocalConfig.defaults()
                  .withDataDir(dir.resolve("data"))
                  .withPorts(0, 0, 0)
                  .withEnv(Map.of())
                  .withHttpRateLimit(0) // every console re-syncs from this one address
                  .withWsMaxQueued(maxQueued));
      for (int c = 0; c < clients; c++) {
        Console console = new Console(runtime, publishedAt);
        console.open();
        consoles.add(console);
      }
      RawWebSocket nonReader = RawWebSocket.open(runtime.wsUri(), runtime.token(), 4096);

      long started = System.nanoTime();
      int acked = publish(messages, publishedAt);
      double flowSeconds = (System.nanoTime() - started) / 1e9;

      // Every message is stored: the server's state is final. Every console must come to it.
      JsonNode finalState = RunningRuntime.get(runtime, "/devices");
      int[] serverValues = new int[SENSORS];
      for (JsonNode device : finalState.path("devices")) {
        serverValues[sensorIndex(device.path("id").asText())] = device.path("last_value").asInt();
      }
      try {
        Awaitility.await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> consoles.stream().allMatch(c -> c.sameAs(serverValues)));
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        throw new AssertionError(
            "consoles still behind the server a minute after the flow: " + summary(serverValues),
            e);
      }

      int dropped = 0;
      long[] latencies = new long[0];
      for (Console console : consoles) {
        if (console.drops.get() == 0) {
          assertThat(console.gaps.get())
              .as("a console never dropped got every push in order")
              .isZero();
          assertThat(console.received.get()).isEqualTo(messages);
          latencies = concat(latencies, console.latencies());
        } else {
          dropped++;
        }
      }
      boolean nonReaderClosed = closedByServer(nonReader);
      assertThat(nonReaderClosed)
          .as("the console that never reads was closed by the server")
          .isTrue();
      assertThat(log.text()).contains("too slow");
      assertThat(latencies).as("pushes measured on consoles never dropped").isNotEmpty();
      Arrays.sort(latencies);
      long p50 = latencies[latencies.length / 2] / 1_000_000;
      long p99 = latencies[(int) (latencies.length * 0.99)] / 1_000_000;
      long max = latencies[latencies.length - 1] / 1_000_000;
      double achieved = acked / flowSeconds;
      System.out.printf(
          "load: %d consoles + 1 that never reads, %d msg/s asked, %.0f msg/s acknowledged over %.1f"
              + " s (%d messages); pushes delivered %d (every one, in order, to the %d consoles never"
              + " dropped); %d dropped and re-synced; non-reader closed: %s; push latency p50 %d ms,"
              + " p99 %d ms, max %d ms%n",
          clients,
          rate,
          achieved,
          flowSeconds,
          acked,
          (long) latencies.length,
          clients - dropped,
          dropped,
          nonReaderClosed,
          p50,
          p99,
          max);
      Fuzz.Figures.record(
          "load",
          clients + " consoles + 1 non-reader",
          String.format("%.0f msg/s for %.0f s", achieved, flowSeconds),
          latencies.length + " pushes in order",
          dropped + " dropped and re-synced",
          "p99 " + p99 + " ms");
      assertThat(achieved).as("the flow held (msg/s)").isGreaterThan(rate * 0.5);
      assertThat(p99).as("p99 push latency of consoles never dropped (ms)").isLessThan(5_000);
      assertThat(log.text()).as("the log shows no stack trace").doesNotContain("\tat ");
    }
  }

  private String summary(int[] serverValues) {
    long behind = consoles.stream().filter(c -> !c.sameAs(serverValues)).count();
    int minReceived = consoles.stream().mapToInt(c -> c.received.get()).min().orElse(0);
    int maxReceived = consoles.stream().mapToInt(c -> c.received.get()).max().orElse(0);
    int drops = consoles.stream().mapToInt(c -> c.drops.get()).sum();
    int gaps = consoles.stream().mapToInt(c -> c.gaps.get()).sum();
    return behind
        + " of "
        + consoles.size()
        + " behind; pushes received per console "
        + minReceived
        + "…"
        + maxReceived
        + "; drops "
        + drops
        + "; gaps "
        + gaps;
  }

  /** Publishes {@code messages} QoS 1 messages at {@code rate}; answers how many were acked. */
  private int publish(int messages, long[] publishedAt) throws Exception {
    MqttAsyncClient client = Mqtt.connect(runtime.mqttUri().toString());
    Semaphore window = new Semaphore(500);
    AtomicInteger acked = new AtomicInteger();
    IMqttActionListener listener =
        new IMqttActionListener() {
          @Override
          public void onSuccess(IMqttToken token) {
            acked.incrementAndGet();
            window.release();
          }

          @Override
          public void onFailure(IMqttToken token, Throwable error) {
            window.release();
          }
        };
    try {
      long start = System.nanoTime();
      for (int i = 0; i < messages; i++) {
        long due = start + i * 1_000_000_000L / rate;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        window.acquire();
        byte[] payload =
            JSON.writeValueAsBytes(
                JSON.createObjectNode()
                    .put("id", sensorId(i % SENSORS))
                    .put("filling", String.valueOf(valueOf(i))));
        publishedAt[i] = System.nanoTime();
        client.publish(Mqtt.TOPIC, payload, 1, false, null, listener);
      }
      window.acquire(500); // every PUBACK is in
      return acked.get();
    } finally {
      Mqtt.closeQuietly(client);
    }
  }

  /** Drains what the server sent to the non-reader: it must end, the server having closed it. */
  private static boolean closedByServer(RawWebSocket socket) {
    try {
      socket.timeout(20_000);
      while (true) {
        RawWebSocket.Frame frame = socket.read();
        if (frame.opcode() == RawWebSocket.CLOSE) {
          return true;
        }
      }
    } catch (EOFException | java.net.SocketException e) {
      return true; // cut after the grace period, without reading our close frame
    } catch (IOException e) {
      return false; // a timeout: still open
    } finally {
      socket.close();
    }
  }

  private static long[] concat(long[] a, long[] b) {
    long[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  /**
   * A console as far as pushes go: it applies device pushes to its state, checks each is the next
   * value of its sensor, and after a drop reconnects and re-reads {@code GET /devices}.
   */
  static final class Console {
    final LocalRuntime runtime;
    final long[] publishedAt;
    final int[] values = new int[SENSORS];
    final int[] nextMessage = new int[SENSORS]; // message number of the next push expected
    final AtomicInteger received = new AtomicInteger();
    final AtomicInteger gaps = new AtomicInteger();
    final AtomicInteger drops = new AtomicInteger();
    final long[] latency;
    final AtomicLong latencyCount = new AtomicLong();
    volatile boolean resynced;
    volatile Client client;

    Console(LocalRuntime runtime, long[] publishedAt) {
      this.runtime = runtime;
      this.publishedAt = publishedAt;
      this.latency = new long[publishedAt.length];
      for (int s = 0; s < SENSORS; s++) {
        nextMessage[s] = s;
      }
    }

    void open() throws InterruptedException {
      Client fresh = new Client(URI.create(runtime.wsUri() + "/?token=" + runtime.token()));
      if (!fresh.connectBlocking(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("a console could not connect");
      }
      client = fresh;
    }

    synchronized void onPush(String frame) {
      int type = frame.indexOf("\"type\":\"device\"");
      if (type < 0) {
        return;
      }
      int idAt = frame.indexOf("\"id\":\"") + 6;
      String id = frame.substring(idAt, frame.indexOf('"', idAt));
      int valueAt = frame.indexOf("\"last_value\":\"") + 14;
      int value = Integer.parseInt(frame.substring(valueAt, frame.indexOf('"', valueAt)));
      int s = sensorIndex(id);
      values[s] = value;
      received.incrementAndGet();
      if (resynced) {
        return; // after a re-sync, the state is what counts (checked at the end)
      }
      int expected = nextMessage[s];
      if (expected < publishedAt.length && valueOf(expected) == value) {
        long at = latencyCount.getAndIncrement();
        if (at < latency.length) {
          latency[(int) at] = System.nanoTime() - publishedAt[expected];
        }
        nextMessage[s] = expected + SENSORS;
      } else {
        gaps.incrementAndGet();
      }
    }

    /** Dropped by the server: reconnect, then re-read the state, as the console does. */
    void resync() {
      drops.incrementAndGet();
      resynced = true;
      try {
        open();
        JsonNode devices = RunningRuntime.get(runtime, "/devices");
        synchronized (this) {
          for (JsonNode device : devices.path("devices")) {
            values[sensorIndex(device.path("id").asText())] = device.path("last_value").asInt();
          }
        }
      } catch (Exception e) {
        throw new IllegalStateException("a console could not re-sync", e);
      }
    }

    synchronized boolean sameAs(int[] server) {
      return Arrays.equals(values, server);
    }

    long[] latencies() {
      return Arrays.copyOf(latency, (int) Math.min(latency.length, latencyCount.get()));
    }

    void close() {
      Client current = client;
      if (current != null) {
        current.close();
      }
    }

    final class Client extends org.java_websocket.client.WebSocketClient {
      Client(URI uri) {
        super(uri);
      }

      @Override
      public void onOpen(org.java_websocket.handshake.ServerHandshake handshake) {}

      @Override
      public void onMessage(String message) {
        onPush(message);
      }

      @Override
      public void onClose(int code, String reason, boolean remote) {
        if (remote && client == this) {
          new Thread(Console.this::resync, "console-resync").start();
        }
      }

      @Override
      public void onError(Exception ex) {}
    }
  }
}
