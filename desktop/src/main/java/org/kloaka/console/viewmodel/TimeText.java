package org.kloaka.console.viewmodel;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Times as the operator reads them: exact in their zone, or relative ("12 min ago"). */
public final class TimeText {

  private static final DateTimeFormatter EXACT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
  private static final DateTimeFormatter EXACT_SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private final ZoneId zone;

  public TimeText(ZoneId zone) {
    this.zone = zone;
  }

  /** The operator's time zone. */
  public ZoneId zone() {
    return zone;
  }

  /** {@code 2026-11-28 14:05}, or an em dash for no time. */
  public String exact(Instant time) {
    return time == null ? "—" : EXACT.format(time.atZone(zone));
  }

  /** {@code 2026-11-28 14:05:09}: for tooltips, where the second matters. */
  public String exactSeconds(Instant time) {
    return time == null ? "—" : EXACT_SECONDS.format(time.atZone(zone));
  }

  /** "just now", "12 s ago", "12 min ago", "3 h ago", "2 d ago"; a time ahead reads "just now". */
  public static String relative(Instant time, Instant now) {
    if (time == null) {
      return "never";
    }
    long seconds = Duration.between(time, now).getSeconds();
    if (seconds < 5) {
      return "just now";
    }
    return span(seconds) + " ago";
  }

  /** "45 s", "12 min", "3 h", "2 d": a length of time, for "silent 3 h". */
  public static String span(long seconds) {
    if (seconds < 60) {
      return seconds + " s";
    }
    if (seconds < 3600) {
      return seconds / 60 + " min";
    }
    if (seconds < 2 * 86400) {
      return seconds / 3600 + " h";
    }
    return seconds / 86400 + " d";
  }

  public static Instant epoch(long seconds) {
    return seconds <= 0 ? null : Instant.ofEpochSecond(seconds);
  }
}
