package org.kloaka.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import org.kloaka.api.Json;

/**
 * The strict reading every request body gets: one JSON object, no duplicate or unknown fields, each
 * mistake its own 400 message.
 */
final class JsonBody {

  private static final ObjectMapper STRICT =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private JsonBody() {}

  /**
   * @param example a body that would be right, for the messages
   * @param fields the fields the body may have
   * @throws ApiException 400 naming what is wrong
   */
  static JsonNode object(byte[] body, String example, List<String> fields) {
    if (body.length == 0) {
      throw ApiException.badRequest("the body is empty; send " + example);
    }
    JsonNode root;
    try {
      root = STRICT.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("the body is not valid JSON: " + Json.explain(e));
    } catch (IOException e) {
      throw ApiException.badRequest("the body could not be read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw ApiException.badRequest("the body must be a JSON object such as " + example);
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!fields.contains(name)) {
        throw ApiException.badRequest(
            "unknown field '"
                + UriText.clip(name)
                + "' in the body; known fields: "
                + String.join(", ", fields));
      }
    }
    return root;
  }

  /** A string field, or null when absent or null; at most {@code maxChars} code points. */
  static String optionalText(JsonNode root, String field, int maxChars) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw ApiException.badRequest(field + " must be a string, was " + kind(node));
    }
    String text = node.textValue();
    int chars = text.codePointCount(0, text.length());
    if (chars > maxChars) {
      throw ApiException.badRequest(
          field + " is " + chars + " characters long; at most " + maxChars + " are kept");
    }
    return text;
  }

  static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case BOOLEAN -> "a boolean";
      case NUMBER -> "a number";
      case OBJECT -> "an object";
      case STRING -> "a string";
      default -> "null";
    };
  }
}
