package org.kloaka.core.notify;

import java.time.Duration;

/**
 * How a failed delivery is retried: after {@code first}, doubling up to {@code max}, until {@code
 * giveUpAfter} has passed since the entry fell due; then it fails for good.
 */
public record RetryPolicy(Duration first, Duration max, Duration giveUpAfter) {

  /** 10 s, doubling to 30 min, for 24 h (docs/notifications.md). */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(Duration.ofSeconds(10), Duration.ofMinutes(30), Duration.ofHours(24));

  public long delaySeconds(int attemptsSoFar) {
    long delay = first.toSeconds();
    for (int i = 1; i < attemptsSoFar && delay < max.toSeconds(); i++) {
      delay *= 2;
    }
    return Math.min(delay, max.toSeconds());
  }

  /** The entry after one more attempt at {@code now} that failed with {@code error}. */
  public Notification failed(Notification entry, String error, long now) {
    int attempts = entry.attempts() + 1;
    if (now >= entry.dueAt() + giveUpAfter.toSeconds()) {
      return entry.with(Notification.State.FAILED, attempts, entry.nextAttemptAt(), error, now);
    }
    return entry.with(
        Notification.State.PENDING, attempts, now + delaySeconds(attempts), error, null);
  }
}
