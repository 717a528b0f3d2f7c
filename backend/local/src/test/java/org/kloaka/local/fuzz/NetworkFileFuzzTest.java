package org.kloaka.local.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.api.Json;
import org.kloaka.core.network.Network;
import org.kloaka.local.NetworkFiles;
import org.kloaka.network.NetworkException;

/**
 * Fuzzes the network file (docs/network.md): random and mutated files — tubes, sensors, junctions,
 * cycles, coordinates, wrong kinds of values, deep nesting, huge numbers, unicode, big files.
 *
 * <p>Properties: reading answers a network or a {@link NetworkException} whose message names the
 * file and says what is wrong, never another exception, never internals, and never hangs (each file
 * is read within 10 s).
 */
@Tag("slow")
@Tag("fuzz")
public class NetworkFileFuzzTest {

  static final ObjectMapper JSON = Json.newMapper();
  public static final String VALID =
      "{\"tubes\": [{\"id\": \"0\", \"name\": \"Via Roma trunk\", \"sensors\": [{\"id\": \"01\","
          + " \"name\": \"Manhole 14\", \"lat\": 41.9028, \"lon\": 12.4964}, {\"id\": \"02\"},"
          + " {\"id\": \"03\"}], \"flows_into\": {\"tube\": \"1\", \"at\": \"12\"}}, {\"id\": \"1\","
          + " \"sensors\": [{\"id\": \"11\"}, {\"id\": \"12\"}, {\"id\": \"13\"}]}]}";

  @TempDir Path dir;
  final ExecutorService reader = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    reader.shutdownNow();
  }

  @Test
  void everyFileIsReadOrRefusedWithAMessageForAPerson() throws Exception {
    Fuzz fuzz = Fuzz.of("network file", 1_000, Duration.ofSeconds(10));
    int[] outcomes = new int[2];
    fuzz.run(
        (random, index, description) -> {
          byte[] content = file(random);
          description.append(Printable.of(content, 1500));
          Path file = dir.resolve("network-" + index + ".json");
          Files.write(file, content);
          Future<Object> read =
              reader.submit(
                  () -> {
                    try {
                      return NetworkFiles.read(file);
                    } catch (NetworkException e) {
                      return e;
                    }
                  });
          Object outcome = read.get(10, TimeUnit.SECONDS); // another exception fails the test here
          if (outcome instanceof NetworkException refused) {
            outcomes[1]++;
            String message = refused.getMessage();
            assertThat(message).as("the message names the file").contains(file.toString());
            assertThat(message.strip()).isNotEqualTo(("network file " + file).strip());
            String innocent = message.replace(file.toString(), "");
            Leaks.assertNone("the message", innocent);
          } else {
            outcomes[0]++;
            assertThat(outcome).isInstanceOf(Network.class);
          }
          Files.delete(file);
        });
    System.out.printf(
        "network files: %d read, %d refused with a message%n", outcomes[0], outcomes[1]);
    assertThat(outcomes[0]).as("some files were valid").isPositive();
    assertThat(outcomes[1]).as("some files were refused").isPositive();
  }

  public static byte[] file(Random random) throws Exception {
    return switch (random.nextInt(10)) {
      case 0, 1, 2 -> JSON.writeValueAsBytes(network(random));
      case 3, 4, 5 -> Payloads.mutate(random, JSON.writeValueAsBytes(network(random)));
      case 6 -> Payloads.mutate(random, VALID.getBytes(StandardCharsets.UTF_8));
      case 7 -> Payloads.json(random).getBytes(StandardCharsets.UTF_8);
      case 8 -> Payloads.deepNesting(random, 200_000);
      default ->
          switch (random.nextInt(5)) {
            case 0 -> new byte[0];
            case 1 -> "   \n\t ".getBytes(StandardCharsets.UTF_8);
            case 2 -> Payloads.randomBytes(random, random.nextInt(5000));
            case 3 -> ("\ufeff" + VALID).getBytes(StandardCharsets.UTF_8);
            default ->
                ("{\"tubes\":[" + tubes(random, 3000) + "]}").getBytes(StandardCharsets.UTF_8);
          };
    };
  }

  /** A mostly valid network with random slips: wrong ids, cycles, odd coordinates and kinds. */
  static ObjectNode network(Random random) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode tubes = root.putArray("tubes");
    int count = random.nextInt(6);
    for (int t = 0; t < count; t++) {
      ObjectNode tube = tubes.addObject();
      int number = random.nextInt(10) == 0 ? t + random.nextInt(3) - 1 : t;
      switch (random.nextInt(20)) {
        case 0 -> tube.put("id", number); // a number where a string belongs
        case 1 -> tube.put("id", "0" + number);
        case 2 -> tube.putNull("id");
        case 3 -> {}
        default -> tube.put("id", String.valueOf(number));
      }
      if (random.nextBoolean()) {
        tube.put("name", random.nextInt(4) == 0 ? Payloads.unicode(random, 40) : "tube " + t);
      }
      ArrayNode sensors = tube.putArray("sensors");
      int length = random.nextInt(6);
      for (int s = 1; s <= length; s++) {
        ObjectNode sensor = sensors.addObject();
        int tubeOf = random.nextInt(15) == 0 ? number + 1 : number;
        int sensorNumber = random.nextInt(15) == 0 ? s - 1 : s;
        sensor.put("id", id(random, tubeOf, sensorNumber));
        if (random.nextInt(3) == 0) {
          sensor.put(
              "lat",
              random.nextInt(10) == 0 ? 91 + random.nextDouble() : random.nextDouble() * 180 - 90);
          if (random.nextInt(5) != 0) {
            sensor.put("lon", random.nextDouble() * 400 - 200);
          }
        }
        if (random.nextInt(30) == 0) {
          sensor.put("derived", true);
        }
        if (random.nextInt(30) == 0) {
          sensor.put("flows_to", "1");
        }
      }
      if (random.nextInt(4) == 0) {
        ObjectNode into = tube.putObject("flows_into");
        int target = random.nextInt(Math.max(1, count));
        into.put("tube", String.valueOf(target));
        if (random.nextInt(6) != 0) {
          into.put("at", id(random, target, 1 + random.nextInt(4)));
        }
      }
    }
    if (random.nextInt(20) == 0) {
      root.put("extra", 1);
    }
    return root;
  }

  static String id(Random random, int tube, int sensor) {
    if (random.nextInt(25) == 0) {
      return List.of("", "x", "0-01", "001", "1", "-1", "\u0661\u0662").get(random.nextInt(7));
    }
    return tube < 10 && sensor < 10 && random.nextBoolean()
        ? "" + tube + sensor
        : tube + "-" + sensor;
  }

  /** Many tubes, each flowing into the next: a long chain (and with luck a long cycle). */
  static String tubes(Random random, int count) {
    StringBuilder text = new StringBuilder();
    for (int t = 0; t < count; t++) {
      if (t > 0) {
        text.append(',');
      }
      int next = random.nextInt(50) == 0 ? 0 : t + 1;
      text.append("{\"id\":\"")
          .append(t)
          .append("\",\"sensors\":[{\"id\":\"")
          .append(t)
          .append("-1\"},{\"id\":\"")
          .append(t)
          .append("-2\"}]");
      if (next < count) {
        text.append(",\"flows_into\":{\"tube\":\"")
            .append(next)
            .append("\",\"at\":\"")
            .append(next)
            .append("-1\"}");
      }
      text.append('}');
    }
    return text.toString();
  }
}
