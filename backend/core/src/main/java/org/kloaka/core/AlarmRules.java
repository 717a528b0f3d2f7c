package org.kloaka.core;

import java.time.Duration;
import java.util.Objects;

/**
 * How quickly Kloaka raises an alarm (docs/problems.md, docs/decisions/026): when a sensor that
 * sends nothing becomes a {@code SILENT} problem, and how long a pair must stay not OK before its
 * problem opens. Both deployments read the same two settings (the local runtime's {@code
 * --silent-after} / {@code --confirm-after}, the Lambdas' environment).
 *
 * @param silentAfter a sensor silent this long gets a SILENT problem; zero turns that off
 * @param confirmAfter a pair opens (or re-activates) only once not OK this long in measurement
 *     time; zero opens it on the first not-OK evaluation
 */
public record AlarmRules(Duration silentAfter, Duration confirmAfter) {

  public static final Duration DEFAULT_SILENT_AFTER = Duration.ofHours(3);
  public static final Duration DEFAULT_CONFIRM_AFTER = Duration.ZERO;

  /** The longest a sweep may wait past a deadline: the contract's 30 s. */
  public static final Duration MOST_LATE = Duration.ofSeconds(30);

  /** The seed's behaviour for pairs, and silent sensors after three hours. */
  public static final AlarmRules DEFAULTS =
      new AlarmRules(DEFAULT_SILENT_AFTER, DEFAULT_CONFIRM_AFTER);

  /** Neither alarm rule: no SILENT problems, pairs open on the first not-OK evaluation. */
  public static final AlarmRules OFF = new AlarmRules(Duration.ZERO, Duration.ZERO);

  /**
   * @throws IllegalArgumentException when a duration is negative or not whole seconds
   */
  public AlarmRules {
    check("silent-after", silentAfter);
    check("confirm-after", confirmAfter);
  }

  private static void check(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, was " + value);
    }
    if (value.getNano() != 0) {
      throw new IllegalArgumentException(
          name + " must be whole seconds (times are epoch seconds), was " + value);
    }
  }

  public boolean silenceWatched() {
    return !silentAfter.isZero();
  }

  public boolean confirming() {
    return !confirmAfter.isZero();
  }

  /**
   * How often a sweep must run to find a silent sensor within 30 s of its deadline, or within a
   * tenth of {@code silentAfter} when that is shorter; at least a second.
   */
  public Duration sweepEvery() {
    Duration tenth = silentAfter.dividedBy(10);
    Duration every = tenth.compareTo(MOST_LATE) < 0 ? tenth : MOST_LATE;
    return every.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : every;
  }
}
