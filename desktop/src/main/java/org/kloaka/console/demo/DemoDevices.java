package org.kloaka.console.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.kloaka.api.Json;
import org.kloaka.network.NetworkDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulated sensors for {@code --demo}: they publish The Things Stack uplinks over real MQTT, so
 * the whole path (broker, ingest, inspector, pushes) runs as it would with real devices.
 *
 * <p>On start they back-fill a day of history (so charts have something to show), with a story: an
 * ongoing obstruction in Trastevere (22 → 23), a problem in Testaccio that cleared by itself (31 →
 * 32, "flow normal again — resolve?"), and Piazza Testaccio (33) silent for three hours. Then flows
 * drift every couple of seconds, and now and then a pipe on the Corso or the trunk obstructs for a
 * while and recovers.
 */
public final class DemoDevices implements AutoCloseable {

  public static final String TOPIC = "kloaka_from_device";
  public static final String NETWORK_RESOURCE = "/org/kloaka/console/demo/demo-network.json";

  private static final Logger log = LoggerFactory.getLogger(DemoDevices.class);
  private static final String STALE = "33";

  private final Publisher out;
  private final Clock clock;
  private final Random random;
  private final ObjectMapper json = Json.newMapper();
  private final List<List<String>> tubes = new ArrayList<>();
  private final ScheduledExecutorService scheduler;
  private String obstructed;
  private Instant obstructedUntil = Instant.MIN;
  private long ticks;

  /**
   * @param out where uplinks go: {@link #mqtt} normally
   * @param random the drift and the incidents (a fixed seed gives the same story)
   */
  public DemoDevices(Publisher out, Clock clock, Random random) {
    this.out = out;
    this.clock = clock;
    this.random = random;
    for (NetworkDescription.Tube tube : network().tubes()) {
      tubes.add(tube.sensors().stream().map(NetworkDescription.Sensor::id).toList());
    }
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "kloaka-demo-devices");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** The demo's network file, as bundled. */
  public static NetworkDescription network() {
    try (InputStream in = DemoDevices.class.getResourceAsStream(NETWORK_RESOURCE)) {
      return Json.newMapper()
          .readValue(Objects.requireNonNull(in, NETWORK_RESOURCE), NetworkDescription.class);
    } catch (IOException e) {
      throw new IllegalStateException("the demo network is missing from the jar", e);
    }
  }

  /** The bundled network file's bytes, to hand to the runtime. */
  public static byte[] networkBytes() {
    try (InputStream in = DemoDevices.class.getResourceAsStream(NETWORK_RESOURCE)) {
      return Objects.requireNonNull(in, NETWORK_RESOURCE).readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("the demo network is missing from the jar", e);
    }
  }

  /** Back-fills the last day, then drifts every {@code every} until closed. */
  public void start(Duration every) {
    start(every, () -> {});
  }

