package org.kloaka.aws.notify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.kloaka.core.app.DeliverDueNotifications;
import org.kloaka.core.notify.Notification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the scheduled sender (docs/notifications.md, docs/decisions/031): for each channel,
 * rounds of {@link DeliverDueNotifications#start} (conditional claims, so an overlapping run takes
 * none of the same entries) and {@link DeliverDueNotifications#finish}, while the function has time
 * for another round. A send still running when its round's wait ends is left unfinished: its claim
 * runs out after the lease and a later run sends it again (at least once).
 */
public final class DeliveryRun {

  private static final Logger log = LoggerFactory.getLogger(DeliveryRun.class);

  /** Entries claimed per channel and round. */
  public static final int ROUND = 50;

  /** How long a round waits for its sends: above a webhook's 30 s timeout. */
  public static final Duration WAIT = Duration.ofSeconds(40);

  /** How long a claim holds: the wait plus writing the outcomes, with room to spare. */
  public static final Duration LEASE = Duration.ofMinutes(3);

  private final DeliverDueNotifications deliver;
  private final Duration wait;

  public DeliveryRun(DeliverDueNotifications deliver, Duration wait) {
    this.deliver = deliver;
    this.wait = wait;
  }

  /** What one run did. */
  public record Result(int delivered, int retrying, int failed, int cancelled, int unfinished) {
    public int finished() {
      return delivered + retrying + failed + cancelled;
    }
  }

  /**
   * @param remainingMillis how long the function may still run (Lambda's context)
   */
  public Result run(LongSupplier remainingMillis) {
    int[] counts = new int[5];
    for (String channel : deliver.channels().names()) {
      while (remainingMillis.getAsLong() > 2 * wait.toMillis()) {
        List<CompletableFuture<Notification>> round = deliver.start(channel, ROUND, LEASE);
        if (round.isEmpty()) {
          break;
        }
        List<Notification> outcomes = settled(round);
        counts[4] += round.size() - outcomes.size();
        deliver.finish(outcomes);
        for (Notification outcome : outcomes) {
          switch (outcome.state()) {
            case DELIVERED -> counts[0]++;
            case PENDING -> counts[1]++;
            case FAILED -> counts[2]++;
            case CANCELLED -> counts[3]++;
          }
        }
        if (round.size() < ROUND) {
          break;
        }
      }
    }
    return new Result(counts[0], counts[1], counts[2], counts[3], counts[4]);
  }

  private List<Notification> settled(List<CompletableFuture<Notification>> round) {
    long deadline = System.nanoTime() + wait.toNanos();
    List<Notification> outcomes = new ArrayList<>(round.size());
    for (CompletableFuture<Notification> outcome : round) {
      try {
        outcomes.add(outcome.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (java.util.concurrent.TimeoutException e) {
        log.warn(
            "a send did not finish within {} s; its entry is sent again after its lease",
            wait.toSeconds());
      } catch (java.util.concurrent.ExecutionException e) {
        // The use case's futures complete normally with the entry's next state.
        log.error("a send failed unexpectedly", e.getCause());
      }
    }
    return outcomes;
  }
}
