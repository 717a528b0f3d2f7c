package org.kloaka.console.client;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: exponential from {@code first}, doubled per failed attempt, capped at {@code
 * cap}, with "equal jitter" (half the delay fixed, half random) so that many consoles dropped by
 * the same outage do not all knock again at the same instant.
 */
public final class Backoff {

  private final Duration first;
  private final Duration cap;
  private final DoubleSupplier random;
  private int failures;

  /**
   * @param random values in [0, 1); a parameter so tests can fix it
   */
  public Backoff(Duration first, Duration cap, DoubleSupplier random) {
    if (first.isNegative() || first.isZero() || cap.compareTo(first) < 0) {
      throw new IllegalArgumentException("need 0 < first <= cap: " + first + ", " + cap);
    }
    this.first = first;
    this.cap = cap;
    this.random = random;
  }

  /** The default: 0.5 s, 1 s, 2 s, … up to 30 s. */
  public static Backoff standard(DoubleSupplier random) {
    return new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), random);
  }

  /** The delay before the next attempt; each call counts one more failure. */
  public synchronized Duration next() {
    long ceiling = first.toMillis() << Math.min(failures, 20);
    ceiling = Math.min(ceiling, cap.toMillis());
    failures++;
    long half = ceiling / 2;
    return Duration.ofMillis(half + (long) (random.getAsDouble() * (ceiling - half)));
  }

  /** After a connection that worked: start again from {@code first}. */
  public synchronized void reset() {
    failures = 0;
  }
}
