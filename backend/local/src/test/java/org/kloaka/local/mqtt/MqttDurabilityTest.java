package org.kloaka.local.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.PrimitiveIterator;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.api.Json;

/**
 * docs/ingest.md: "A QoS 1 message is acknowledged to its publisher only once it is stored: kill -9
 * after the PUBACK loses nothing". The runtime runs in a child JVM; a Paho client keeps {@value
 * #IN_FLIGHT} QoS 1 messages in flight, each a reading of its own sensor, and the child is killed
 * with SIGKILL (or stopped with SIGTERM) in the middle. After a restart, every message whose PUBACK
 * arrived must be in the store.
 *
 * <p>The kill -9 runs themselves are {@link KillNineCrashTest}: 20 in a row on one store, at random
 * moments, ending with a comparison against a fault-free run. This class keeps the SIGTERM run and
 * the helpers both use.
 */
@Tag("slow")
@Tag("crash")
class MqttDurabilityTest {

  static final int IN_FLIGHT = 500;
  static final ObjectMapper JSON = Json.newMapper();
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;

  /**
   * The sensor of message {@code seq}: one sensor per message, so a device stands for a message.
   */
  static String sensor(int seq) {
    return (100 + seq / 9999) + "-" + (seq % 9999 + 1);
  }

  static int seqOf(String sensor) {
    String[] parts = sensor.split("-");
    return (Integer.parseInt(parts[0]) - 100) * 9999 + Integer.parseInt(parts[1]) - 1;
  }

  /** Fillings cycle through the three levels, so neighbouring sensors raise problems too. */
  static byte[] payload(int seq) throws Exception {
    String filling = List.of("100", "50", "0").get(seq % 3);
    return JSON.writeValueAsBytes(
        JSON.createObjectNode().put("id", sensor(seq)).put("filling", filling));
  }

  /** What the publisher saw: which messages it sent and which of them were acknowledged. */
  record Published(BitSet acked, BitSet sentSet, long millis) {
    int sent() {
      return sentSet.cardinality();
    }
  }

  /**
   * Publishes QoS 1 as fast as the window allows until {@code stop} has run (it is called once
   * {@code stopAfterAcks} PUBACKs arrived) and the connection is gone.
   */
  static Published publishUntilGone(URI mqtt, int stopAfterAcks, Runnable stop) throws Exception {
    return publishUntilGone(
        mqtt, IntStream.iterate(0, seq -> seq + 1).iterator(), stopAfterAcks, stop);
  }

