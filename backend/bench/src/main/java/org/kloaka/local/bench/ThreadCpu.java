package org.kloaka.local.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CPU time of this JVM's threads over a phase, grouped by thread name (digits dropped): which part
 * — the ingest writer, the broker's event loops, the bench's own clients — used the cores. Threads
 * that ended during the phase are not counted.
 */
final class ThreadCpu {

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final Map<Long, Long> start = new HashMap<>();
  private long startNanos;

  /** Notes every thread's CPU time now. */
  void begin() {
    start.clear();
    for (long id : threads.getAllThreadIds()) {
      long cpu = threads.getThreadCpuTime(id);
      if (cpu >= 0) {
        start.put(id, cpu);
      }
    }
    startNanos = System.nanoTime();
  }

  /** CPU time per thread group over a phase, and the phase's wall time. */
  record Usage(Map<String, Long> byGroup, long totalNanos, long wallNanos) {

    /** CPU nanoseconds of one group (thread name with digits as {@code #}). */
    long nanosOf(String group) {
      return byGroup.getOrDefault(group, 0L);
    }

    /**
     * The busiest groups, e.g. {@code jvm_total=130% kloaka-ingest-writer=92%
     * hivemq-eventloop-child-#=20% …} (100 % = one core busy the whole time).
     */
    String describe(int top) {
      String groups =
          byGroup.entrySet().stream()
              .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
              .limit(top)
              .map(e -> String.format(Locale.ROOT, "%s=%.0f%%", e.getKey(), percent(e.getValue())))
              .collect(Collectors.joining(" "));
      return String.format(Locale.ROOT, "jvm_total=%.0f%% %s", percent(totalNanos), groups);
    }

    private double percent(long nanos) {
      return 100.0 * nanos / wallNanos;
    }
  }

  /** What each thread group used since {@link #begin}. */
  Usage end() {
    long wall = System.nanoTime() - startNanos;
    Map<String, Long> byGroup = new HashMap<>();
    long total = 0;
    for (long id : threads.getAllThreadIds()) {
      long cpu = threads.getThreadCpuTime(id);
      ThreadInfo info = threads.getThreadInfo(id);
      if (cpu < 0 || info == null) {
        continue;
      }
      long used = cpu - start.getOrDefault(id, 0L);
      total += used;
      byGroup.merge(info.getThreadName().replaceAll("[0-9]+", "#"), used, Long::sum);
    }
    return new Usage(byGroup, total, wall);
  }
}
