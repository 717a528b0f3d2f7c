package org.kloaka.local.fuzz;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Random;

/**
 * A seeded fuzzing loop bounded by input count AND wall time, so it fits in CI.
 *
 * <p>The seed is printed and put in every failure; {@code -Dkloaka.fuzz.seed=S} replays a run (the
 * same inputs in the same order). {@code -Dkloaka.fuzz.scale=10} tries ten times as many inputs for
 * ten times as long, for a longer run by hand. The default run's budgets (1,000 inputs or 10–12.5 s
 * each) are half of what {@code .ci/run}'s deep step tries with {@code -Dkloaka.fuzz.scale=2}
 * (docs/decisions/035). Each input gets its own {@link Random} derived from the seed and its
 * number, so what input #i was does not depend on how the previous ones were answered.
 *
 * <p>Every run appends one line to {@code target/reliability/figures.tsv} (entry point, inputs
 * tried, seconds, seed): the README's figures and {@code .ci/run}'s summary come from there.
 */
public final class Fuzz {

  /** What one input was, for the failure message; produced before the input is sent. */
  @FunctionalInterface
  public interface Trial {
    void run(Random random, int index, StringBuilder description) throws Exception;
  }

  private final String entryPoint;
  private final long seed;
  private final int maxInputs;
  private final Duration maxTime;

  private Fuzz(String entryPoint, long seed, int maxInputs, Duration maxTime) {
    this.entryPoint = entryPoint;
    this.seed = seed;
    this.maxInputs = maxInputs;
    this.maxTime = maxTime;
  }

  /** A run of at most {@code inputs} inputs or {@code time}, whichever ends first (scaled). */
  public static Fuzz of(String entryPoint, int inputs, Duration time) {
    String given = System.getProperty("kloaka.fuzz.seed");
    long seed =
        given == null || given.isBlank() ? new SecureRandom().nextLong() : Long.parseLong(given);
    double scale = Double.parseDouble(System.getProperty("kloaka.fuzz.scale", "1"));
    return new Fuzz(
        entryPoint,
        seed,
        (int) Math.max(1, Math.round(inputs * scale)),
        Duration.ofMillis(Math.round(time.toMillis() * scale)));
  }

  public long seed() {
    return seed;
  }

  /** A random source for setup work of this run (not tied to one input). */
  public Random random(String purpose) {
    return new Random(seed ^ purpose.hashCode());
  }

  /**
   * Runs trials until the budget is spent.
   *
   * @return how many inputs were tried
   * @throws AssertionError naming the seed, the input's number and what it was, when a trial fails
   */
  public int run(Trial trial) {
    System.out.printf(
        "fuzz %s: seed=%d (replay with -Dkloaka.fuzz.seed=%d), at most %d inputs or %d s%n",
        entryPoint, seed, seed, maxInputs, maxTime.toSeconds());
    long started = System.nanoTime();
    long deadline = started + maxTime.toNanos();
    int tried = 0;
    java.util.ArrayDeque<String> previous = new java.util.ArrayDeque<>();
    while (tried < maxInputs && System.nanoTime() < deadline) {
      StringBuilder description = new StringBuilder();
      Random random = new Random(seed ^ (tried * 0x9E3779B97F4A7C15L));
      try {
        trial.run(random, tried, description);
      } catch (Throwable e) {
        throw new AssertionError(
            String.format(
                "fuzz %s failed at input #%d of seed %d (replay with -Dkloaka.fuzz.seed=%d): %s%n"
                    + "input: %s%nthe inputs before it, newest first:%n  %s",
                entryPoint,
                tried,
                seed,
                seed,
                e.getMessage(),
                Printable.clip(description, 2000),
                String.join("\n  ", previous)),
            e);
      }
      previous.addFirst(Printable.clip(description, 300));
      if (previous.size() > 5) {
        previous.removeLast();
      }
      tried++;
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        "fuzz %s: %d inputs in %.1f s, all answered as the contract says%n",
        entryPoint, tried, seconds);
    Figures.record(
        "fuzz", entryPoint, tried + " inputs", String.format("%.1f s", seconds), "seed " + seed);
    return tried;
  }

  /** The figures file the README's Reliability section is filled from. */
  public static final class Figures {
    private Figures() {}

    public static synchronized void record(String... fields) {
      Path file = Path.of("target", "reliability", "figures.tsv");
      try {
        Files.createDirectories(file.getParent());
        Files.writeString(
            file,
            String.join("\t", fields) + "\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
