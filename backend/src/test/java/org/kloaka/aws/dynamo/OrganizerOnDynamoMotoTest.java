package org.kloaka.aws.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.kloaka.api.Json;
import org.kloaka.aws.config.Settings;
import org.kloaka.aws.handler.OrganizerHandler;
import org.kloaka.aws.moto.Moto;
import org.kloaka.aws.moto.MotoAws;
import org.kloaka.aws.moto.MutableClock;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The organizer Lambda on DynamoDB: concurrency, late messages and the device item's size. */
@Moto
class OrganizerOnDynamoMotoTest {

  private static final long T0 = 1_795_860_000L;
  private final MutableClock clock = new MutableClock(Instant.ofEpochSecond(T0));
  private final ObjectMapper mapper = Json.newMapper();

  @Test
  void concurrentOrganizersLoseNoUpdateAndTheNewestReadingWins(MotoAws aws) throws Exception {
    int messages = 60;
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < messages; i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(42));
    Settings settings = aws.settings(Map.of(Settings.MEASUREMENTS_KEEP, "1000"));
    ExecutorService lambdas = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int worker = 0; worker < 4; worker++) {
        OrganizerHandler organizer = new OrganizerHandler(aws.db(), settings, clock);
        List<Integer> share = order.subList(worker * messages / 4, (worker + 1) * messages / 4);
        done.add(
            lambdas.submit(
                () -> {
                  for (int i : share) {
                    organizer.handleRequest(
                        new ByteArrayInputStream(
                            uplink("kloaka01", IntNode.valueOf(i), T0 + i, null)),
                        new ByteArrayOutputStream(),
                        null);
                  }
                  return null;
                }));
      }
      for (Future<?> future : done) {
        future.get(120, TimeUnit.SECONDS);
      }
    } finally {
      lambdas.shutdownNow();
    }

    Map<String, AttributeValue> device = device(aws, "01");
    assertThat(device.get("last_value").s()).isEqualTo(Integer.toString(messages - 1));
    assertThat(device.get("last_update").n()).isEqualTo(Long.toString(T0 + messages - 1));
    List<Long> times =
        device.get("measurements").l().stream()
            .map(m -> Long.parseLong(m.m().get("dt").n()))
            .toList();
    assertThat(times).hasSize(messages).isSorted().doesNotHaveDuplicates();
    assertThat(aws.scan(MotoAws.HISTORY)).hasSize(messages);
  }

  @Test
  void theDeviceItemStaysUnderThreeKilobytesWhateverTheHistory(MotoAws aws) throws Exception {
    OrganizerHandler organizer = new OrganizerHandler(aws.db(), aws.settings(), clock);
    int[] sizes = new int[2];
    for (int i = 0; i < 130; i++) {
      // Worst realistic case: a decimal filling and a TTN signal on every message.
      organizer.handleRequest(
          new ByteArrayInputStream(
              uplink("kloaka-12-3", TextNode.valueOf("62.5"), T0 + 301L * i + 7, -112)),
          new ByteArrayOutputStream(),
          null);
      if (i == 99) {
        sizes[0] = ItemSize.of(device(aws, "12-3"));
      }
    }
    Map<String, AttributeValue> item = device(aws, "12-3");
    sizes[1] = ItemSize.of(item);

    assertThat(item.get("measurements").l()).hasSize(100);
    assertThat(aws.scan(MotoAws.HISTORY)).hasSize(130);
    assertThat(sizes[1]).as("bounded: 100 or 130 messages, same size").isEqualTo(sizes[0]);
    assertThat(ItemSize.writeUnits(sizes[1]))
        .as("write units per device write, %d bytes", sizes[1])
        .isEqualTo(3);
  }

  /** A minimal The Things Stack uplink; with a signal when {@code rssi} is given. */
  private byte[] uplink(String deviceId, JsonNode filling, long time, Integer rssi)
      throws Exception {
    ObjectNode root = mapper.createObjectNode();
    root.putObject("end_device_ids").put("device_id", deviceId);
    root.put("received_at", Instant.ofEpochSecond(time).toString());
    ObjectNode uplink = root.putObject("uplink_message");
    uplink.putObject("decoded_payload").set("filling", filling);
    if (rssi != null) {
      uplink.putArray("rx_metadata").addObject().put("rssi", rssi).put("snr", -7.25);
    }
    return mapper.writeValueAsBytes(root);
  }

  private static Map<String, AttributeValue> device(MotoAws aws, String id) {
    return aws.db()
        .getItem(r -> r.tableName(MotoAws.DEVICES).key(Map.of("id", AttributeValue.fromS(id))))
        .item();
  }
}
