package org.kloaka.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.kloaka.api.Json;
import org.kloaka.ingest.IngestResult.Rejection;

/** Every kind of bad payload docs/ingest.md names is refused, each with its own reason. */
class IngestParserRejectsTest {

  private static final long NOW = 1_800_000_000L;
  private static final ObjectMapper JSON = Json.newMapper();

  private final IngestParser parser = new IngestParser();

  @ParameterizedTest(name = "{0} → {1}")
  @MethodSource({"notAnObject", "badIds", "badFillings", "badUplinks"})
  void refusesWithItsSpecificReason(byte[] payload, String reason) {
    IngestResult result = parser.parse(payload, NOW);

    assertThat(result).isInstanceOf(Rejection.class);
    assertThat(((Rejection) result).reason()).contains(reason);
  }

  static Stream<Arguments> notAnObject() {
    return Stream.of(
        bad("hello", "payload is not valid JSON"),
        bad("{\"id\": \"01\", \"filling\": \"100\"", "payload is not valid JSON"),
        bad("{\"id\": \"01\", \"filling\": }", "payload is not valid JSON"),
        bad("{'id': '01', 'filling': '100'}", "payload is not valid JSON"),
        bad("{id: \"01\", filling: 100}", "payload is not valid JSON"),
        bad("{\"id\": \"01\", \"filling\": 100,}", "payload is not valid JSON"),
        bad("[{\"id\": \"01\", \"filling\": \"100\"}]", "must be a JSON object, not an array"),
        bad("[]", "must be a JSON object, not an array"),
        bad("\"01\"", "must be a JSON object, not a string"),
        bad("100", "must be a JSON object, not a number"),
        bad("true", "must be a JSON object, not a boolean"),
        bad("null", "must be a JSON object, not null"),
        bad("", "payload is empty"),
        bad(" \t\r\n ", "blank"),
        bad("{\"id\": \"01\", \"filling\": \"100\"} x", "payload is not valid JSON"),
        // Found by MqttFuzzTest: the reason quoted Jackson's class and feature names.
        bad(
            "{\"id\": \"01\", \"filling\": \"100\"} \"x\"",
            "payload is not valid JSON: there is more after the JSON value"),
        bad("{\"id\": \"01\", \"filling\": \"100\"}{\"id\": \"02\"}", "payload is not valid JSON"),
        bad("{\"id\": \"01\", \"id\": \"02\", \"filling\": \"100\"}", "Duplicate field 'id'"),
        bad(
            "{\"id\": \"01\", \"filling\": \"100\", \"filling\": \"0\"}",
            "Duplicate field 'filling'"),
        named(
            "100 levels of nesting",
            nested(100),
            "payload is not usable JSON: its nesting depth is over 32 levels"),
        named("5000-byte payload", padded(5000), "payload is 5000 bytes; the limit is 4096 bytes"),
        named("4097-byte payload", padded(4097), "payload is 4097 bytes"),
        named("1 MiB payload", padded(1 << 20), "payload is 1048576 bytes"),
        named(
            "invalid UTF-8 start byte",
            bytes("{\"id\": \"0", new byte[] {(byte) 0xFF}, "\", \"filling\": \"1\"}"),
            "Invalid UTF-8"),
        named(
            "invalid UTF-8 middle byte",
            bytes("{\"id\": \"0", new byte[] {(byte) 0xC3, 0x28}, "\", \"filling\": \"1\"}"),
            "Invalid UTF-8"),
        named(
            "UTF-8 cut off at the end",
            bytes("{\"id\": \"01\", \"filling\": \"1", new byte[] {(byte) 0xE2, (byte) 0x82}, ""),
            "payload is not valid JSON"));
  }

  static Stream<Arguments> badIds() {
    return Stream.of(
        bad("{}", "no sensor id: the field 'id' is missing"),
        bad("{\"filling\": \"100\"}", "no sensor id: the field 'id' is missing"),
        bad("{\"id\": null, \"filling\": \"100\"}", "no sensor id: the field 'id' is null"),
        bad("{\"id\": 1, \"filling\": \"100\"}", "sensor id is a number; expected a string"),
        bad("{\"id\": 1.0, \"filling\": \"100\"}", "sensor id is a number"),
        bad("{\"id\": true, \"filling\": \"100\"}", "sensor id is a boolean"),
        bad("{\"id\": {\"tube\": 0}, \"filling\": \"100\"}", "sensor id is an object"),
        bad("{\"id\": [\"01\"], \"filling\": \"100\"}", "sensor id is an array"),
        bad("{\"id\": \"\", \"filling\": \"100\"}", "sensor id is empty"),
        bad("{\"id\": \"001\", \"filling\": \"100\"}", "'001' is not two ASCII digits"),
        bad("{\"id\": \"01-2\", \"filling\": \"100\"}", "'01' has a leading zero"),
        bad("{\"id\": \"1-02\", \"filling\": \"100\"}", "'02' has a leading zero"),
        bad("{\"id\": \"12345-1\", \"filling\": \"100\"}", "has more than 4 digits"),
        bad("{\"id\": \" 01\", \"filling\": \"100\"}", "' 01' is not two ASCII digits"),
        bad("{\"id\": \"0 1\", \"filling\": \"100\"}", "'0 1' is not two ASCII digits"),
        bad("{\"id\": \"\u0660\u0661\", \"filling\": \"100\"}", "is not two ASCII digits"),
        bad("{\"id\": \"\uFF10\uFF11\", \"filling\": \"100\"}", "is not two ASCII digits"),
        bad("{\"id\": \"-1\", \"filling\": \"100\"}", "tube number is empty"),
        bad("{\"id\": \"1-\", \"filling\": \"100\"}", "sensor number is empty"),
        bad("{\"id\": \"1-2-3\", \"filling\": \"100\"}", "more than one '-'"),
        bad("{\"id\": \"ab\", \"filling\": \"100\"}", "'ab' is not two ASCII digits"),
        bad("{\"id\": \"kloaka01\", \"filling\": \"100\"}", "'kloaka01' is not two ASCII digits"));
  }

