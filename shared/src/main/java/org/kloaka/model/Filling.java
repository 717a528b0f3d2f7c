package org.kloaka.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * How full a pipe runs at a sensor, a number from 0 to 100, kept exactly as a decimal.
 *
 * <p>Its JSON form is a string, as the seed stores it ({@code "100"}, {@code "62.5"}): the
 * canonical spelling has no exponent and no trailing zeros, so {@code 50.0} and {@code "050"} both
 * become {@code "50"}.
 */
public final class Filling implements Comparable<Filling> {

  private static final BigDecimal MAX = BigDecimal.valueOf(100);

  /** The most decimal places a filling keeps; the string form allows as many. */
  private static final int MAX_DECIMALS = 20;

  private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,20}(\\.[0-9]{1,20})?");

  private final BigDecimal value;
  // Known from the value; kept because every verdict asks for it (two per pair, two pairs per
  // message), and comparing BigDecimals was a tenth of the local ingest writer's time.
  private final Level level;

  private Filling(BigDecimal value) {
    this.value = value;
    this.level = Level.ofValue(value);
  }

  /**
   * A filling from an exact number.
   *
   * @throws IllegalArgumentException when outside 0–100 or with more than 20 decimal places
   */
  public static Filling of(BigDecimal number) {
    String problem = whyInvalidNumber(number);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    BigDecimal canonical = number.stripTrailingZeros();
    if (canonical.scale() < 0) {
      canonical = canonical.setScale(0);
    }
    return new Filling(canonical);
  }

  public static Filling of(long number) {
    return of(BigDecimal.valueOf(number));
  }

  /**
   * Parses a plain decimal string such as {@code "100"} or {@code "62.5"}.
   *
   * @throws IllegalArgumentException with a reason a person understands
   */
  @JsonCreator
  public static Filling parse(String text) {
    String problem = whyInvalid(text);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return of(new BigDecimal(text));
  }

  /** Why {@code text} is not a filling, or {@code null} when it is one. */
  public static String whyInvalid(String text) {
    if (text == null) {
      return "filling is missing";
    }
    if (text.isEmpty()) {
      return "filling is an empty string";
    }
    if (!DECIMAL.matcher(text).matches()) {
      return "filling '" + shorten(text) + "' is not a number";
    }
    return whyOutOfRange(new BigDecimal(text));
  }

  /**
   * Why {@code number} is not a filling, or {@code null} when it is one.
   *
   * <p>Besides the range, this refuses more than 20 decimal places: a JSON number such as {@code
   * 1e-999999999} is inside 0–100, but its canonical spelling would be a billion characters long.
   */
  public static String whyInvalidNumber(BigDecimal number) {
    if (number == null) {
      return "filling is missing";
    }
    String problem = whyOutOfRange(number);
    if (problem != null) {
      return problem;
    }
    if (number.stripTrailingZeros().scale() > MAX_DECIMALS) {
      return "filling " + describe(number) + " has more than " + MAX_DECIMALS + " decimal places";
    }
    return null;
  }

  /** Why {@code number} is outside 0–100, or {@code null} when it is inside. */
  public static String whyOutOfRange(BigDecimal number) {
    if (number.signum() < 0 || number.compareTo(MAX) > 0) {
      return "filling " + describe(number) + " is outside 0–100";
    }
    return null;
  }

  /** The number as a person writes it, unless its exponent would make that absurdly long. */
  private static String describe(BigDecimal number) {
    return Math.abs(number.scale()) > MAX_DECIMALS * 2
        ? shorten(number.toString())
        : shorten(number.toPlainString());
  }

  private static String shorten(String text) {
    return text.length() <= 24 ? text : text.substring(0, 24) + "…";
  }

  public BigDecimal value() {
    return value;
  }

  public Level level() {
    return level;
  }

  @JsonValue
  @Override
  public String toString() {
    return value.toPlainString();
  }

  @Override
  public int compareTo(Filling other) {
    return value.compareTo(other.value);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Filling f && f.value.compareTo(value) == 0;
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