  /** The same, publishing the messages numbered by {@code seqs} in their order. */
  static Published publishUntilGone(
      URI mqtt, PrimitiveIterator.OfInt seqs, int stopAfterAcks, Runnable stop) throws Exception {
    MqttAsyncClient client = Mqtt.connect(mqtt.toString());
    BitSet acked = new BitSet();
    AtomicInteger ackCount = new AtomicInteger();
    Semaphore window = new Semaphore(IN_FLIGHT);
    IMqttActionListener listener =
        new IMqttActionListener() {
          @Override
          public void onSuccess(IMqttToken token) {
            synchronized (acked) {
              acked.set((Integer) token.getUserContext());
            }
            ackCount.incrementAndGet();
            window.release();
          }

          @Override
          public void onFailure(IMqttToken token, Throwable error) {
            window.release();
          }
        };
    long started = System.nanoTime();
    long deadline = started + TimeUnit.MINUTES.toNanos(3);
    BitSet sent = new BitSet();
    boolean stopped = false;
    try {
      while (client.isConnected()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "still connected after 3 minutes: "
                  + ackCount.get()
                  + " PUBACKs, "
                  + sent.cardinality()
                  + " sent");
        }
        if (!stopped && ackCount.get() >= stopAfterAcks) {
          stop.run();
          stopped = true;
        }
        if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          continue;
        }
        if (!seqs.hasNext()) {
          window.release();
          break;
        }
        int seq = seqs.nextInt();
        sent.set(seq);
        client.publish(Mqtt.TOPIC, payload(seq), 1, false, seq, listener);
      }
    } catch (MqttException e) {
      // The connection went away under the publish: what the test is about.
    } finally {
      long millis = (System.nanoTime() - started) / 1_000_000;
      await().atMost(Duration.ofSeconds(30)).until(() -> !client.isConnected());
      Mqtt.closeQuietly(client);
      synchronized (acked) {
        return new Published((BitSet) acked.clone(), sent, millis);
      }
    }
  }

  static JsonNode get(URI http, String path) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(http + path))
                .header("Authorization", "Bearer " + KloakaProcess.TOKEN)
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  /** Restarts the runtime on the data folder and checks what it kept against what was acked. */
  void assertNothingAcknowledgedWasLost(Path data, Published published, String label)
      throws Exception {
    try (KloakaProcess again = KloakaProcess.start(data, dir.resolve(label + "-restart.txt"))) {
      BitSet stored = new BitSet();
      for (JsonNode device : get(again.http, "/devices").path("devices")) {
        stored.set(seqOf(device.path("id").asText()));
      }
      BitSet lost = (BitSet) published.acked().clone();
      lost.andNot(stored);
      BitSet storedNotAcked = (BitSet) stored.clone();
      storedNotAcked.andNot(published.acked());
      System.out.printf(
          "figures %s: sent=%d acked=%d stored=%d acked-but-missing=%d stored-not-acked=%d"
              + " publish→stored %.0f msg/s over %d ms; restart to ready %d ms%n",
          label,
          published.sent(),
          published.acked().cardinality(),
          stored.cardinality(),
          lost.cardinality(),
          storedNotAcked.cardinality(),
          published.acked().cardinality() * 1000.0 / Math.max(1, published.millis()),
          published.millis(),
          again.startMillis);

      assertThat(published.acked().cardinality()).as("PUBACKs before the stop").isPositive();
      assertThat(lost.stream().boxed().toList()).as("acknowledged but not stored").isEmpty();
      assertThat(stored.cardinality())
          .as("nothing stored that was never sent")
          .isLessThanOrEqualTo(published.sent());

      // History: the last acknowledged messages are each exactly one row of their sensor.
      IntStream.range(0, published.acked().length())
          .filter(published.acked()::get)
          .skip(Math.max(0, published.acked().cardinality() - 20))
          .forEach(
              seq -> {
                try {
                  JsonNode rows = get(again.http, "/devices/" + sensor(seq) + "/measurements");
                  assertThat(rows.path("measurements")).as(sensor(seq)).hasSize(1);
                } catch (Exception e) {
                  throw new AssertionError(e);
                }
              });

      // Problems: one record per pair, never two, and none pushed twice into the store.
      List<String> problemIds =
          Stream.of("UNRESOLVED", "RESOLVED")
              .flatMap(
                  status -> {
                    try {
                      JsonNode list = get(again.http, "/problems?status=" + status);
                      return java.util.stream.StreamSupport.stream(
                          list.path("problems").spliterator(), false);
                    } catch (Exception e) {
                      throw new AssertionError(e);
                    }
                  })
              .map(p -> p.path("problem_id").asText())
              .toList();
      Set<String> distinct = new HashSet<>(problemIds);
      assertThat(problemIds).as("problem ids").hasSize(distinct.size());
      assertThat(problemIds).as("problems raised by neighbouring readings").isNotEmpty();
    }
  }

  @Test
  void sigtermWhilePublishingExitsZeroAndLosesNothingAcknowledged() throws Exception {
    Path data = dir.resolve("term");
    try (KloakaProcess kloaka = KloakaProcess.start(data, dir.resolve("term.txt"))) {
      long[] stopStarted = new long[1];
      Published published =
          publishUntilGone(
              kloaka.mqtt,
              2000,
              () -> {
                stopStarted[0] = System.nanoTime();
                kloaka.process.destroy(); // SIGTERM
              });

      assertThat(kloaka.process.waitFor(60, TimeUnit.SECONDS)).as("stopped").isTrue();
      long stopMillis = (System.nanoTime() - stopStarted[0]) / 1_000_000;
      assertThat(kloaka.process.exitValue()).as("exit code after SIGTERM").isZero();
      assertThat(Files.readString(kloaka.stderr)).contains("Kloaka stopped");
      System.out.printf("figures sigterm: SIGTERM to exit %d ms%n", stopMillis);
      assertNothingAcknowledgedWasLost(data, published, "term");
    }
  }
}
