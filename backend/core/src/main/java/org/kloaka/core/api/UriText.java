package org.kloaka.core.api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Percent-decoding of paths and query strings (RFC 3986), strict about malformed escapes. */
final class UriText {

  private UriText() {}

  /**
   * The path's segments, each decoded on its own (so {@code %2F} inside an id stays part of it). A
   * single trailing slash is ignored: {@code /devices/} is {@code /devices}.
   *
   * @return null when the path is not absolute
   * @throws ApiException 400 when an escape is malformed or not UTF-8
   */
  static List<String> segments(String rawPath) {
    if (rawPath.isEmpty() || rawPath.charAt(0) != '/') {
      return null;
    }
    String path =
        rawPath.length() > 1 && rawPath.endsWith("/")
            ? rawPath.substring(0, rawPath.length() - 1)
            : rawPath;
    List<String> segments = new ArrayList<>();
    if (path.equals("/")) {
      return segments;
    }
    for (String raw : path.substring(1).split("/", -1)) {
      segments.add(decode(raw, false, "path"));
    }
    return segments;
  }

  /**
   * The query's parameters in order; {@code +} is a space, as HTML forms send it.
   *
   * @throws ApiException 400 when an escape is malformed or a parameter is given twice
   */
  static Map<String, String> query(String rawQuery) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return parameters;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq), true, "query");
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true, "query");
      if (parameters.putIfAbsent(name, value) != null) {
        throw ApiException.badRequest("query parameter '" + clip(name) + "' is given twice");
      }
    }
    return parameters;
  }

  static String decode(String raw, boolean plusIsSpace, String part) {
    if (raw.indexOf('%') < 0 && (!plusIsSpace || raw.indexOf('+') < 0)) {
      return raw;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        int high = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
        int low = high >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
        if (low < 0) {
          throw ApiException.badRequest(
              "malformed percent-encoding in the " + part + ": '" + clip(raw) + "'");
        }
        bytes.write(high * 16 + low);
        i += 2;
      } else if (c == '+' && plusIsSpace) {
        bytes.write(' ');
      } else {
        int codePoint = raw.codePointAt(i);
        byte[] encoded = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
        bytes.write(encoded, 0, encoded.length);
        i += Character.charCount(codePoint) - 1;
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw ApiException.badRequest(
          "the " + part + " has percent-escapes that are not UTF-8: '" + clip(raw) + "'");
    }
  }

  static String clip(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "…";
  }
}
