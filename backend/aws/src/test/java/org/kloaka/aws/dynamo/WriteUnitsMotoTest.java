package org.kloaka.aws.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kloaka.api.Json;
import org.kloaka.aws.handler.OrganizerHandler;
import org.kloaka.aws.moto.Moto;
import org.kloaka.aws.moto.MotoAws;
import org.kloaka.model.SensorId;
import org.kloaka.testing.TestClock;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * What one message costs in DynamoDB write units, through the organizer Lambda on moto (issue 17:
 * at most 2, whatever the history). Every write asks for {@code ReturnConsumedCapacity=TOTAL} and
 * the test adds up what moto answers. moto bills every PutItem 1.0 whatever its size (and answers
 * no capacity for a transaction), so the test also prices each write by DynamoDB's documented rule
 * — one unit per started KB of the larger of the old and the new item, twice that inside a
 * transaction — from the items it saw written, and asserts both.
 */
@Moto
class WriteUnitsMotoTest {

  private static final long T0 = 1_795_860_000L;
  private static final int MESSAGES = 130;

  private final TestClock clock = new TestClock(Instant.ofEpochSecond(T0));
  private final ObjectMapper mapper = Json.newMapper();

  /** Counts write units as moto reports them and as DynamoDB's size rule prices them. */
  private static final class WriteMeter implements ExecutionInterceptor {
    double reported;
    int priced;
    int writes;
    final List<String> unexpected = new ArrayList<>();
    // The size of the item last written under each key: an overwrite is billed on the larger.
    private final Map<String, Integer> sizes = new HashMap<>();

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
      if (context.request() instanceof PutItemRequest put) {
        return put.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
      }
      if (context.request() instanceof UpdateItemRequest
          || context.request() instanceof DeleteItemRequest
          || context.request() instanceof BatchWriteItemRequest
          || context.request() instanceof TransactWriteItemsRequest) {
        // The organizer writes with PutItem only; anything else would escape this count.
        unexpected.add(context.request().getClass().getSimpleName());
      }
      return context.request();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
      if (context.request() instanceof PutItemRequest put
          && context.response() instanceof PutItemResponse response) {
        writes++;
        assertThat(response.consumedCapacity())
            .as("moto answers the consumed capacity")
            .isNotNull();
        reported += response.consumedCapacity().capacityUnits();
        Map<String, AttributeValue> item = put.item();
        String key =
            put.tableName()
                + "/"
                + item.getOrDefault("id", item.get("bucket"))
                + "/"
                + item.get("seq");
        int size = ItemSize.of(item);
        int before = sizes.getOrDefault(key, 0);
        priced += ItemSize.writeUnits(Math.max(size, before));
        sizes.put(key, size);
      }
    }
  }

  @ParameterizedTest(name = "delivered by an IoT rule (stored once): {0}")
  @ValueSource(booleans = {true, false})
  void everyMessageCostsTwoWriteUnitsWhateverTheHistory(boolean ruleEvent, MotoAws aws)
      throws Exception {
    WriteMeter meter = new WriteMeter();
    OrganizerHandler organizer =
        new OrganizerHandler(aws.server().dynamoDb(meter), aws.settings(), clock);
    List<Double> reportedPerMessage = new ArrayList<>();
    List<Integer> pricedPerMessage = new ArrayList<>();
    for (int i = 0; i < MESSAGES; i++) {
      // Worst realistic case: a decimal filling and a TTN signal on every message, each newer
      // than the last (the clock moves with them: the 300 s guard refuses readings from the
      // future).
      long time = T0 + 301L * i + 7;
      clock.set(time);
      double reportedBefore = meter.reported;
      int pricedBefore = meter.priced;
      byte[] uplink = uplink("kloaka-12-3", "62.5", time, -112);
      organizer.handleRequest(
          new ByteArrayInputStream(ruleEvent ? ruleEvent(uplink, i, time) : uplink),
          new ByteArrayOutputStream(),
          null);
      reportedPerMessage.add(meter.reported - reportedBefore);
      pricedPerMessage.add(meter.priced - pricedBefore);
    }

    assertThat(meter.unexpected).as("writes other than PutItem").isEmpty();
    assertThat(meter.writes).isEqualTo(2 * MESSAGES);
    assertThat(reportedPerMessage)
        .as("write units per message as moto reports them")
        .containsOnly(2.0);
    assertThat(pricedPerMessage)
        .as("write units per message by DynamoDB's size rule (1 per started KB)")
        .containsOnly(2);
    assertThat(aws.scan(MotoAws.HISTORY)).hasSize(MESSAGES);
    Map<String, AttributeValue> device =
        aws.db()
            .getItem(
                r -> r.tableName(MotoAws.DEVICES).key(Map.of("id", AttributeValue.fromS("12-3"))))
            .item();
    assertThat(device).doesNotContainKey("measurements");
    assertThat(ItemSize.of(device)).as("device item bytes").isLessThan(1024);
    assertThat(
            new DynamoDeviceStore(
                    aws.db(),
                    MotoAws.DEVICES,
                    new DynamoHistoryStore(
                        aws.db(), MotoAws.HISTORY, clock, Duration.ofDays(365), new Random(1)),
                    100)
                .find(SensorId.parse("12-3"))
                .orElseThrow()
                .value()
                .measurements())
        .as("GET /devices/{id} still gives the most recent 100")
        .hasSize(100)
        .last()
        .satisfies(m -> assertThat(m.dt()).isEqualTo(T0 + 301L * (MESSAGES - 1) + 7));
  }

  /** A minimal The Things Stack uplink with a signal. */
  private byte[] uplink(String deviceId, String filling, long time, int rssi) throws Exception {
    ObjectNode root = mapper.createObjectNode();
    root.putObject("end_device_ids").put("device_id", deviceId);
    root.put("received_at", Instant.ofEpochSecond(time).toString());
    ObjectNode uplink = root.putObject("uplink_message");
    uplink.putObject("decoded_payload").put("filling", filling);
    uplink.putArray("rx_metadata").addObject().put("rssi", rssi).put("snr", -7.25);
    return mapper.writeValueAsBytes(root);
  }

  /** The IoT rule's envelope: the payload base64-encoded with newuuid() and timestamp(). */
  private byte[] ruleEvent(byte[] payload, int n, long time) throws Exception {
    ObjectNode event = mapper.createObjectNode();
    event.put("raw", Base64.getEncoder().encodeToString(payload));
    event.put("uuid", String.format("6f1c1a8e-0000-4000-8000-%012d", n));
    event.put("ts", time * 1000 + 123);
    event.put("topic", "lorawan/kloaka-12-3/uplink");
    return mapper.writeValueAsBytes(event);
  }
}
