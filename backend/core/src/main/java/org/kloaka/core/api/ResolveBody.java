package org.kloaka.core.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Iterator;
import java.util.Set;
import org.kloaka.api.Responses;
import org.kloaka.core.Explain;
import org.kloaka.model.ProblemStatus;

/**
 * The body of {@code PATCH /problems/{id}}: {@code {"problem_status": "RESOLVED", "note": "…",
 * "resolved_by": "…"}}, checked field by field so each mistake gets its own 400 message.
 */
final class ResolveBody {

  static final int MAX_NOTE_CHARS = 2000;
  static final int MAX_RESOLVED_BY_CHARS = 200;
  static final String DEFAULT_RESOLVED_BY = "operator";

  private static final Set<String> FIELDS = Set.of("problem_status", "note", "resolved_by");
  private static final ObjectMapper STRICT =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private ResolveBody() {}

  /**
   * @return the request with {@code resolved_by} defaulted
   * @throws ApiException 400 naming what is wrong
   */
  static Responses.Resolve parse(byte[] body) {
    if (body.length == 0) {
      throw ApiException.badRequest(
          "the body is empty; send {\"problem_status\": \"RESOLVED\", \"note\": \"…\"}");
    }
    JsonNode root;
    try {
      root = STRICT.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("the body is not valid JSON: " + Explain.json(e));
    } catch (IOException e) {
      throw ApiException.badRequest("the body could not be read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw ApiException.badRequest(
          "the body must be a JSON object such as {\"problem_status\": \"RESOLVED\"}");
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw ApiException.badRequest(
            "unknown field '"
                + UriText.clip(name)
                + "' in the body; known fields: problem_status, note, resolved_by");
      }
    }
    JsonNode status = root.get("problem_status");
    if (status == null || status.isNull()) {
      throw ApiException.badRequest(
          "problem_status is missing; send \"problem_status\": \"RESOLVED\"");
    }
    if (!status.isTextual() || !status.textValue().equals(ProblemStatus.RESOLVED.name())) {
      throw ApiException.badRequest(
          "problem_status must be \"RESOLVED\" (an operator can only resolve a problem), was "
              + UriText.clip(status.toString()));
    }
    String note = optionalText(root, "note", MAX_NOTE_CHARS);
    String resolvedBy = optionalText(root, "resolved_by", MAX_RESOLVED_BY_CHARS);
    if (resolvedBy != null && resolvedBy.isBlank()) {
      throw ApiException.badRequest("resolved_by must not be blank; leave it out for \"operator\"");
    }
    return new Responses.Resolve(
        ProblemStatus.RESOLVED.name(), note, resolvedBy == null ? DEFAULT_RESOLVED_BY : resolvedBy);
  }

  private static String optionalText(JsonNode root, String field, int maxChars) {
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

  private static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case BOOLEAN -> "a boolean";
      case NUMBER -> "a number";
      case OBJECT -> "an object";
      default -> "not a string";
    };
  }
}
