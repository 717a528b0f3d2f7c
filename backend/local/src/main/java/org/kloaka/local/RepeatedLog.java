package org.kloaka.local;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * A log that says a repeated failure once, with a count, instead of once per message: the first
 * occurrence of a key is logged at once (WARN, with the stack trace if one is given); later ones
 * within the window are counted, and when the window ends the count is logged in one line — {@code
 * … 733 more in the last minute}. A full disk fails every message the same way; a line (and a stack
 * trace) per message would flood the log, which may itself fill the disk.
 *
 * <p>A timer thread exists only while counts are pending (it ends itself after the last flush).
 * Thread-safe.
 */
public final class RepeatedLog implements AutoCloseable {

  private final Logger log;
  private final Duration window;
  private final String windowText;
  // Keys seen in the current window, in first-seen order; guarded by this.
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private ScheduledExecutorService timer; // guarded by this

  private static final class Entry {
    final String message;
    long more;

    Entry(String message) {
      this.message = message;
    }
  }

  public RepeatedLog(Logger log, Duration window) {
    this.log = log;
    this.window = window;
    this.windowText =
        window.equals(Duration.ofMinutes(1))
            ? "the last minute"
            : "the last " + window.toMillis() + " ms";
  }

  /** Every minute. */
  public RepeatedLog(Logger log) {
    this(log, Duration.ofMinutes(1));
  }

  /**
   * Logs {@code message} at WARN unless the same {@code key} was logged in this window; then it is
   * only counted.
   *
   * @param trace logged with the first occurrence only; null for none
   */
  public void warn(String key, String message, Throwable trace) {
    synchronized (this) {
      Entry entry = entries.get(key);
      if (entry != null) {
        entry.more++;
        return;
      }
      entries.put(key, new Entry(message));
      if (timer == null) {
        timer =
            Executors.newSingleThreadScheduledExecutor(
                new DefaultThreadFactory("kloaka-log-repeats", true));
        timer.schedule(this::flush, window.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
    if (trace == null) {
      log.warn(message);
    } else {
      log.warn(message, trace);
    }
  }

  /** Ends the window: logs the counts of repeats, and forgets the keys. */
  public void flush() {
    Map<String, Entry> ended;
    synchronized (this) {
      ended = new LinkedHashMap<>(entries);
      entries.clear();
      if (timer != null) {
        timer.shutdown();
        timer = null;
      }
    }
    for (Entry entry : ended.values()) {
      if (entry.more > 0) {
        log.warn("{} … {} more in {}", entry.message, entry.more, windowText);
      }
    }
  }

  /** Whether this log's timer thread exists (only while counts are pending). */
  synchronized boolean timerRunning() {
    return timer != null && !timer.isTerminated();
  }

  /** Logs what is still counted. */
  @Override
  public void close() {
    flush();
  }
}
