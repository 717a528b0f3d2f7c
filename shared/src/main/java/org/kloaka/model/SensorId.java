package org.kloaka.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Optional;

/**
 * A sensor's identity: the tube it sits on and its position along that tube, both whole numbers.
 *
 * <p>Two spellings exist (docs/ingest.md): the seed's {@code TS} (exactly two ASCII digits, tube
 * then sensor, so {@code 01} is tube 0 sensor 1) and {@code T-S} (1–4 ASCII digits each, no leading
 * zeros) for larger networks. Both name the same pair of numbers; the canonical spelling is {@code
 * TS} when both numbers are single digits and {@code T-S} otherwise.
 */
public record SensorId(int tube, int sensor) implements Comparable<SensorId> {

  /** The largest tube or sensor number the {@code T-S} spelling can carry (four digits). */
  public static final int MAX_NUMBER = 9999;

  public SensorId {
    if (tube < 0 || tube > MAX_NUMBER || sensor < 0 || sensor > MAX_NUMBER) {
      throw new IllegalArgumentException(
          "tube and sensor numbers must be between 0 and "
              + MAX_NUMBER
              + ": "
              + tube
              + "-"
              + sensor);
    }
  }

  /**
   * Parses either spelling.
   *
   * @throws IllegalArgumentException with a reason a person understands when {@code text} is not an
   *     id
   */
  @JsonCreator
  public static SensorId parse(String text) {
    String problem = whyInvalid(text);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    int dash = text.indexOf('-');
    if (dash < 0) {
      return new SensorId(text.charAt(0) - '0', text.charAt(1) - '0');
    }
    return new SensorId(
        Integer.parseInt(text.substring(0, dash)), Integer.parseInt(text.substring(dash + 1)));
  }

  /** Parses either spelling, or answers empty when {@code text} is not an id. */
  public static Optional<SensorId> tryParse(String text) {
    return whyInvalid(text) == null ? Optional.of(parse(text)) : Optional.empty();
  }

  /** Why {@code text} is not a sensor id, or {@code null} when it is one. */
  public static String whyInvalid(String text) {
    if (text == null) {
      return "sensor id is missing";
    }
    if (text.isEmpty()) {
      return "sensor id is empty";
    }
    if (text.length() > 9) {
      return "sensor id '" + shorten(text) + "' is too long (at most T-S with 4 digits each)";
    }
    int dash = text.indexOf('-');
    if (dash < 0) {
      if (text.length() != 2 || !isAsciiDigit(text.charAt(0)) || !isAsciiDigit(text.charAt(1))) {
        return "sensor id '"
            + text
            + "' is not two ASCII digits (TS) nor tube-sensor numbers (T-S, e.g. 12-7)";
      }
      return null;
    }
    if (text.indexOf('-', dash + 1) >= 0) {
      return "sensor id '" + text + "' has more than one '-' (T-S has exactly one)";
    }
    String tube = text.substring(0, dash);
    String sensor = text.substring(dash + 1);
    String tubeProblem = whyInvalidNumber(tube);
    String sensorProblem = whyInvalidNumber(sensor);
    if (tubeProblem != null) {
      return "sensor id '" + text + "': tube number " + tubeProblem;
    }
    if (sensorProblem != null) {
      return "sensor id '" + text + "': sensor number " + sensorProblem;
    }
    return null;
  }

  private static String whyInvalidNumber(String digits) {
    if (digits.isEmpty()) {
      return "is empty";
    }
    if (digits.length() > 4) {
      return "has more than 4 digits";
    }
    for (int i = 0; i < digits.length(); i++) {
      if (!isAsciiDigit(digits.charAt(i))) {
        return "'" + digits + "' is not ASCII digits";
      }
    }
    if (digits.length() > 1 && digits.charAt(0) == '0') {
      return "'" + digits + "' has a leading zero";
    }
    return null;
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static String shorten(String text) {
    return text.length() <= 20 ? text : text.substring(0, 20) + "…";
  }

  /** The next sensor down the same tube by number, if the numbering can go on. */
  public Optional<SensorId> following() {
    return sensor < MAX_NUMBER ? Optional.of(new SensorId(tube, sensor + 1)) : Optional.empty();
  }

  /** The sensor before this one on the same tube by number; sensor 0 has none. */
  public Optional<SensorId> previous() {
    return sensor > 0 ? Optional.of(new SensorId(tube, sensor - 1)) : Optional.empty();
  }

  /** The canonical spelling: {@code TS} when both numbers are single digits, else {@code T-S}. */
  @JsonValue
  @Override
  public String toString() {
    return tube < 10 && sensor < 10 ? "" + tube + sensor : tube + "-" + sensor;
  }

  @Override
  public int compareTo(SensorId other) {
    int byTube = Integer.compare(tube, other.tube);
    return byTube != 0 ? byTube : Integer.compare(sensor, other.sensor);
  }
}
