package org.kloaka.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kloaka.api.Json;
import org.kloaka.ingest.IngestResult.Reading;
import org.kloaka.ingest.IngestResult.Rejection;
import org.kloaka.model.Filling;
import org.kloaka.model.SensorId;
import org.kloaka.model.Signal;

/**
 * Turns a device payload (CONTRACT §1) into a {@link Reading} or a {@link Rejection}.
 *
 * <p>Two shapes are accepted: the seed's plain {@code {"id": "01", "filling": "100"}} and The
 * Things Stack v3 uplink. A payload is treated as an uplink when it has {@code end_device_ids} or
 * {@code uplink_message}. The parser never throws on bad input; it is thread-safe.
 */
public final class IngestParser {

  /**
   * Payloads larger than this many bytes are refused without being parsed (Kloaka's own MQTT
   * topic).
   */
  public static final int MAX_PAYLOAD_BYTES = 4096;

  /**
   * The limit for uplinks that come straight from The Things Stack (its webhook, its MQTT server,
   * its storage, its AWS IoT integration): one heard by many gateways is several KiB
   * (docs/decisions/020-ttn-ingest.md).
   */
  public static final int MAX_UPLINK_BYTES = 64 * 1024;

  /** A measurement time further ahead of the server's clock than this is refused. */
  public static final long MAX_AHEAD_SECONDS = 300;

  private static final int MAX_FIELD_CHARS = 64;

  private static final int MAX_NESTING = 32;
  private static final Pattern TRAILING_ID = Pattern.compile("([0-9]+(?:-[0-9]+)?)$");

  private final ObjectMapper mapper;

