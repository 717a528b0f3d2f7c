package org.kloaka.local.http;

import java.net.InetAddress;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per remote address: on average {@code perSecond} requests a second, in bursts of
 * up to twice that. Keeps one script (or one stranger, when the API is bound beyond loopback) from
 * taking all of the server, and slows down guessing the token. {@code perSecond = 0} turns it off.
 *
 * <p>At most {@value #MAX_TRACKED} addresses are tracked; past that, the ones whose bucket has
 * refilled (idle for a while) are forgotten, which changes nothing for them.
 */
public final class RateLimit {

  public static final int DEFAULT_PER_SECOND = 100;
  static final int MAX_TRACKED = 10_000;

  private final double perSecond;
  private final double burst;
  private final Clock clock;
  private final boolean loopbackExempt;
  private final ConcurrentHashMap<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();

  private static final class Bucket {
    double tokens;
    long lastMillis;

    Bucket(double tokens, long lastMillis) {
      this.tokens = tokens;
      this.lastMillis = lastMillis;
    }
  }

  /**
   * @param perSecond requests a second per address on average; 0 for no limit
   * @param clock where time comes from (tests move it by hand)
   */
  public RateLimit(int perSecond, Clock clock) {
    this(perSecond, clock, false);
  }

  /**
   * @param loopbackExempt whether requests from this machine (127.0.0.0/8, ::1) go unlimited: the
   *     local runtime's own console and scripts are trusted, and a test suite must not meet 429s
   *     the contract does not list; the limit guards the API when {@code --bind} opens it
   */
  public RateLimit(int perSecond, Clock clock, boolean loopbackExempt) {
    this.loopbackExempt = loopbackExempt;
    if (perSecond < 0) {
      throw new IllegalArgumentException("the rate limit must be at least 0, was " + perSecond);
    }
    this.perSecond = perSecond;
    this.burst = 2.0 * perSecond;
    this.clock = clock;
  }

  public static RateLimit off() {
    return new RateLimit(0, Clock.systemUTC());
  }

  /** Addresses with a bucket now. */
  int tracked() {
    return buckets.size();
  }

  public int perSecond() {
    return (int) perSecond;
  }

  /**
   * Takes one request's token for {@code from}.
   *
   * @return 0 when the request may go on; else the whole seconds after which one will be allowed
   */
  public long acquire(InetAddress from) {
    if (perSecond == 0 || (loopbackExempt && from.isLoopbackAddress())) {
      return 0;
    }
    long now = clock.millis();
    if (buckets.size() > MAX_TRACKED) {
      forgetIdle(now);
    }
    Bucket bucket = buckets.computeIfAbsent(from, address -> new Bucket(burst, now));
    synchronized (bucket) {
      refill(bucket, now);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - bucket.tokens) / perSecond);
    }
  }

  private void refill(Bucket bucket, long now) {
    long elapsed = Math.max(0, now - bucket.lastMillis);
    bucket.tokens = Math.min(burst, bucket.tokens + elapsed * perSecond / 1000.0);
    bucket.lastMillis = now;
  }

  private void forgetIdle(long now) {
    buckets
        .entrySet()
        .removeIf(
            entry -> {
              synchronized (entry.getValue()) {
                refill(entry.getValue(), now);
                return entry.getValue().tokens >= burst;
              }
            });
  }
}
