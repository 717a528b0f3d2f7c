package org.kloaka.core.api;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A call's query parameters, checked against what its endpoint understands. An unknown parameter is
 * a 400 naming it, so a typo ({@code ?limt=5}) never silently gives the default.
 */
final class QueryParameters {

  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,19}");

  private final Map<String, String> values;

  private QueryParameters(Map<String, String> values) {
    this.values = values;
  }

  /**
   * @throws ApiException 400 on a malformed, repeated or unknown parameter
   */
  static QueryParameters parse(String rawQuery, Set<String> known) {
    Map<String, String> values = UriText.query(rawQuery);
    for (String name : values.keySet()) {
      if (!known.contains(name)) {
        throw ApiException.badRequest(
            "unknown query parameter '"
                + UriText.clip(name)
                + "'"
                + (known.isEmpty()
                    ? "; this call takes none"
                    : "; this call takes " + String.join(", ", new TreeSet<>(known))));
      }
    }
    return new QueryParameters(values);
  }

  Optional<String> text(String name) {
    return Optional.ofNullable(values.get(name));
  }

  /** A time in epoch seconds, a whole number ≥ 0. */
  long seconds(String name, long absent) {
    String text = values.get(name);
    if (text == null) {
      return absent;
    }
    Long value = wholeNumber(text);
    if (value == null) {
      throw ApiException.badRequest(
          name
              + " must be a time in epoch seconds (a whole number ≥ 0), was '"
              + UriText.clip(text)
              + "'");
    }
    return value;
  }

  /** A count from 1 to {@code max}. */
  int limit(String name, int absent, int max) {
    String text = values.get(name);
    if (text == null) {
      return absent;
    }
    Long value = wholeNumber(text);
    if (value == null || value < 1 || value > max) {
      throw ApiException.badRequest(
          name + " must be a whole number from 1 to " + max + ", was '" + UriText.clip(text) + "'");
    }
    return value.intValue();
  }

  private static Long wholeNumber(String text) {
    if (!DIGITS.matcher(text).matches()) {
      return null;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      // 19 digits can still exceed Long.MAX_VALUE.
      return null;
    }
  }
}