  static Stream<Arguments> badFillings() {
    return Stream.of(
        bad("{\"id\": \"01\"}", "no filling: the field 'filling' is missing"),
        bad("{\"id\": \"01\", \"filling\": null}", "no filling: the field 'filling' is null"),
        bad("{\"id\": \"01\", \"filling\": true}", "filling is a boolean; expected a number"),
        bad("{\"id\": \"01\", \"filling\": [100]}", "filling is an array"),
        bad("{\"id\": \"01\", \"filling\": {\"value\": 100}}", "filling is an object"),
        bad("{\"id\": \"01\", \"filling\": \"\"}", "filling is an empty string"),
        bad("{\"id\": \"01\", \"filling\": \"abc\"}", "filling 'abc' is not a number"),
        bad("{\"id\": \"01\", \"filling\": \"1e2\"}", "filling '1e2' is not a number"),
        bad("{\"id\": \"01\", \"filling\": \" 50\"}", "filling ' 50' is not a number"),
        bad("{\"id\": \"01\", \"filling\": -1}", "filling -1 is outside 0–100"),
        bad("{\"id\": \"01\", \"filling\": -0.1}", "filling -0.1 is outside 0–100"),
        bad("{\"id\": \"01\", \"filling\": \"-0.5\"}", "filling -0.5 is outside 0–100"),
        bad("{\"id\": \"01\", \"filling\": 100.01}", "filling 100.01 is outside 0–100"),
        bad("{\"id\": \"01\", \"filling\": \"101\"}", "filling 101 is outside 0–100"),
        bad("{\"id\": \"01\", \"filling\": 1e3}", "filling 1000 is outside 0–100"),
        bad("{\"id\": \"01\", \"filling\": \"NaN\"}", "filling 'NaN' is not a number"),
        bad("{\"id\": \"01\", \"filling\": \"Infinity\"}", "filling 'Infinity' is not a number"),
        bad("{\"id\": \"01\", \"filling\": NaN}", "payload is not valid JSON"),
        bad("{\"id\": \"01\", \"filling\": 1e999999999}", "filling 1E+999999999 is outside"),
        bad("{\"id\": \"01\", \"filling\": 1e-999999999}", "more than 20 decimal places"),
        // Found by MqttFuzzTest: a NumberFormatException escaped, the message was never stored
        // nor acknowledged, and its publisher was disconnected to resend it for ever.
        bad(
            "{\"id\": \"01\", \"filling\": -1e-9999999999999}",
            "payload is not usable JSON: a number's exponent is out of range"),
        // MqttFuzzTest found the reason quoting Jackson's StreamReadConstraints for this.
        bad(
            "{\"id\": \"01\", \"filling\": " + "1".repeat(100) + "}",
            "payload is not usable JSON: a number is longer than 64 characters"));
  }

