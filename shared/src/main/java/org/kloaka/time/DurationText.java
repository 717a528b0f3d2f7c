package org.kloaka.time;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them, the one way every part of Kloaka reads them (the runtime's and
 * the console's command lines, the Lambdas' environment): {@code 500ms}, {@code 90s}, {@code 30m},
 * {@code 3h}, {@code 1d}, ISO-8601 ({@code PT30M}), or a bare {@code 0}. Negative durations are
 * refused.
 */
public final class DurationText {

  /** What an error message suggests. */
  public static final String EXAMPLES = "90s, 30m, 3h, 1d or PT30M";

  private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

  private DurationText() {}

  /**
   * @throws IllegalArgumentException saying what is wrong with {@code text} (quoted), for a person
   */
  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("an empty text is not a duration: write e.g. " + EXAMPLES);
    }
    String trimmed = text.strip().toLowerCase(Locale.ROOT);
    if (trimmed.equals("0")) {
      return Duration.ZERO;
    }
    Matcher matcher = SHORT.matcher(trimmed);
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      return switch (matcher.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    }
    Duration iso;
    try {
      iso = Duration.parse(trimmed.toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration: write e.g. 500ms, " + EXAMPLES, e);
    }
    if (iso.isNegative()) {
      throw new IllegalArgumentException("'" + text + "' is negative: a duration must not be");
    }
    return iso;
  }
}
