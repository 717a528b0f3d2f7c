package org.kloaka.aws.config;

import java.time.Duration;
import java.util.Map;

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
