package org.kloaka.local.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where one thread's wall time went, from Linux's scheduler statistics ({@code
 * /proc/self/task/TID/schedstat}): on a CPU, runnable but waiting for one (the machine is busy), or
 * neither — blocked on I/O such as an fsync, or idle. This says whether the ingest writer is
 * limited by its own code, by other processes on the machine, or by the disk. Elsewhere than on
 * Linux there is nothing to read and the report says so.
 */
final class ThreadWaits {

  private final Path schedstat;
  private long[] start;
  private long startNanos;

  private ThreadWaits(Path schedstat) {
    this.schedstat = schedstat;
  }

  /** The thread whose name starts with {@code namePrefix} (Linux keeps 15 characters of it). */
  static Optional<ThreadWaits> of(String namePrefix) {
    String comm = namePrefix.length() > 15 ? namePrefix.substring(0, 15) : namePrefix;
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      return tasks
          .filter(task -> comm.equals(read(task.resolve("comm"))))
          .findFirst()
          .map(task -> new ThreadWaits(task.resolve("schedstat")));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  void begin() {
    start = sample();
    startNanos = System.nanoTime();
  }

  /** E.g. {@code on_cpu=41% waiting_for_cpu=35% blocked_or_idle=24%} since {@link #begin}. */
  String end() {
    long[] end = sample();
    double wall = System.nanoTime() - startNanos;
    if (start == null || end == null) {
      return "unavailable";
    }
    double onCpu = (end[0] - start[0]) / wall;
    double waiting = (end[1] - start[1]) / wall;
    return String.format(
        Locale.ROOT,
        "on_cpu=%.0f%% waiting_for_cpu=%.0f%% blocked_or_idle=%.0f%%",
        100 * onCpu,
        100 * waiting,
        100 * Math.max(0, 1 - onCpu - waiting));
  }

  private long[] sample() {
    String text = read(schedstat);
    if (text == null) {
      return null;
    }
    String[] fields = text.trim().split("\\s+");
    return new long[] {Long.parseLong(fields[0]), Long.parseLong(fields[1])};
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      return null;
    }
  }
}
