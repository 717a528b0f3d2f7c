package org.kloaka.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a JSON value against an OpenAPI 3.0 schema — the subset openapi.yaml uses ($ref, type,
 * nullable, required, properties, additionalProperties false, items, enum, pattern, minimum,
 * maximum, maxLength) — so the contract test can tell when the router's answers and the document
 * drift apart.
 */
final class SchemaCheck {

  private final JsonNode spec;
  private final List<String> problems = new ArrayList<>();

  private SchemaCheck(JsonNode spec) {
    this.spec = spec;
  }

  /** Every way {@code value} breaks {@code schema}; empty when it conforms. */
  static List<String> problems(JsonNode spec, JsonNode schema, JsonNode value) {
    SchemaCheck check = new SchemaCheck(spec);
    check.check(schema, value, "$");
    return check.problems;
  }

  /** The node a local {@code $ref} ("#/components/…") points at. */
  static JsonNode resolve(JsonNode spec, JsonNode node) {
    JsonNode at = node;
    while (at.has("$ref")) {
      String ref = at.get("$ref").asText();
      if (!ref.startsWith("#/")) {
        throw new IllegalArgumentException("only local $refs are supported: " + ref);
      }
      at = spec.at(ref.substring(1));
      if (at.isMissingNode()) {
        throw new IllegalArgumentException("$ref points nowhere: " + ref);
      }
    }
    return at;
  }

  private void check(JsonNode schemaOrRef, JsonNode value, String where) {
    JsonNode schema = resolve(spec, schemaOrRef);
    if (value.isNull()) {
      if (!schema.path("nullable").asBoolean(false)) {
        problems.add(where + ": null but the schema is not nullable");
      }
      return;
    }
    String type = schema.path("type").asText("");
    switch (type) {
      case "object" -> checkObject(schema, value, where);
      case "array" -> {
        if (!value.isArray()) {
          problems.add(where + ": expected an array, got " + value.getNodeType());
          return;
        }
        for (int i = 0; i < value.size(); i++) {
          check(schema.get("items"), value.get(i), where + "[" + i + "]");
        }
      }
      case "string" -> checkString(schema, value, where);
      case "integer" -> {
        if (!value.isIntegralNumber()) {
          problems.add(where + ": expected an integer, got " + value);
        }
        checkRange(schema, value, where);
      }
      case "number" -> {
        if (!value.isNumber()) {
          problems.add(where + ": expected a number, got " + value);
        }
        checkRange(schema, value, where);
      }
      case "boolean" -> {
        if (!value.isBoolean()) {
          problems.add(where + ": expected a boolean, got " + value);
        }
      }
      default -> problems.add(where + ": schema without a type the check knows: " + schema);
    }
  }

  private void checkObject(JsonNode schema, JsonNode value, String where) {
    if (!value.isObject()) {
      problems.add(where + ": expected an object, got " + value.getNodeType());
      return;
    }
    for (JsonNode required : schema.path("required")) {
      if (!value.has(required.asText())) {
        problems.add(where + ": required field '" + required.asText() + "' is missing");
      }
    }
    JsonNode properties = schema.path("properties");
    boolean closed = !schema.path("additionalProperties").asBoolean(true);
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode property = properties.get(field.getKey());
      if (property == null) {
        if (closed) {
          problems.add(where + ": field '" + field.getKey() + "' is not in the schema");
        }
        continue;
      }
      check(property, field.getValue(), where + "." + field.getKey());
    }
  }

  private void checkString(JsonNode schema, JsonNode value, String where) {
    if (!value.isTextual()) {
      problems.add(where + ": expected a string, got " + value);
      return;
    }
    String text = value.asText();
    if (schema.has("enum")) {
      boolean listed = false;
      for (JsonNode option : schema.get("enum")) {
        listed |= option.asText().equals(text);
      }
      if (!listed) {
        problems.add(where + ": '" + text + "' is not one of " + schema.get("enum"));
      }
    }
    if (schema.has("pattern")
        && !Pattern.compile(schema.get("pattern").asText()).matcher(text).find()) {
      problems.add(where + ": '" + text + "' does not match " + schema.get("pattern").asText());
    }
    if (schema.has("maxLength")
        && text.codePointCount(0, text.length()) > schema.get("maxLength").asInt()) {
      problems.add(where + ": longer than " + schema.get("maxLength").asInt());
    }
  }

  private void checkRange(JsonNode schema, JsonNode value, String where) {
    if (schema.has("minimum") && value.asDouble() < schema.get("minimum").asDouble()) {
      problems.add(where + ": " + value + " is below the minimum " + schema.get("minimum"));
    }
    if (schema.has("maximum") && value.asDouble() > schema.get("maximum").asDouble()) {
      problems.add(where + ": " + value + " is above the maximum " + schema.get("maximum"));
    }
  }
}
