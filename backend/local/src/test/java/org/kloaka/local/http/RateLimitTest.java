package org.kloaka.local.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.kloaka.local.MutableClock;

class RateLimitTest {

  final MutableClock clock = MutableClock.atEpochSecond(1_658_274_939L);
  final InetAddress one = InetAddress.getLoopbackAddress();
  final InetAddress other = address("10.0.0.7");

  static InetAddress address(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aBurstOfTwiceTheRateIsAllowedThenTheNextWaits() {
    RateLimit limit = new RateLimit(10, clock);

    for (int i = 0; i < 20; i++) {
      assertThat(limit.acquire(one)).as("request %d of the burst", i + 1).isZero();
    }
    assertThat(limit.acquire(one)).as("the 21st, at once").isEqualTo(1);
  }

  @Test
  void theBucketRefillsAtTheRate() {
    RateLimit limit = new RateLimit(10, clock);
    for (int i = 0; i < 20; i++) {
      limit.acquire(one);
    }

    clock.forward(Duration.ofMillis(300));

    for (int i = 0; i < 3; i++) {
      assertThat(limit.acquire(one)).as("3 tokens after 300 ms").isZero();
    }
    assertThat(limit.acquire(one)).isPositive();
  }

  @Test
  void eachAddressHasItsOwnBucket() {
    RateLimit limit = new RateLimit(1, clock);
    limit.acquire(one);
    limit.acquire(one);

    assertThat(limit.acquire(one)).isPositive();
    assertThat(limit.acquire(other)).isZero();
  }

  @Test
  void loopbackGoesUnlimitedWhenExemptWhileOtherAddressesStillWait() throws Exception {
    RateLimit limit = new RateLimit(1, clock, true);
    InetAddress v4 = InetAddress.getByName("127.0.0.1");
    InetAddress v6 = InetAddress.getByName("::1");
    for (int i = 0; i < 1_000; i++) {
      assertThat(limit.acquire(v4)).as("127.0.0.1, request %d", i + 1).isZero();
      assertThat(limit.acquire(v6)).as("::1, request %d", i + 1).isZero();
    }
    limit.acquire(other);
    limit.acquire(other);
    assertThat(limit.acquire(other)).as("a remote address is still limited").isPositive();
  }

  @Test
  void zeroTurnsItOffAndANegativeRateIsRefused() {
    RateLimit off = new RateLimit(0, clock);
    for (int i = 0; i < 10_000; i++) {
      assertThat(off.acquire(one)).isZero();
    }
    assertThatThrownBy(() -> new RateLimit(-1, clock)).hasMessageContaining("at least 0");
  }

  @Test
  void idleAddressesAreForgottenWhenManyAreTracked() throws Exception {
    RateLimit limit = new RateLimit(1, clock);
    for (int i = 0; i <= RateLimit.MAX_TRACKED; i++) {
      limit.acquire(
          InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}));
    }
    limit.acquire(one);
    limit.acquire(one);
    clock.forward(Duration.ofSeconds(10));

    limit.acquire(other); // over the limit of tracked addresses: the idle ones go

    assertThat(limit.tracked()).isLessThanOrEqualTo(2);
    assertThat(limit.acquire(one)).as("a forgotten address starts with a full bucket").isZero();
  }
}
