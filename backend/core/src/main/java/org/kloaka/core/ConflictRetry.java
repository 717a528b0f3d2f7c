package org.kloaka.core;

import java.util.function.Supplier;

/**
 * The one optimistic-retry loop of the core: read a record, compute its next state, write it only
 * if nobody changed it meanwhile (a version-checked write), and start again from a fresh read when
 * somebody did. Every store's conditional write ({@code replace}/{@code record}) is used through
 * here, so a conflict is handled the same way in every use case and both deployments.
 */
public final class ConflictRetry {

  /** How many times a conflicting write is tried before giving up. */
  public static final int MAX_ATTEMPTS = 50;

  private ConflictRetry() {}

  /**
   * One read-compute-write attempt: {@link #done} when it wrote (or found nothing to write), {@link
   * #conflict} when another writer got there first.
   */
  public record Attempt<T>(boolean conflicted, T value) {

    public static <T> Attempt<T> done(T value) {
      return new Attempt<>(false, value);
    }

    public static <T> Attempt<T> conflict() {
      return new Attempt<>(true, null);
    }
  }

  /**
   * Runs {@code attempt} until it is done.
   *
   * @param subject what is written, for the error, e.g. {@code "device 01"}
   * @return the value of the attempt that was done
   * @throws IllegalStateException when {@value #MAX_ATTEMPTS} attempts in a row conflicted
   */
  public static <T> T untilDone(Supplier<String> subject, Supplier<Attempt<T>> attempt) {
    for (int tries = 1; ; tries++) {
      Attempt<T> result = attempt.get();
      if (!result.conflicted()) {
        return result.value();
      }
      if (tries >= MAX_ATTEMPTS) {
        throw new IllegalStateException(
            subject.get() + " kept changing under " + MAX_ATTEMPTS + " attempts");
      }
    }
  }
}
