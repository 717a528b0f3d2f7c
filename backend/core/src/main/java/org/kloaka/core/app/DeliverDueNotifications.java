package org.kloaka.core.app;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.kloaka.core.notify.Escalation;
import org.kloaka.core.notify.Message;
import org.kloaka.core.notify.MessageText;
import org.kloaka.core.notify.Notification;
import org.kloaka.core.notify.RetryPolicy;
import org.kloaka.core.port.NotificationChannels;
import org.kloaka.core.port.NotificationOutbox;
import org.kloaka.core.port.ProblemStore;
import org.kloaka.core.port.Stored;
import org.kloaka.core.port.TimelineStore;
import org.kloaka.core.port.Transactions;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Use case: send what the outbox holds due (docs/notifications.md). A sender claims due entries of
 * one channel, {@link #start}s them, and writes their outcomes with {@link #finish}: the local
 * runtime's sender thread does so continuously, the AWS scheduled function once a minute through
 * {@link #deliverDue}. A claimed ladder step whose problem was acknowledged or resolved before it
 * fell due is cancelled, not sent.
 */
public final class DeliverDueNotifications {

  private static final Logger log = LoggerFactory.getLogger(DeliverDueNotifications.class);

  private final NotificationOutbox outbox;
  private final ProblemStore problems;
  private final NotificationChannels channels;
  private final MessageText text;
  private final RetryPolicy retry;
  private final Transactions transactions;
  private final TimelineStore timeline;
  private final Clock clock;

  /**
   * @param timeline where each delivery and final failure becomes a {@code notified} / {@code
   *     notify_failed} event of the problem's timeline
   */
  public DeliverDueNotifications(
      NotificationOutbox outbox,
      ProblemStore problems,
      NotificationChannels channels,
      MessageText text,
      RetryPolicy retry,
      Transactions transactions,
      TimelineStore timeline,
      Clock clock) {
    this.timeline = timeline;
    this.outbox = outbox;
    this.problems = problems;
    this.channels = channels;
    this.text = text;
    this.retry = retry;
    this.transactions = transactions;
    this.clock = clock;
  }

  public NotificationChannels channels() {
    return channels;
  }

  private long now() {
    return Math.floorDiv(clock.millis(), 1000);
  }

  /**
   * Claims up to {@code limit} due entries of {@code channel} for {@code lease} and starts sending
   * them. Each future completes (never exceptionally) with the entry's next state: delivered,
   * pending again with a later attempt, failed for good, or cancelled.
   */
  public List<CompletableFuture<Notification>> start(String channel, int limit, Duration lease) {
    return start(channel, limit, lease, new HashSet<>());
  }

  /**
   * The same for a sender that runs on and keeps the keys of its sends in {@code sending} until
   * their outcomes are written: a claimed entry whose key is in it is not sent a second time (its
   * lease is measured on the clock, and a clock that jumps past it while the first send is still
   * running would otherwise make it claimable again), and each started entry's key is added.
   */
  public List<CompletableFuture<Notification>> start(
      String channel, int limit, Duration lease, Set<String> sending) {
    long now = now();
    List<Notification> claimed = outbox.claimDue(channel, now, now + lease.toSeconds(), limit);
    List<CompletableFuture<Notification>> outcomes = new ArrayList<>(claimed.size());
    for (Notification entry : claimed) {
      if (sending.add(entry.key())) {
        outcomes.add(send(entry));
      }
    }
    return outcomes;
  }

  private CompletableFuture<Notification> send(Notification entry) {
    Problem current;
    try {
      current = problems.find(entry.problemId()).map(Stored::value).orElse(null);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(
          retry.failed(entry, "could not read the problem: " + e.getMessage(), now()));
    }
    if (!Escalation.stillDue(entry, current)) {
      return CompletableFuture.completedFuture(
          entry.with(
              Notification.State.CANCELLED, entry.attempts(), entry.nextAttemptAt(), null, now()));
    }
    Problem shown =
        current != null && current.problemTime() == entry.problemTime() ? current : entry.problem();
    Message message;
    try {
      message = text.of(entry, shown);
    } catch (RuntimeException e) {
      // Never out of start(): the entries claimed with this one would stay held.
      return CompletableFuture.completedFuture(
          retry.failed(entry, "could not write the message: " + reason(e), now()));
    }
    CompletableFuture<Void> sent;
    try {
      sent = channels.send(entry.channel(), message);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    return sent.handle(
        (ok, failure) -> {
          long at = now();
          if (failure == null) {
            return entry.with(Notification.State.DELIVERED, entry.attempts() + 1, at, null, at);
          }
          Notification next = retry.failed(entry, reason(failure), at);
          if (next.state() == Notification.State.FAILED) {
            log.warn(
                "Notification {} to {} failed for good after {} attempts: {}",
                entry.key(),
                entry.channel(),
                next.attempts(),
                next.error());
          }
          return next;
        });
  }

  /**
   * Writes outcomes in one unit of work, each delivery and final failure with its timeline event (a
   * redelivered outcome adds no second event: the timeline keeps equal events once).
   */
  public void finish(List<Notification> outcomes) {
    if (outcomes.isEmpty()) {
      return;
    }
    transactions.inTransaction(
        () -> {
          outbox.finish(outcomes);
          for (Notification outcome : outcomes) {
            ProblemEvent event = eventOf(outcome);
            if (event != null) {
              timeline.append(event);
            }
          }
          return null;
        });
  }

  /** The timeline event of an outcome, or null when it is none (pending again, cancelled). */
  static ProblemEvent eventOf(Notification outcome) {
    String what = outcome.event().wire() + ", step " + outcome.step();
    return switch (outcome.state()) {
      case DELIVERED ->
          new ProblemEvent(
              outcome.problemId(),
              ProblemEvent.Type.NOTIFIED,
              outcome.doneAt(),
              null,
              outcome.channel() + ": " + what,
              outcome.problemTime(),
              outcome.problem() == null ? null : outcome.problem().problem());
      case FAILED ->
          new ProblemEvent(
              outcome.problemId(),
              ProblemEvent.Type.NOTIFY_FAILED,
              outcome.doneAt(),
              null,
              outcome.channel()
                  + ": "
                  + what
                  + ", gave up after "
                  + outcome.attempts()
                  + " attempts: "
                  + outcome.error(),
              outcome.problemTime(),
              outcome.problem() == null ? null : outcome.problem().problem());
      default -> null;
    };
  }

  /**
   * Claims, sends and finishes everything due on every channel, waiting at most {@code wait} for
   * the sends of one round (a send still running then is written as a failed attempt). For a sender
   * that runs now and then (the AWS scheduled function).
   *
   * @return how many entries were finished
   */
  public int deliverDue(int limitPerChannel, Duration lease, Duration wait) {
    int total = 0;
    for (String channel : channels.names()) {
      while (true) {
        List<CompletableFuture<Notification>> round = start(channel, limitPerChannel, lease);
        if (round.isEmpty()) {
          break;
        }
        List<Notification> outcomes = new ArrayList<>(round.size());
        long deadline = System.nanoTime() + wait.toNanos();
        for (CompletableFuture<Notification> outcome : round) {
          outcomes.add(await(outcome, deadline));
        }
        finish(outcomes);
        total += outcomes.size();
        if (round.size() < limitPerChannel) {
          break;
        }
      }
    }
    return total;
  }

  private Notification await(CompletableFuture<Notification> outcome, long deadline) {
    try {
      return outcome.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending notifications", e);
    } catch (Exception e) {
      throw new IllegalStateException("a channel did not answer in time", e);
    }
  }

  static String reason(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    String message = cause.getMessage();
    return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
  }

  /** The outcome of one test message. */
  public record TestResult(String channel, boolean ok, String error) {}

  /** Sends a test message to every channel and waits up to {@code wait} for each answer. */
  public List<TestResult> test(Duration wait) {
    List<String> names = List.copyOf(channels.names());
    List<CompletableFuture<Void>> sends = new ArrayList<>();
    for (String name : names) {
      CompletableFuture<Void> sent;
      try {
        sent = channels.send(name, MessageText.test(name));
      } catch (RuntimeException e) {
        sent = CompletableFuture.failedFuture(e);
      }
      sends.add(sent);
    }
    long deadline = System.nanoTime() + wait.toNanos();
    List<TestResult> results = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      String error = null;
      try {
        sends.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        error = "interrupted";
      } catch (java.util.concurrent.TimeoutException e) {
        error = "no answer within " + wait.toSeconds() + " s";
      } catch (java.util.concurrent.ExecutionException e) {
        error = reason(e.getCause());
      }
      results.add(new TestResult(names.get(i), error == null, error));
    }
    return results;
  }

  /** The entries that changed last, newest first. */
  public List<Notification> recent(int limit) {
    return outbox.newest(limit);
  }

  public NotificationOutbox.Counts counts() {
    return outbox.counts();
  }

  /** Whether anything at all can be sent (a notification file was given). */
  public Optional<NotificationChannels> configured() {
    return channels.names().isEmpty() ? Optional.empty() : Optional.of(channels);
  }
}
