package org.kloaka.local.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.local.LocalConfig;
import org.kloaka.local.LocalRuntime;

/**
 * Printed figures for docs/notifications.md: delivery latency from commit to webhook at 1,000
 * messages a second that each open a problem, and ingest speed with a webhook that takes 10 s per
 * request against no notifications at all. Real runtime (SQLite FULL), real HTTP receiver.
 *
 * <p>The default run opens {@value #DEFAULT_PROBLEMS} problems: it checks the path and that every
 * one is delivered, and prints the figures; the figures docs/notifications.md quotes come from
 * {@code -Dkloaka.bench.problems=3000}, which {@code .ci/run}'s deep step uses
 * (docs/decisions/035).
 */
@Tag("slow")
class NotificationBenchmarkTest {

  static final int TUBES = 10_000;
  static final int DEFAULT_PROBLEMS = 500;

  @TempDir Path dir;
  WebhookReceiver hook;
  final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeEach
  void receiver() throws Exception {
    hook = new WebhookReceiver();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
    hook.close();
  }

  LocalRuntime start(String name, boolean notify) throws Exception {
    Path file = dir.resolve(name + ".json");
    Files.writeString(
        file,
        """
        {"channels": {"oncall": {"type": "webhook", "url": "%s"}},
         "escalation": [{"after": "0s", "notify": ["oncall"]}]}
        """
            .formatted(hook.url()));
    LocalConfig config =
        LocalConfig.defaults()
            .withDataDir(dir.resolve(name))
            .withPorts(0, 0, 0)
            .withEnv(Map.of())
            .withoutMqtt()
            .withNotifyFile(notify ? file : null);
    LocalRuntime runtime = LocalRuntime.start(config);
    toClose.add(0, runtime);
    return runtime;
  }

  static byte[] payload(String id, String filling) {
    return ("{\"id\": \"" + id + "\", \"filling\": \"" + filling + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Upstream sensors T-1 at 100 for every tube, so a 0 at T-2 opens an obstruction. */
  static void seed(LocalRuntime runtime, int tubes) throws Exception {
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (int t = 1; t <= tubes; t++) {
      all.add(runtime.pipeline().submit(payload(t + "-1", "100")));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
  }

  @Test
  void deliveryLatencyFromCommitToWebhookAtAThousandMessagesASecond() throws Exception {
    LocalRuntime runtime = start("latency", true);
    int count = Integer.getInteger("kloaka.bench.problems", DEFAULT_PROBLEMS);
    seed(runtime, count);
    Map<String, Long> committed = new ConcurrentHashMap<>();
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      long due = start + i * 1_000_000L; // 1,000 a second
      while (System.nanoTime() < due) {
        Thread.onSpinWait();
      }
      String problem =
          org.kloaka.model.Problem.idOf(
              org.kloaka.model.SensorId.parse((i + 1) + "-1"),
              org.kloaka.model.SensorId.parse((i + 1) + "-2"));
      runtime
          .pipeline()
          .submit(payload((i + 1) + "-2", "0"))
          .thenRun(() -> committed.put(problem, System.nanoTime()));
    }
    double sentSeconds = (System.nanoTime() - start) / 1e9;
    long cpuStart = processCpuNanos();
    long waitStart = System.nanoTime();
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              System.out.printf(
                  "PROGRESS %.0f s: %d stored, %d received%n",
                  (System.nanoTime() - waitStart) / 1e9, committed.size(), hook.received().size());
              return hook.delivered().size() >= count;
            });
    long[] latencies =
        hook.received().stream()
            .filter(r -> r.status() == 200)
            .mapToLong(
                r -> r.nanos() - committed.get(r.body().get("problem").get("problem_id").asText()))
            .sorted()
            .toArray();
    assertThat(latencies).hasSize(count);
    double cpu = (processCpuNanos() - cpuStart) / 1e9;
    System.out.printf(
        "FIGURES notification latency commit→webhook: %d problems in %.1f s (%.0f/s); p50 %.1f ms,"
            + " p99 %.1f ms, max %.1f ms; delivered at %.0f/s after the last commit; %.1f s of"
            + " process CPU meanwhile (%.0f µs per delivery, receiver included); sender threads"
            + " %.1f s CPU; load average %s%n",
        count,
        sentSeconds,
        count / sentSeconds,
        latencies[count / 2] / 1e6,
        latencies[(int) (count * 0.99)] / 1e6,
        latencies[count - 1] / 1e6,
        count / ((System.nanoTime() - start) / 1e9 - sentSeconds),
        cpu,
        cpu * 1e6 / count,
        senderThreadCpuNanos() / 1e9,
        loadAverage());
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** CPU time of the live threads that send: the notifier, webhook and HTTP client threads. */
  static long senderThreadCpuNanos() {
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    long total = 0;
    for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null
          && (info.getThreadName().startsWith("kloaka-notifier")
              || info.getThreadName().startsWith("kloaka-webhook")
              || info.getThreadName().startsWith("HttpClient-"))) {
        total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return total;
  }

  static String loadAverage() {
    return String.format(
        "%.1f",
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  /**
   * A webhook that hangs does not slow ingest down to its pace: with requests already held by it,
   * 10,000 messages (5,000 new problems, each due to it at once) are all stored within the deadline
   * while the webhook still answers none. The two rates are printed, not compared: on a shared
   * machine their ratio is the machine's load (it failed a "more than half" check at load 14–26).
   */
  @Test
  void ingestDoesNotWaitForAWebhookThatHangs() throws Exception {
    double without = ingestRate(start("none", false));
    hook.stallFor(TimeUnit.MINUTES.toMillis(10));
    LocalRuntime stalled = start("stalled", true);
    stalled.pipeline().submit(payload("9999-1", "100")).get(1, TimeUnit.MINUTES);
    stalled.pipeline().submit(payload("9999-2", "0")).get(1, TimeUnit.MINUTES);
    await().atMost(Duration.ofMinutes(1)).until(() -> hook.arrived() > 0);

    double with = ingestRate(stalled);

    assertThat(hook.received()).as("requests the hanging webhook answered").isEmpty();
    hook.release();
    System.out.printf(
        "FIGURES ingest with no notifications: %.0f msg/s; with a webhook that does not answer:"
            + " %.0f msg/s (%.0f %%), %d requests held by it; load average %s%n",
        without, with, 100 * with / without, hook.arrived(), loadAverage());
  }

  /** 2 × 5,000 messages, as fast as the pipeline takes them; every second one opens a problem. */
  static double ingestRate(LocalRuntime runtime) throws Exception {
    int tubes = 5_000;
    long start = System.nanoTime();
    CompletableFuture<?>[] all = new CompletableFuture<?>[2 * tubes];
    for (int t = 1; t <= tubes; t++) {
      all[2 * t - 2] = runtime.pipeline().submit(payload(t + "-1", "100"));
      all[2 * t - 1] = runtime.pipeline().submit(payload(t + "-2", "0"));
    }
    CompletableFuture.allOf(Arrays.copyOf(all, all.length)).get(3, TimeUnit.MINUTES);
    return all.length / ((System.nanoTime() - start) / 1e9);
  }
}
