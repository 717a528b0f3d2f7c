package org.kloaka.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kloaka.core.notify.Notification;
import org.kloaka.core.port.NotificationOutbox;

/** The notification outbox in memory, for the core's tests and the outbox contract. */
public final class InMemoryOutbox implements NotificationOutbox {

  private final Map<String, Notification> byKey = new LinkedHashMap<>();
  private final Map<String, Long> claimedUntil = new HashMap<>();

  @Override
  public synchronized void add(List<Notification> entries) {
    for (Notification entry : entries) {
      byKey.putIfAbsent(entry.key(), entry);
    }
  }

  @Override
  public synchronized void cancelAfter(
      String problemId, long problemTime, long stopTime, long now) {
    for (Notification entry : List.copyOf(byKey.values())) {
      if (entry.problemId().equals(problemId)
          && entry.problemTime() == problemTime
          && entry.isLadderStep()
          && entry.state() == Notification.State.PENDING
          && entry.dueAt() > stopTime) {
        byKey.put(
            entry.key(),
            entry.with(
                Notification.State.CANCELLED, entry.attempts(), entry.nextAttemptAt(), null, now));
      }
    }
  }

  @Override
  public synchronized List<Notification> claimDue(
      String channel, long now, long leaseUntil, int limit) {
    List<Notification> due =
        byKey.values().stream()
            .filter(e -> e.channel().equals(channel))
            .filter(e -> e.state() == Notification.State.PENDING && e.nextAttemptAt() <= now)
            .filter(e -> claimedUntil.getOrDefault(e.key(), Long.MIN_VALUE) <= now)
            .sorted(Comparator.comparingLong(Notification::nextAttemptAt))
            .limit(limit)
            .toList();
    due.forEach(e -> claimedUntil.put(e.key(), leaseUntil));
    return due;
  }

  @Override
  public synchronized void finish(List<Notification> outcomes) {
    for (Notification outcome : outcomes) {
      byKey.put(outcome.key(), outcome);
      claimedUntil.remove(outcome.key());
    }
  }

  @Override
  public synchronized List<Notification> newest(int limit) {
    List<Notification> tried = new ArrayList<>();
    for (Notification entry : byKey.values()) {
      if (entry.doneAt() != null || entry.attempts() > 0) {
        tried.add(entry);
      }
    }
    tried.sort(
        Comparator.comparingLong(
                (Notification e) -> e.doneAt() != null ? e.doneAt() : e.nextAttemptAt())
            .reversed()
            .thenComparing(Notification::key));
    return tried.stream().limit(limit).toList();
  }

  @Override
  public synchronized Counts counts() {
    long pending =
        byKey.values().stream().filter(e -> e.state() == Notification.State.PENDING).count();
    long failed =
        byKey.values().stream().filter(e -> e.state() == Notification.State.FAILED).count();
    return new Counts(pending, failed);
  }

  /** Every entry, in the order written. */
  public synchronized List<Notification> all() {
    return List.copyOf(byKey.values());
  }
}
