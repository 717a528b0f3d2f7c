package org.kloaka.aws.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kloaka.api.Json;
import org.kloaka.aws.moto.Events;
import org.kloaka.aws.moto.Moto;
import org.kloaka.aws.moto.MotoAws;
import org.kloaka.testing.TestClock;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The AWS side of TTN ingest against moto: the IoT rules' encoded events (any payload, retried
 * invocations stored once, TTN's {@code lorawan/+/uplink} with its larger uplinks), and {@code POST
 * /uplinks} through the REST Lambda, answered after the write.
 */
@Moto
class TtnIngestMotoTest {

  private static final String TOKEN = "ttn-test-token";
  private static final long T0 = 1_795_773_660L; // 2026-11-27T10:01:00Z

  private final TestClock clock = new TestClock(Instant.ofEpochSecond(T0));

  @RegisterExtension final MotoHandlers handlers = new MotoHandlers(clock, TOKEN);

  private final ObjectMapper mapper = Json.newMapper();
  private MotoAws aws;

  @BeforeEach
  void wire(MotoAws aws) {
    this.aws = aws;
  }

  /** What the rule hands the organizer for {@code payload} on {@code topic}. */
  private byte[] ruleEvent(byte[] payload, String uuid, String topic) throws Exception {
    ObjectNode event = mapper.createObjectNode();
    event.put("raw", Base64.getEncoder().encodeToString(payload));
    event.put("uuid", uuid);
    event.put("ts", T0 * 1000 + 123);
    event.put("topic", topic);
    return mapper.writeValueAsBytes(event);
  }

  private void invoke(byte[] event) throws Exception {
    handlers
        .organizer()
        .handleRequest(new ByteArrayInputStream(event), new ByteArrayOutputStream(), null);
  }

  private static byte[] fixture(String name) throws Exception {
    try (InputStream in = TtnIngestMotoTest.class.getResourceAsStream("/ttn/" + name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void aNonJsonPayloadReachesTheOrganizerEncodedAndBecomesAReject() throws Exception {
    byte[] binary = {(byte) 0xff, 0x00, 0x13, 'x'};

    invoke(ruleEvent(binary, "6f1c1a8e-0000-4000-8000-000000000001", "kloaka_from_device"));

    List<Map<String, AttributeValue>> rejects = aws.scan(MotoAws.REJECTS);
    assertThat(rejects).hasSize(1);
    assertThat(rejects.get(0).get("reason").s()).contains("not valid JSON");
    assertThat(aws.scan(MotoAws.DEVICES)).isEmpty();
  }

  @Test
  void aRetriedInvocationOfTheSameMessageAddsNoSecondHistoryRow() throws Exception {
    byte[] event =
        ruleEvent(
            "{\"id\": \"01\", \"filling\": \"100\"}".getBytes(StandardCharsets.UTF_8),
            "6f1c1a8e-0000-4000-8000-000000000002",
            "kloaka_from_device");

    invoke(event);
    invoke(event); // Lambda's retry of the same asynchronous invocation
    invoke(event);

    assertThat(aws.scan(MotoAws.HISTORY)).hasSize(1);
    Map<String, AttributeValue> device = aws.scan(MotoAws.DEVICES).get(0);
    assertThat(device).as("recent measurements are history rows").doesNotContainKey("measurements");
    assertThat(device.get("version").n()).isEqualTo("1");
    // A new message with the same content is a new row.
    invoke(
        ruleEvent(
            "{\"id\": \"01\", \"filling\": \"100\"}".getBytes(StandardCharsets.UTF_8),
            "6f1c1a8e-0000-4000-8000-000000000003",
            "kloaka_from_device"));
    assertThat(aws.scan(MotoAws.HISTORY)).hasSize(2);
  }

  @Test
  void aRetriedRejectIsKeptOnce() throws Exception {
    byte[] event =
        ruleEvent(
            "lots".getBytes(StandardCharsets.UTF_8), "6f1c-retry-reject", "kloaka_from_device");

    invoke(event);
    invoke(event);

    assertThat(aws.scan(MotoAws.REJECTS)).hasSize(1);
  }

  @Test
  void ttnsAwsIotIntegrationTopicTakesAnUplinkHeardByTwelveGateways() throws Exception {
    byte[] uplink = fixture("uplink-original-firmware-twelve-gateways.json");

    invoke(ruleEvent(uplink, "6f1c-lorawan-1", "lorawan/kloaka-thing/uplink"));
    invoke(ruleEvent(uplink, "6f1c-own-topic-1", "kloaka_from_device"));

    Map<String, AttributeValue> device = aws.scan(MotoAws.DEVICES).get(0);
    assertThat(device.get("id").s()).isEqualTo("01");
    assertThat(device.get("dev_eui").s()).isEqualTo("0004A30B001C0530");
    assertThat(device.get("f_cnt").n()).isEqualTo("4021");
    assertThat(device.get("signal").m().get("gateway_id").s()).isEqualTo("kloaka-gw-12");
    // On Kloaka's own topic the 4 KiB limit holds.
    assertThat(aws.scan(MotoAws.REJECTS).get(0).get("reason").s()).contains("4096 bytes");
  }

  @Test
  void postUplinksStoresBeforeAnsweringAndRejectsWithAReason() throws Exception {
    String uplink = new String(fixture("uplink-simulated.json"), StandardCharsets.UTF_8);

    APIGatewayV2HTTPResponse stored = post(uplink);
    APIGatewayV2HTTPResponse rejected = post("{\"id\": \"01\", \"filling\": \"lots\"}");

    assertThat(stored.getStatusCode()).isEqualTo(200);
    assertThat(mapper.readTree(stored.getBody()))
        .isEqualTo(mapper.readTree("{\"status\":\"stored\"}"));
    assertThat(aws.scan(MotoAws.DEVICES).get(0).get("battery").n()).isEqualTo("3.61");
    JsonNode answer = mapper.readTree(rejected.getBody());
    assertThat(answer.path("status").asText()).isEqualTo("rejected");
    assertThat(answer.path("reason").asText()).contains("lots");
    assertThat(aws.scan(MotoAws.REJECTS)).hasSize(1);
  }

  @Test
  void statusOnAwsNamesIotCoreAndTheWebhookWithoutMisleadingCounts() throws Exception {
    APIGatewayV2HTTPResponse response =
        handlers.rest().handleRequest(event("GET", "/status", null), null);

    JsonNode status = mapper.readTree(response.getBody());
    assertThat(status.path("sources").findValuesAsText("name")).containsExactly("mqtt", "webhook");
    assertThat(status.path("sources").get(0).path("messages").isNull()).isTrue();
    assertThat(status.path("notifications").path("pending").asLong()).isZero();
  }

  private APIGatewayV2HTTPResponse post(String body) {
    return handlers.rest().handleRequest(event("POST", "/uplinks", body), null);
  }

  private static APIGatewayV2HTTPEvent event(String method, String path, String body) {
    return Events.load(
        "http-api.json",
        APIGatewayV2HTTPEvent.class,
        json -> {
          json.put("rawPath", path);
          json.put("rawQueryString", "");
          ObjectNode http = (ObjectNode) json.get("requestContext").get("http");
          http.put("method", method);
          http.put("path", path);
          ((ObjectNode) json.get("headers")).put("authorization", "Bearer " + TOKEN);
          if (body != null) {
            json.put("body", body);
            json.put("isBase64Encoded", false);
            ((ObjectNode) json.get("headers")).put("content-type", "application/json");
          }
        });
  }
}
