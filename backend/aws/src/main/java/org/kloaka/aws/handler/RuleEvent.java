package org.kloaka.aws.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Base64;
import java.util.Optional;
import org.kloaka.api.Json;
import org.kloaka.ingest.IngestParser;

/**
 * What the IoT rules hand the organizer (serverless.yml): {@code SELECT encode(*, 'base64') AS raw,
 * newuuid() AS uuid, timestamp() AS ts, topic() AS topic FROM …}, so that any payload, JSON or not,
 * arrives and becomes a reading or a reject.
 *
 * @param payload the device's bytes, decoded
 * @param uuid the rule evaluation's id, the same in every retry of its invocation
 * @param ts when IoT Core took the message (epoch milliseconds)
 * @param topic {@code kloaka_from_device}, or {@code lorawan/<thing>/uplink} from TTN's AWS IoT
 *     integration (whose uplinks may be up to {@link IngestParser#MAX_UPLINK_BYTES})
 */
record RuleEvent(byte[] payload, String uuid, long ts, String topic) {

  private static final ObjectMapper JSON = Json.newMapper();

  /** The event, or empty when {@code input} is not one (a payload handed over as it is). */
  static Optional<RuleEvent> of(byte[] input) {
    JsonNode node;
    try {
      node = JSON.readTree(input);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    if (node == null
        || !node.isObject()
        || !node.path("raw").isTextual()
        || !node.path("uuid").isTextual()
        || !node.path("ts").canConvertToLong()) {
      return Optional.empty();
    }
    byte[] payload;
    try {
      payload = Base64.getMimeDecoder().decode(node.get("raw").textValue());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return Optional.of(
        new RuleEvent(
            payload,
            node.get("uuid").textValue(),
            node.get("ts").longValue(),
            node.path("topic").asText("kloaka_from_device")));
  }

  /** The size limit for this topic's payloads. */
  int maxBytes() {
    return topic.startsWith("lorawan/")
        ? IngestParser.MAX_UPLINK_BYTES
        : IngestParser.MAX_PAYLOAD_BYTES;
  }
}