  public IngestParser() {
    JsonMapper jsonMapper =
        JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    jsonMapper
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING)
                .maxNumberLength(64)
                .maxStringLength(MAX_PAYLOAD_BYTES)
                .build());
    this.mapper = jsonMapper;
  }

  /**
   * Parses one payload of at most {@link #MAX_PAYLOAD_BYTES}.
   *
   * @param now the server's clock in epoch seconds, used when the payload carries no time and to
   *     refuse one from the future
   */
  public IngestResult parse(byte[] payload, long now) {
    return parse(payload, now, MAX_PAYLOAD_BYTES);
  }

  /**
   * Parses one payload of at most {@code maxBytes}.
   *
   * @param now the server's clock in epoch seconds, used when the payload carries no time and to
   *     refuse one from the future
   */
  public IngestResult parse(byte[] payload, long now, int maxBytes) {
    try {
      return parseChecked(payload, now, maxBytes);
    } catch (RuntimeException e) {
      // Whatever a payload makes the parser do, it is the payload's fault, never a reason to fail
      // the store: the publisher would resend it for ever (no PUBACK). It is kept as a reject.
      return new Rejection(
          "payload could not be parsed (a case Kloaka does not handle yet; please report it)");
    }
  }

  private IngestResult parseChecked(byte[] payload, long now, int maxBytes) {
    if (payload == null || payload.length == 0) {
      return new Rejection("payload is empty");
    }
    if (payload.length > maxBytes) {
      return new Rejection(
          "payload is " + payload.length + " bytes; the limit is " + maxBytes + " bytes");
    }
    JsonNode root;
    try {
      root = mapper.readTree(payload);
    } catch (StreamConstraintsException e) {
      // Jackson's own text names its classes (StreamReadConstraints…): say it for a person.
      return new Rejection("payload is not usable JSON: " + overLimit(e));
    } catch (NumberFormatException e) {
      // An exponent past BigDecimal's range (1e-9999999999999): not a JsonProcessingException.
      return new Rejection("payload is not usable JSON: a number's exponent is out of range");
    } catch (JsonProcessingException e) {
      return new Rejection("payload is not valid JSON: " + Json.explain(e));
    } catch (IOException e) {
      return new Rejection("payload could not be read: " + e.getMessage());
    }
    if (root == null || root.isMissingNode()) {
      return new Rejection("payload has no JSON value (it is blank)");
    }
    if (!root.isObject()) {
      return new Rejection("payload must be a JSON object, not " + kind(root));
    }
    if (root.has("end_device_ids") || root.has("uplink_message")) {
      return parseUplink(root, now);
    }
    return parsePlain(root, now);
  }

  private static String overLimit(StreamConstraintsException e) {
    String what = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
    if (what.contains("nesting")) {
      return "its nesting depth is over " + MAX_NESTING + " levels";
    }
    if (what.contains("number")) {
      return "a number is longer than 64 characters";
    }
    if (what.contains("string")) {
      return "a string is longer than " + MAX_PAYLOAD_BYTES + " characters";
    }
    return "it is too large to read";
  }

  private IngestResult parsePlain(JsonNode root, long now) {
    JsonNode idNode = root.get("id");
    if (idNode == null || idNode.isNull()) {
      return new Rejection("no sensor id: the field 'id' is " + missingOrNull(idNode));
    }
    String idProblem = whyNotTextId(idNode);
    if (idProblem != null) {
      return new Rejection(idProblem);
    }
    return reading(idNode.textValue(), root.get("filling"), now, null);
  }

  private IngestResult parseUplink(JsonNode root, long now) {
    JsonNode uplink = root.get("uplink_message");
    if (uplink == null || uplink.isNull()) {
      return new Rejection("The Things Stack message has no uplink_message (not an uplink)");
    }
    if (!uplink.isObject()) {
      return new Rejection("uplink_message is " + kind(uplink) + ", not an object");
    }
    JsonNode decoded = uplink.path("decoded_payload");
    if (!decoded.isMissingNode() && !decoded.isNull() && !decoded.isObject()) {
      return new Rejection(
          "uplink_message.decoded_payload is " + kind(decoded) + ", not an object");
    }

    // Without a payload formatter the filling is in frm_payload: digits, or the JSON text the
    // original Kloaka firmware sends, whose id (if any) names the sensor.
    JsonNode filling = decoded.get("filling");
    JsonNode frmId = null;
    if (filling == null || filling.isNull()) {
      JsonNode frm = uplink.get("frm_payload");
      if (frm == null || frm.isNull()) {
        return new Rejection(
            "no filling: neither decoded_payload.filling nor frm_payload is in the uplink");
      }
      if (!frm.isTextual()) {
        return new Rejection("frm_payload is " + kind(frm) + ", not a base64 string");
      }
      byte[] bytes;
      try {
        bytes = Base64.getDecoder().decode(frm.textValue());
      } catch (IllegalArgumentException e) {
        return new Rejection("frm_payload '" + clip(frm.textValue()) + "' is not valid base64");
      }
      String text = new String(bytes, StandardCharsets.US_ASCII);
      if (text.stripLeading().startsWith("{")) {
        JsonNode inner;
        try {
          inner = mapper.readTree(bytes);
        } catch (IOException | RuntimeException e) {
          return new Rejection(
              "frm_payload holds JSON text that is not valid JSON: '" + clip(text) + "'");
        }
        if (inner == null || !inner.isObject()) {
          return new Rejection("frm_payload holds JSON text that is not one object");
        }
        filling = inner.get("filling");
        if (filling == null || filling.isNull()) {
          return new Rejection("frm_payload: the JSON text has no 'filling'");
        }
        frmId = inner.get("id");
        if (frmId != null && !frmId.isNull()) {
          String idProblem = whyNotTextId(frmId);
          if (idProblem != null) {
            return new Rejection("frm_payload: " + idProblem);
          }
        }
      } else {
        String fillingProblem = Filling.whyInvalid(text);
        if (fillingProblem != null) {
          return new Rejection("frm_payload: " + fillingProblem);
        }
        filling = mapper.getNodeFactory().textNode(text);
      }
    }

    String id;
    JsonNode decodedId = decoded.get("id");
    if (decodedId != null && !decodedId.isNull()) {
      String idProblem = whyNotTextId(decodedId);
      if (idProblem != null) {
        return new Rejection("decoded_payload: " + idProblem);
      }
      id = decodedId.textValue();
    } else if (frmId != null && !frmId.isNull()) {
      id = frmId.textValue();
    } else {
      JsonNode deviceId = root.path("end_device_ids").path("device_id");
      if (deviceId.isMissingNode() || deviceId.isNull()) {
        return new Rejection(
            "no sensor id: neither decoded_payload.id nor end_device_ids.device_id is given");
      }
      if (!deviceId.isTextual()) {
        return new Rejection("end_device_ids.device_id is " + kind(deviceId) + ", not a string");
      }
      Matcher trailing = TRAILING_ID.matcher(deviceId.textValue());
      if (!trailing.find()) {
        return new Rejection(
            "no sensor id: device_id '"
                + clip(deviceId.textValue())
                + "' does not end in a sensor id (e.g. kloaka01, kloaka-12-3)");
      }
      id = trailing.group(1);
    }

    long time = now;
    JsonNode receivedAt = root.get("received_at");
    if (receivedAt != null && !receivedAt.isNull()) {
      if (!receivedAt.isTextual()) {
        return new Rejection("received_at is " + kind(receivedAt) + ", not an RFC 3339 time");
      }
      try {
        time = parseTime(receivedAt.textValue()).getEpochSecond();
      } catch (DateTimeException e) {
        return new Rejection(
            "received_at '" + clip(receivedAt.textValue()) + "' is not an RFC 3339 time");
      }
      if (time > now + MAX_AHEAD_SECONDS) {
        return new Rejection(
            "received_at "
                + clip(receivedAt.textValue())
                + " is in the future: "
                + (time - now)
                + " s ahead of the server's clock (at most "
                + MAX_AHEAD_SECONDS
                + " s is allowed)");
      }
    }
    IngestResult result = reading(id, filling, time, bestSignal(uplink.get("rx_metadata")));
    if (result instanceof Reading reading) {
      return new Reading(
          reading.id(),
          reading.filling(),
          reading.time(),
          reading.signal(),
          text(root.path("end_device_ids").get("dev_eui")),
          battery(decoded.get("battery")),
          frameCounter(uplink.get("f_cnt")));
    }
    return result;
  }

  private static String text(JsonNode node) {
    return node != null && node.isTextual() && !node.textValue().isEmpty()
        ? clip(node.textValue(), MAX_FIELD_CHARS)
        : null;
  }

  /** A battery reading as the device reports it; anything but a plain number is left out. */
  private static BigDecimal battery(JsonNode node) {
    if (node == null || !node.isNumber()) {
      return null;
    }
    BigDecimal value = node.decimalValue();
    // An absurd exponent would make the stored text huge; such a value is no battery reading.
    return Math.abs(value.scale()) > 20 || value.precision() > 30 ? null : value;
  }

  private static Long frameCounter(JsonNode node) {
    if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
      return null;
    }
    long value = node.longValue();
    return value >= 0 && value <= 0xFFFF_FFFFL ? value : null;
  }

  private IngestResult reading(String idText, JsonNode fillingNode, long time, Signal signal) {
    String idProblem = SensorId.whyInvalid(idText);
    if (idProblem != null) {
      return new Rejection(idProblem);
    }
    if (fillingNode == null || fillingNode.isNull()) {
      return new Rejection("no filling: the field 'filling' is " + missingOrNull(fillingNode));
    }
    Filling filling;
    if (fillingNode.isNumber()) {
      String problem = Filling.whyInvalidNumber(fillingNode.decimalValue());
      if (problem != null) {
        return new Rejection(problem);
      }
      filling = Filling.of(fillingNode.decimalValue());
    } else if (fillingNode.isTextual()) {
      String problem = Filling.whyInvalid(fillingNode.textValue());
      if (problem != null) {
        return new Rejection(problem);
      }
      filling = Filling.parse(fillingNode.textValue());
    } else {
      return new Rejection(
          "filling is " + kind(fillingNode) + "; expected a number or a string of digits");
    }
    return new Reading(SensorId.parse(idText), filling, time, signal);
  }

  private static String whyNotTextId(JsonNode idNode) {
    if (!idNode.isTextual()) {
      return "sensor id is " + kind(idNode) + "; expected a string such as \"01\" or \"12-7\"";
    }
    return null;
  }

  private static String missingOrNull(JsonNode node) {
    return node == null ? "missing" : "null";
  }

  private static Instant parseTime(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeException e) {
      return OffsetDateTime.parse(text).toInstant();
    }
  }

  /**
   * The gateway that heard the uplink best (highest RSSI, else the first with an SNR), as TTN lists
   * them in rx_metadata.
   */
  private static Signal bestSignal(JsonNode rxMetadata) {
    if (rxMetadata == null || !rxMetadata.isArray()) {
      return null;
    }
    Signal best = null;
    for (JsonNode gateway : rxMetadata) {
      Double rssi = number(gateway.get("rssi"));
      if (rssi == null) {
        rssi = number(gateway.get("channel_rssi"));
      }
      Double snr = number(gateway.get("snr"));
      if (rssi == null && snr == null) {
        continue;
      }
      if (best == null || (rssi != null && (best.rssi() == null || rssi > best.rssi()))) {
        best = new Signal(rssi, snr, text(gateway.path("gateway_ids").get("gateway_id")));
      }
    }
    return best;
  }

  private static Double number(JsonNode node) {
    return node != null && node.isNumber() ? node.doubleValue() : null;
  }

  private static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      case NUMBER -> "a number";
      case OBJECT -> "an object";
      case STRING -> "a string";
      default -> "not a JSON value";
    };
  }

  private static String clip(String text) {
    return clip(text, 40);
  }

  private static String clip(String text, int length) {
    return text.length() <= length ? text : text.substring(0, length) + "…";
  }
}
