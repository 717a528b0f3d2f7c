package org.kloaka.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The one clock of Kloaka's tests: it stands still until the test sets or forwards it, so
 * time-dependent behaviour is tested without waiting for real time. Thread-safe (the runtime under
 * test reads it from its own threads). Always UTC.
 *
 * <p>Shared by every module's tests through {@code kloaka-shared}'s test jar.
 */
public final class TestClock extends Clock {

  private volatile Instant now;

  public TestClock(Instant start) {
    this.now = start;
  }

  public TestClock(long epochSecond) {
    this(Instant.ofEpochSecond(epochSecond));
  }

  public static TestClock atEpochSecond(long epochSecond) {
    return new TestClock(epochSecond);
  }

  /** Moves the clock to {@code epochSecond}, forwards or back. */
  public void set(long epochSecond) {
    now = Instant.ofEpochSecond(epochSecond);
  }

  /** Moves the clock on by {@code by}. */
  public synchronized void forward(Duration by) {
    now = now.plus(by);
  }

  /** The time in whole epoch seconds. */
  public long seconds() {
    return now.getEpochSecond();
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