  /**
   * As {@link #start(Duration)}; {@code backfilled} runs once the day's history has been handed
   * over (each publish returns once the reading is stored), before the first drift — the console
   * sweeps for silent sensors then, so that Piazza Testaccio is listed silent at once, not at the
   * runtime's next sweep.
   */
  public void start(Duration every, Runnable backfilled) {
    scheduler.execute(
        () -> {
          if (backfill()) {
            backfilled.run();
          }
        });
    scheduler.scheduleWithFixedDelay(
        this::tickSafely, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Whether the whole day was handed over. */
  private boolean backfill() {
    Instant now = clock.instant();
    try {
      for (long minutesAgo = 24 * 60; minutesAgo >= 0; minutesAgo -= 20) {
        Instant at = now.minus(Duration.ofMinutes(minutesAgo));
        for (List<String> tube : tubes) {
          for (String id : tube) {
            if (id.equals(STALE) && minutesAgo < 180) {
              continue;
            }
            publish(id, historicValue(id, minutesAgo, at), at);
          }
        }
      }
      // What integrators get wrong, for the "Rejected messages" tab.
      out.publish(
          "{\"id\": \"5\", \"filling\": 80}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.publish(
          "{\"id\": \"14\", \"filling\": \"full\"}"
              .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.publish(
          "{\"id\": \"21\", \"filling\": 130}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return true;
    } catch (Exception e) {
      if (scheduler.isShutdown()) {
        log.debug("demo back-fill stopped by close()", e); // the console is closing: not news
      } else {
        log.warn("demo back-fill stopped", e);
      }
      return false;
    }
  }

  /** A day's gentle cycle within a sensor's band, plus the story's faults. */
  private double historicValue(String id, long minutesAgo, Instant at) {
    double hour = at.getEpochSecond() / 3600.0;
    double wave = Math.sin(2 * Math.PI * (hour % 24) / 24.0 + id.hashCode()) * 6;
    if (id.equals("23") && minutesAgo <= 40) {
      return 44 + wave / 2; // the Trastevere obstruction: 22 runs full, 23 only low
    }
    if (id.equals("31") && minutesAgo <= 300 && minutesAgo >= 120) {
      return 38 + wave / 2; // the Testaccio problem: 31 low, 32 full, until it cleared
    }
    return 87 + wave;
  }

  private void tickSafely() {
    try {
      tick();
    } catch (Exception e) {
      log.warn("demo devices could not publish: {}", e.toString());
    }
  }

  private void tick() throws Exception {
    Instant now = clock.instant();
    ticks++;
    if (obstructed != null && now.isAfter(obstructedUntil)) {
      publish(obstructed, 86 + random.nextDouble() * 8, now);
      obstructed = null;
    }
    if (obstructed == null && ticks % 20 == 0) {
      List<String> tube = tubes.get(random.nextInt(2)); // the Corso branch or the trunk
      obstructed = tube.get(1 + random.nextInt(tube.size() - 1));
      obstructedUntil = now.plusSeconds(18 + random.nextInt(20));
      publish(obstructed, 30 + random.nextDouble() * 15, now);
    }
    for (List<String> tube : tubes) {
      String id = tube.get(random.nextInt(tube.size()));
      if (id.equals(STALE) || id.equals(obstructed)) {
        continue;
      }
      double value =
          id.equals("23") ? 40 + random.nextDouble() * 10 : 80 + random.nextDouble() * 18;
      publish(id, value, now);
    }
  }

  private void publish(String id, double filling, Instant at) throws Exception {
    ObjectNode uplink = json.createObjectNode();
    uplink.putObject("end_device_ids").put("device_id", "kloaka-" + id);
    uplink.put("received_at", at.toString());
    ObjectNode message = uplink.putObject("uplink_message");
    message
        .putObject("decoded_payload")
        .put("id", id)
        .put("filling", Math.round(filling * 10) / 10.0);
    ObjectNode rx = message.putArray("rx_metadata").addObject();
    rx.put("rssi", -70 - (Math.abs(id.hashCode()) % 45));
    rx.put("snr", Math.round((9.5 - (Math.abs(id.hashCode()) % 12)) * 10) / 10.0);
    byte[] payload;
    try {
      payload = json.writeValueAsBytes(uplink);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    out.publish(payload);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      out.close();
    } catch (Exception e) {
      log.warn("closing the demo devices' connection failed", e);
    }
  }

  /** Where the simulated devices send their uplinks. */
  public interface Publisher extends AutoCloseable {
    void publish(byte[] payload) throws Exception;

    @Override
    default void close() throws Exception {}
  }

  /**
   * Publishes to {@value #TOPIC} at QoS 1 with Paho, as a gateway would.
   *
   * @throws MqttException when no broker answers at {@code mqttUri}
   */
  public static Publisher mqtt(URI mqttUri, Random random) throws MqttException {
    MqttClient mqtt =
        new MqttClient(
            mqttUri.toString(),
            "kloaka-demo-" + random.nextInt(1_000_000),
            new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setAutomaticReconnect(true);
    options.setCleanSession(true);
    options.setMaxInflight(100);
    options.setConnectionTimeout(5);
    mqtt.connect(options);
    return new Publisher() {
      @Override
      public void publish(byte[] payload) throws MqttException {
        mqtt.publish(TOPIC, payload, 1, false);
      }

      @Override
      public void close() throws MqttException {
        if (mqtt.isConnected()) {
          mqtt.disconnect(1000);
        }
        mqtt.close();
      }
    };
  }
}
