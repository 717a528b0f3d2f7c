package org.kloaka.core;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand, so nothing waits for real time. */
public final class TestClock extends Clock {

  private volatile Instant now;

  public TestClock(long epochSecond) {
    this.now = Instant.ofEpochSecond(epochSecond);
  }

  public void set(long epochSecond) {
    now = Instant.ofEpochSecond(epochSecond);
  }

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
