package org.kloaka.aws.config;

import java.time.Duration;
import java.util.Map;
import org.kloaka.core.AlarmRules;
import org.kloaka.time.DurationText;

/**
 * The Lambdas' configuration, read from their environment (serverless.yml sets it). A missing or
 * malformed variable fails the cold start with a message naming it, rather than a later request.
 */
public final class Settings {

  public static final String DEVICES_TABLE = "DEVICES_TABLE";
  public static final String HISTORY_TABLE = "HISTORY_TABLE";
  public static final String PROBLEMS_TABLE = "PROBLEMS_TABLE";
  public static final String REJECTS_TABLE = "REJECTS_TABLE";
  public static final String TIMELINE_TABLE = "TIMELINE_TABLE";
  public static final String OPERATORS_TABLE = "OPERATORS_TABLE";
  public static final String CONNECTIONS_TABLE = "CONNECTIONS_TABLE";
  public static final String MEASUREMENTS_KEEP = "KLOAKA_MEASUREMENTS_KEEP";
  public static final String HISTORY_DAYS = "KLOAKA_HISTORY_DAYS";
  public static final String NETWORK = "KLOAKA_NETWORK";
  public static final String WS_ENDPOINT = "WS_ENDPOINT";
  public static final String API_TOKEN_PARAM = "KLOAKA_API_TOKEN_PARAM";
  public static final String ALARM_STATE_TABLE = "ALARM_STATE_TABLE";
  public static final String SILENT_AFTER = "KLOAKA_SILENT_AFTER";
  public static final String CONFIRM_AFTER = "KLOAKA_CONFIRM_AFTER";
  public static final String NOTIFICATIONS_TABLE = "NOTIFICATIONS_TABLE";
  public static final String NOTIFY = "KLOAKA_NOTIFY";
  public static final String NOTIFY_TOPIC = "KLOAKA_NOTIFY_TOPIC_ARN";

  /** How long a reject is kept: far more than the newest 10,000 a busy day can produce. */
  public static final Duration REJECTS_KEPT = Duration.ofDays(30);

  private final Map<String, String> env;

  public Settings(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  public static Settings fromEnvironment() {
    return new Settings(System.getenv());
  }

  /**
   * @throws IllegalStateException naming the variable when it is unset or blank
   */
  public String required(String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("environment variable " + name + " is not set");
    }
    return value;
  }

  public String optional(String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value;
  }

  /** How many recent measurements a device item holds (docs/ingest.md: 100 by default). */
  public int measurementsKeep() {
    return positive(MEASUREMENTS_KEEP, 100);
  }

  /** How long a history row lives after it arrived. */
  public Duration historyKept() {
    return Duration.ofDays(positive(HISTORY_DAYS, 365));
  }

  /**
   * The alarm rules (docs/problems.md): {@value #SILENT_AFTER} (default 3h, 0 = off) and {@value
   * #CONFIRM_AFTER} (default 0), in the one duration syntax ({@code 90s}, {@code 30m}, {@code 3h},
   * {@code 1d}, {@code PT30M}).
   *
   * @throws IllegalStateException naming the variable when one is not such a duration
   */
  public AlarmRules alarms() {
    Duration silent = duration(SILENT_AFTER, AlarmRules.DEFAULT_SILENT_AFTER);
    Duration confirm = duration(CONFIRM_AFTER, AlarmRules.DEFAULT_CONFIRM_AFTER);
    try {
      return new AlarmRules(silent, confirm);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "environment variables " + SILENT_AFTER + "/" + CONFIRM_AFTER + ": " + e.getMessage(), e);
    }
  }

  private Duration duration(String name, Duration fallback) {
    String text = optional(name);
    if (text == null) {
      return fallback;
    }
    try {
      return DurationText.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("environment variable " + name + ": " + e.getMessage(), e);
    }
  }

  private int positive(String name, int fallback) {
    String text = optional(name);
    if (text == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text.trim());
      if (value < 1) {
        throw new IllegalStateException(
            "environment variable " + name + " must be at least 1, was " + value);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalStateException(
          "environment variable " + name + " is not a whole number: '" + text + "'", e);
    }
  }
}