  static Stream<Arguments> badUplinks() {
    return Stream.of(
        bad(
            "{\"end_device_ids\": {\"device_id\": \"kloaka01\"}, \"received_at\":"
                + " \"2026-11-27T10:00:00Z\"}",
            "has no uplink_message (not an uplink)"),
        bad(
            "{\"end_device_ids\": {\"device_id\": \"kloaka01\"}, \"uplink_message\": \"MTAw\"}",
            "uplink_message is a string, not an object"),
        bad(
            uplink("\"device_id\": \"kloaka\"", "\"decoded_payload\": {\"filling\": 100}"),
            "device_id 'kloaka' does not end in a sensor id"),
        bad(
            uplink("\"device_id\": \"kloaka01x\"", "\"decoded_payload\": {\"filling\": 100}"),
            "device_id 'kloaka01x' does not end in a sensor id"),
        bad(
            uplink("\"device_id\": \"kloaka123\"", "\"decoded_payload\": {\"filling\": 100}"),
            "'123' is not two ASCII digits"),
        bad(
            uplink("\"dev_eui\": \"70B3D57ED0061A2F\"", "\"frm_payload\": \"MTAw\""),
            "neither decoded_payload.id nor end_device_ids.device_id"),
        bad(
            uplink("\"device_id\": 1", "\"frm_payload\": \"MTAw\""),
            "end_device_ids.device_id is a number, not a string"),
        bad(
            uplink("\"device_id\": \"kloaka01\"", "\"decoded_payload\": \"100\""),
            "decoded_payload is a string, not an object"),
        bad(
            uplink("\"device_id\": \"kloaka01\"", "\"decoded_payload\": [100]"),
            "decoded_payload is an array, not an object"),
        bad(
            uplink(
                "\"device_id\": \"kloaka01\"", "\"decoded_payload\": {\"id\": 1, \"filling\": 1}"),
            "decoded_payload: sensor id is a number"),
        bad(
            uplink(
                "\"device_id\": \"kloaka01\"",
                "\"decoded_payload\": {\"id\": \"x1\", \"filling\": 1}"),
            "'x1' is not two ASCII digits"),
        bad(
            uplink("\"device_id\": \"kloaka01\"", "\"decoded_payload\": {\"filling\": \"abc\"}"),
            "filling 'abc' is not a number"),
        bad(
            uplink("\"device_id\": \"kloaka01\"", "\"decoded_payload\": {\"filling\": false}"),
            "filling is a boolean"),
        bad(
            uplink("\"device_id\": \"kloaka01\"", "\"decoded_payload\": {\"filling\": 250}"),
            "filling 250 is outside 0–100"),
        bad(
            uplink("\"device_id\": \"kloaka01\"", "\"f_port\": 1"),
            "neither decoded_payload.filling nor frm_payload"),
        bad(
            uplink("\"device_id\": \"kloaka01\"", "\"frm_payload\": \"!!!not base64\""),
            "frm_payload '!!!not base64' is not valid base64"),
        bad(
            uplink("\"device_id\": \"kloaka01\"", "\"frm_payload\": \"YWJj\""),
            "frm_payload: filling 'abc' is not a number"),
        bad(
            uplink("\"device_id\": \"kloaka01\"", "\"frm_payload\": \"MTAwMA==\""),
            "frm_payload: filling 1000 is outside 0–100"),
        bad(
            uplink("\"device_id\": \"kloaka01\"", "\"frm_payload\": \"\""),
            "frm_payload: filling is an empty string"),
        bad(
            uplink("\"device_id\": \"kloaka01\"", "\"frm_payload\": 100"),
            "frm_payload is a number, not a base64 string"),
        bad(uplinkReceivedAt("\"yesterday\""), "received_at 'yesterday' is not an RFC 3339 time"),
        bad(uplinkReceivedAt("\"2026-11-27\""), "received_at '2026-11-27' is not an RFC 3339 time"),
        bad(
            uplinkReceivedAt("\"2026-11-27T10:00:00\""),
            "received_at '2026-11-27T10:00:00' is not an RFC 3339 time"),
        bad(uplinkReceivedAt("1795773600"), "received_at is a number, not an RFC 3339 time"));
  }

  private static String uplink(String deviceIds, String uplinkMessage) {
    return "{\"end_device_ids\": {"
        + deviceIds
        + ", \"application_ids\": {\"application_id\": \"kloaka-sewers\"}},"
        + " \"received_at\": \"2026-11-27T10:00:00Z\", \"uplink_message\": {"
        + uplinkMessage
        + "}}";
  }

  private static String uplinkReceivedAt(String receivedAt) {
    return "{\"end_device_ids\": {\"device_id\": \"kloaka01\"}, \"received_at\": "
        + receivedAt
        + ", \"uplink_message\": {\"decoded_payload\": {\"filling\": 100}}}";
  }

  private static Arguments bad(String payload, String reason) {
    String visible = payload.replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n");
    String label =
        visible.isBlank()
            ? "'" + visible + "'"
            : visible.length() <= 80 ? visible : visible.substring(0, 77) + "...";
    return named(label, payload.getBytes(StandardCharsets.UTF_8), reason);
  }

  private static Arguments named(String label, byte[] payload, String reason) {
    return Arguments.of(Named.of(label, payload), reason);
  }

  private static byte[] bytes(String before, byte[] middle, String after) {
    byte[] head = before.getBytes(StandardCharsets.UTF_8);
    byte[] tail = after.getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[head.length + middle.length + tail.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(middle, 0, all, head.length, middle.length);
    System.arraycopy(tail, 0, all, head.length + middle.length, tail.length);
    return all;
  }

  /**
   * A small payload nested {@code depth} objects deep: under the size limit, over the depth one.
   */
  private static byte[] nested(int depth) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode inner = root;
    for (int i = 1; i < depth; i++) {
      inner = inner.putObject("a");
    }
    inner.put("id", "01").put("filling", "100");
    return toBytes(root);
  }

  /** A good reading padded with an extra field to exactly {@code size} bytes. */
  private static byte[] padded(int size) {
    ObjectNode message = JSON.createObjectNode().put("id", "01").put("filling", "100");
    int overhead = toBytes(message.put("pad", "")).length;
    byte[] payload = toBytes(message.put("pad", "x".repeat(size - overhead)));
    assertThat(payload).hasSize(size);
    return payload;
  }

  private static byte[] toBytes(ObjectNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
