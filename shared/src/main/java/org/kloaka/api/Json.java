package org.kloaka.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one way Kloaka configures Jackson, so the backend and the console read each other. */
public final class Json {

  private Json() {}

  /** A new mapper for Kloaka's records: unknown fields are ignored (extra fields are allowed). */
  public static ObjectMapper newMapper() {
    return JsonMapper.builder()
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .build();
  }

  /**
   * Why some JSON could not be read, for a person: Jackson's own messages are kept where they are
   * plain ("Unexpected character ('x' (code 120)) …", "Duplicate field 'id'"), but never what names
   * its internals — class names in backticks, {@code StreamReadConstraints}, the source
   * description, {@code DeserializationFeature}s.
   */
  public static String explain(JsonProcessingException e) {
    if (e instanceof StreamConstraintsException) {
      return "nested deeper than 1000 levels, or a number or string far too long";
    }
    String message = String.valueOf(e.getOriginalMessage());
    if (message.startsWith("Trailing token")) {
      return "there is more after the JSON value";
    }
    for (String noise :
        new String[] {" (start marker at", " (bound as", " (through reference", "`"}) {
      int at = message.indexOf(noise);
      if (at >= 0) {
        message = message.substring(0, at);
      }
    }
    message = message.strip();
    while (message.endsWith(":") || message.endsWith("(") || message.endsWith(",")) {
      message = message.substring(0, message.length() - 1).strip();
    }
    return message.isEmpty() ? "it is not JSON this program can read" : message;
  }
}
