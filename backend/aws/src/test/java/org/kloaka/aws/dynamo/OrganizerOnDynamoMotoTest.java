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
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kloaka.api.Json;
import org.kloaka.aws.config.Settings;
import org.kloaka.aws.handler.OrganizerHandler;
import org.kloaka.aws.moto.Moto;
import org.kloaka.aws.moto.MotoAws;
import org.kloaka.aws.moto.MutableClock;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/** The organizer Lambda on DynamoDB: concurrency, late messages and the device item's size. */
@Moto
class OrganizerOnDynamoMotoTest {

  private static final long T0 = 1_795_860_000L;
  private final MutableClock clock = new MutableClock(Instant.ofEpochSecond(T0));
  private final ObjectMapper mapper = Json.newMapper();

  /**
   * Two Lambdas on one device, interleaved for certain: right after organizer A has read the
   * device, organizer B stores a newer reading. A's conditional write must then fail, and A must
   * re-read and re-apply its (now late) reading. (A test with threads would race moto itself:
   * moto_server's conditional writes are not atomic under parallel requests — about one race in a
   * hundred lets two writers win — whereas DynamoDB's are.)
   */
  @ParameterizedTest(name = "device registered before: {0}")
  @ValueSource(booleans = {true, false})
  void anOrganizerThatLosesTheRaceReappliesItsReadingOnTheFreshDevice(
      boolean registered, MotoAws aws) throws Exception {
    Settings settings = aws.settings();
    OrganizerHandler other = new OrganizerHandler(aws.db(), settings, clock);
    if (registered) {
      other.handleRequest(in(uplink("kloaka01", IntNode.valueOf(10), T0, null)), out(), null);
    }
    AtomicInteger interleaved = new AtomicInteger();
    ExecutionInterceptor betweenReadAndWrite =
        new ExecutionInterceptor() {
          @Override
          public void afterExecution(
              Context.AfterExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof GetItemRequest && interleaved.getAndIncrement() == 0) {
              try {
                other.handleRequest(
                    in(uplink("kloaka01", IntNode.valueOf(90), T0 + 9, null)), out(), null);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            }
          }
        };
    OrganizerHandler racing =
        new OrganizerHandler(aws.server().dynamoDb(betweenReadAndWrite), settings, clock);

    racing.handleRequest(in(uplink("kloaka01", IntNode.valueOf(50), T0 + 5, null)), out(), null);

    assertThat(interleaved.get()).as("device reads by the racing organizer").isEqualTo(2);
    Map<String, AttributeValue> device = device(aws, "01");
    assertThat(device.get("last_value").s()).as("the newer reading stays").isEqualTo("90");
    assertThat(device.get("last_update").n()).isEqualTo(Long.toString(T0 + 9));
    List<String> fillings =
        device.get("measurements").l().stream().map(m -> m.m().get("filling").s()).toList();
    assertThat(fillings)
        .containsExactlyElementsOf(registered ? List.of("10", "50", "90") : List.of("50", "90"));
    assertThat(aws.scan(MotoAws.HISTORY)).hasSize(registered ? 3 : 2);
    assertThat(device.get("version").n()).isEqualTo(registered ? "3" : "2");
  }

  private static ByteArrayInputStream in(byte[] payload) {
    return new ByteArrayInputStream(payload);
  }

  private static ByteArrayOutputStream out() {
    return new ByteArrayOutputStream();
  }

  @Test
  void theDeviceItemStaysUnderThreeKilobytesWhateverTheHistory(MotoAws aws) throws Exception {
    OrganizerHandler organizer = new OrganizerHandler(aws.db(), aws.settings(), clock);
    int[] sizes = new int[2];
    for (int i = 0; i < 130; i++) {
      // The server's clock moves with the readings (one every 301 s): a reading more than 300 s
      // ahead of it would be refused as dated in the future.
      clock.advance(java.time.Duration.ofSeconds(i == 0 ? 7 : 301));
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
