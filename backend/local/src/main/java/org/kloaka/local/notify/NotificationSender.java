package org.kloaka.local.notify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.kloaka.core.app.DeliverDueNotifications;
import org.kloaka.core.notify.Notification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local runtime's sender (docs/notifications.md): a thread of its own, off the ingest path,
 * that claims due outbox entries channel by channel, hands them to the channels (which never block
 * it), and writes the outcomes in batches. It wakes when a committed unit of work changed a problem
 * ({@link #wake}), when a send ends, and at least every {@code poll} for retries that fell due.
 * Each channel has at most {@code perChannel} entries in flight, so a stalled webhook holds back
 * only its own messages.
 */
public final class NotificationSender implements AutoCloseable {

  // Longer than a send can take: a webhook's timeout, times the line of sends waiting for a slot.
  public static final Duration LEASE = Duration.ofMinutes(15);
  public static final int PER_CHANNEL = 256;
  static final Duration FINISH_EVERY = Duration.ofMillis(50);

  private static final Logger log = LoggerFactory.getLogger(NotificationSender.class);

  private final DeliverDueNotifications deliver;
  private final int perChannel;
  private final Duration poll;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  private final ConcurrentLinkedQueue<Notification> finished = new ConcurrentLinkedQueue<>();
  private final Map<String, Integer> inFlight = new ConcurrentHashMap<>();
  // The keys of the entries in flight (sender thread only): never sent twice at once, whatever the
  // runtime's clock does to their leases.
  private final Set<String> sending = new HashSet<>();
  private final Thread thread;
  private boolean woken; // guarded by lock
  private long lastWrite = System.nanoTime(); // sender thread only
  private volatile boolean running = true;

  public NotificationSender(DeliverDueNotifications deliver, int perChannel, Duration poll) {
    this.deliver = deliver;
    this.perChannel = perChannel;
    this.poll = poll;
    deliver.channels().names().forEach(name -> inFlight.put(name, 0));
    this.thread = new Thread(this::run, "kloaka-notifier");
    thread.setDaemon(true);
  }

  public NotificationSender start() {
    thread.start();
    return this;
  }

  /** Something may have fallen due (a committed problem change). Cheap; never blocks long. */
  public void wake() {
    lock.lock();
    try {
      woken = true;
      work.signal();
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    while (running) {
      try {
        round();
        await();
      } catch (RuntimeException e) {
        log.warn("The notification sender failed a round; it tries again in {}", poll, e);
        sleepQuietly();
      }
    }
    writeFinished();
  }

  private void round() {
    // Outcomes are written together, at most every FINISH_EVERY (or once 500 wait): one commit,
    // one fsync, for a burst of deliveries instead of one each.
    if (finished.size() >= 500 || System.nanoTime() - lastWrite >= FINISH_EVERY.toNanos()) {
      writeFinished();
      lastWrite = System.nanoTime();
    }
    for (String channel : deliver.channels().names()) {
      int free = perChannel - inFlight.get(channel);
      // Under load, claim in chunks rather than once per finished send.
      if (free <= 0 || free < perChannel / 8 && inFlight.get(channel) > 0) {
        continue;
      }
      List<CompletableFuture<Notification>> started = deliver.start(channel, free, LEASE, sending);
      inFlight.merge(channel, started.size(), Integer::sum);
      for (CompletableFuture<Notification> outcome : started) {
        outcome.whenComplete(
            (done, failure) -> {
              if (done != null) {
                finished.add(done);
              } else {
                log.error("A notification send ended without an outcome", failure);
              }
              wake();
            });
      }
    }
  }

  private void writeFinished() {
    List<Notification> batch = new ArrayList<>();
    for (Notification done; (done = finished.poll()) != null; ) {
      batch.add(done);
    }
    if (batch.isEmpty()) {
      return;
    }
    try {
      deliver.finish(batch);
    } catch (RuntimeException e) {
      // Not written: put back, tried again next round (the claims stay held meanwhile).
      finished.addAll(batch);
      throw e;
    }
    for (Notification done : batch) {
      inFlight.merge(done.channel(), -1, Integer::sum);
      sending.remove(done.key());
    }
  }

  private void await() {
    lock.lock();
    try {
      if (!woken && running) {
        work.await(
            finished.isEmpty() ? poll.toMillis() : FINISH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
      }
      woken = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    } finally {
      lock.unlock();
    }
  }

  private void sleepQuietly() {
    lock.lock();
    try {
      work.await(poll.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      running = false;
    } finally {
      lock.unlock();
    }
  }

  /** Entries handed to channels whose outcome is not written yet. */
  public int inFlight() {
    return inFlight.values().stream().mapToInt(Integer::intValue).sum();
  }

  /**
   * Stops claiming and writes what has finished; sends still running are dropped (their entries
   * stay pending and are sent after the next start).
   */
  @Override
  public void close() {
    running = false;
    wake();
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
