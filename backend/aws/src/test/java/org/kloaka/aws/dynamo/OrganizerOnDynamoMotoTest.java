package org.kloaka.aws.dynamo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import org.kloaka.aws.config.Stores;
import org.kloaka.aws.handler.OrganizerHandler;
import org.kloaka.aws.moto.Moto;
import org.kloaka.aws.moto.MotoAws;
import org.kloaka.model.SensorId;
import org.kloaka.testing.TestClock;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/** The organizer Lambda on DynamoDB: two organizers racing on one device. */
@Moto
class OrganizerOnDynamoMotoTest {

  private static final long T0 = 1_795_860_000L;
  private final TestClock clock = new TestClock(Instant.ofEpochSecond(T0));
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
        Stores.of(aws.db(), settings, clock)
            .devices()
            .find(SensorId.parse("01"))
            .orElseThrow()
            .value()
            .measurements()
            .stream()
            .map(m -> m.filling().toString())
            .toList();
    assertThat(fillings)
        .containsExactlyElementsOf(registered ? List.of("10", "50", "90") : List.of("50", "90"));
    assertThat(aws.scan(MotoAws.HISTORY)).hasSize(registered ? 3 : 2);
    assertThat(device.get("version").n()).isEqualTo(registered ? "3" : "2");
  }

  /**
   * Lambda retries an IoT rule's invocation that failed after the history row was written but
   * before the device write (no transaction binds them): the retry finds the row and still writes
   * the device, once; a retry after both writes changes nothing.
   */
  @Test
  void aRetryAfterAFailureBetweenHistoryRowAndDeviceWriteStillWritesTheDeviceOnce(MotoAws aws)
      throws Exception {
    AtomicInteger failDeviceWrites = new AtomicInteger(1);
    ExecutionInterceptor failing =
        new ExecutionInterceptor() {
          @Override
          public void beforeExecution(
              Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof PutItemRequest put
                && put.tableName().equals(MotoAws.DEVICES)
                && failDeviceWrites.getAndDecrement() > 0) {
              throw new IllegalStateException("the Lambda timed out");
            }
          }
        };
    OrganizerHandler organizer =
        new OrganizerHandler(aws.server().dynamoDb(failing), aws.settings(), clock);
    byte[] first = ruleEvent(uplink("kloaka01", IntNode.valueOf(10), T0, null), "a", T0);
    byte[] second = ruleEvent(uplink("kloaka01", IntNode.valueOf(20), T0, null), "b", T0);

    assertThatThrownBy(() -> organizer.handleRequest(in(first), out(), null))
        .hasMessageContaining("timed out");
    assertThat(aws.scan(MotoAws.HISTORY)).hasSize(1);
    assertThat(aws.scan(MotoAws.DEVICES)).isEmpty();

    organizer.handleRequest(in(first), out(), null); // Lambda's retry
    assertThat(device(aws, "01").get("last_value").s()).isEqualTo("10");
    assertThat(device(aws, "01").get("version").n()).isEqualTo("1");

    organizer.handleRequest(in(second), out(), null); // a later message of the same second
    organizer.handleRequest(in(first), out(), null); // a late retry of the first
    organizer.handleRequest(in(second), out(), null); // and of the second
    assertThat(device(aws, "01").get("last_value").s()).isEqualTo("20");
    assertThat(device(aws, "01").get("version").n()).as("two device writes").isEqualTo("2");
    assertThat(aws.scan(MotoAws.HISTORY)).hasSize(2);
  }

  /** The IoT rule's envelope: the payload base64-encoded with newuuid() and timestamp(). */
  private byte[] ruleEvent(byte[] payload, String uuid, long time) throws Exception {
    ObjectNode event = mapper.createObjectNode();
    event.put("raw", java.util.Base64.getEncoder().encodeToString(payload));
    event.put("uuid", uuid);
    event.put("ts", time * 1000 + uuid.charAt(0));
    event.put("topic", "kloaka_from_device");
    return mapper.writeValueAsBytes(event);
  }

  private static ByteArrayInputStream in(byte[] payload) {
    return new ByteArrayInputStream(payload);
  }

  private static ByteArrayOutputStream out() {
    return new ByteArrayOutputStream();
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
