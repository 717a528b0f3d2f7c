package org.kloaka.core.port;

import java.util.List;
import org.kloaka.core.notify.Notification;

/**
 * The durable outbox of notifications (docs/notifications.md): entries are written in the unit of
 * work of the problem change that made them due, and sent later, off the ingest path.
 */
public interface NotificationOutbox {

  /** How many entries wait to be sent, and how many were given up on. */
  record Counts(long pending, long failed) {}

  /**
   * Adds each entry whose {@link Notification#key()} is not stored yet; an entry already there is
   * kept as it is, so a redelivered change adds nothing. Inside the caller's unit of work.
   */
  void add(List<Notification> entries);

  /**
   * Cancels the pending ladder entries (not resolution notices) of one occurrence that are due
   * after {@code stopTime}: the problem was acknowledged or resolved then.
   */
  void cancelAfter(String problemId, long problemTime, long stopTime, long now);

  /**
   * Claims up to {@code limit} pending entries of {@code channel} whose next attempt is due at
   * {@code now} and that nobody else holds, for this sender until {@code leaseUntil}. Two senders
   * running at once never claim the same entry. Oldest due first.
   */
  List<Notification> claimDue(String channel, long now, long leaseUntil, int limit);

  /** Writes the outcome of claimed entries and releases them. */
  void finish(List<Notification> outcomes);

  /** The {@code limit} entries that changed last (delivered, failed, pending…), newest first. */
  List<Notification> newest(int limit);

  Counts counts();
}
