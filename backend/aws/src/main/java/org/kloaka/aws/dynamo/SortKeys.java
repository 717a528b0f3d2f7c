package org.kloaka.aws.dynamo;

import java.time.Instant;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Sort keys that order rows by time, then by arrival: {@code <12-digit epoch second>#<19-digit
 * arrival nanos>#<8 random hex digits>}. Fixed width makes string order equal number order; the
 * random tail keeps two rows of the same instant (two Lambdas at once) from overwriting each other.
 */
final class SortKeys {

  /** The largest second a 12-digit key can carry (year 33658). */
  static final long MAX_SECOND = 999_999_999_999L;

  private SortKeys() {}

  static String key(long second, Instant arrival, RandomGenerator random) {
    long nanos = Math.max(0, arrival.getEpochSecond()) * 1_000_000_000L + arrival.getNano();
    return String.format(Locale.ROOT, "%s#%019d#%08x", prefix(second), nanos, random.nextInt());
  }

  /** The lowest key of a second: every key of that second sorts after it. */
  static String lowest(long second) {
    return prefix(second) + "#";
  }

  /** The highest key of a second: every key of that second sorts before it. */
  static String highest(long second) {
    return prefix(second) + "#~";
  }

  private static String prefix(long second) {
    return String.format(Locale.ROOT, "%012d", Math.min(MAX_SECOND, Math.max(0, second)));
  }
}
