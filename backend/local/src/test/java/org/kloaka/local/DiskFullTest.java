package org.kloaka.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.core.Organizer.Outcome;
import org.kloaka.local.fuzz.LogCapture;

/**
 * The store on a tiny file system (issue 21): a 4 MiB tmpfs mounted for the test, filled up while
 * device messages arrive. Needs root and {@code mount} (Linux); elsewhere it is skipped and says
 * so.
 *
 * <p>Checked: what was acknowledged (a completed future, which is when MQTT sends its PUBACK) is
 * all there afterwards; {@code /health} says degraded within a second and {@code /status} names the
 * store; the REST API still answers within a second; the log says the failure once with a count,
 * never a stack trace; once space is back the next message is stored and {@code /health} is ok by
 * itself; the file passes SQLite's check at the next start.
 */
class DiskFullTest {

  @TempDir Path dir;
  Path mountPoint;
  boolean mounted;
  LocalRuntime runtime;

  @AfterEach
  void unmount() throws Exception {
    if (runtime != null) {
      runtime.close();
    }
    if (mounted) {
      run("umount", mountPoint.toString());
    }
  }

  static int run(String... command) throws Exception {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  LocalRuntime start() {
    return LocalRuntime.start(
        LocalConfig.defaults()
            .withDataDir(mountPoint.resolve("data"))
            .withPorts(0, 0, 0)
            .withEnv(Map.of())
            .withoutMqtt());
  }

  static String sensor(int i) {
    return "10-" + (1 + i % 50);
  }

  @Test
  void aFullDiskIsReportedLosesNothingAcknowledgedAndRecoversByItself() throws Exception {
    mountPoint = Files.createDirectories(dir.resolve("tiny"));
    mounted = run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mountPoint.toString()) == 0;
    Assumptions.assumeTrue(
        mounted, "needs root and mount(8) for a 4 MiB tmpfs (Linux); not available here");

    Map<String, Integer> acknowledged = new HashMap<>();
    int failed = 0;
    String logged;
    try (LogCapture log = LogCapture.start()) {
      runtime = start();
      assertThat(RunningRuntime.get(runtime, "/health").path("status").asText()).isEqualTo("ok");

      Path filler = mountPoint.resolve("filler");
      fill(filler);
      int sent = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (failed < 300 && System.nanoTime() < deadline) {
        List<CompletableFuture<Outcome>> futures = new ArrayList<>();
        for (int i = 0; i < 100; i++, sent++) {
          String payload = "{\"id\":\"" + sensor(sent) + "\",\"filling\":\"" + sent % 101 + "\"}";
          futures.add(runtime.pipeline().submit(payload.getBytes(StandardCharsets.UTF_8)));
        }
        for (int i = 0; i < futures.size(); i++) {
          try {
            futures.get(i).get(30, TimeUnit.SECONDS);
            acknowledged.merge(sensor(sent - futures.size() + i), 1, Integer::sum);
          } catch (java.util.concurrent.ExecutionException e) {
            failed++;
          }
        }
      }
      assertThat(failed).as("messages refused by the full disk").isGreaterThanOrEqualTo(300);

      await()
          .atMost(Duration.ofSeconds(1))
          .until(
              () ->
                  RunningRuntime.send(runtime, RunningRuntime.request(runtime, "/health"))
                          .statusCode()
                      == 503);
      HttpResponse<String> health =
          RunningRuntime.send(runtime, RunningRuntime.request(runtime, "/health"));
      assertThat(health.body())
          .contains("\"status\":\"degraded\"")
          .contains("store: the store cannot commit: the disk is full")
          .doesNotContain(mountPoint.toString())
          .doesNotContain("SQLITE");
      JsonNode status = RunningRuntime.get(runtime, "/status").path("health");
      assertThat(status.path("status").asText()).isEqualTo("degraded");
      assertThat(status.path("faults").get(0).path("component").asText()).isEqualTo("store");
      assertThat(status.path("faults").get(0).path("detail").asText()).contains("kloaka.db");

      long started = System.nanoTime();
      RunningRuntime.get(runtime, "/devices");
      assertThat((System.nanoTime() - started) / 1_000_000)
          .as("ms for GET /devices on a full disk")
          .isLessThan(1_000);

      // Space is back: the next message is stored and health is ok by itself.
      Files.delete(filler);
      runtime
          .pipeline()
          .submit("{\"id\":\"10-1\",\"filling\":\"7\"}".getBytes())
          .get(30, TimeUnit.SECONDS);
      acknowledged.merge("10-1", 1, Integer::sum);
      assertThat(RunningRuntime.send(runtime, RunningRuntime.request(runtime, "/health")).body())
          .isEqualTo("{\"status\":\"ok\"}");

      for (Map.Entry<String, Integer> sensor : acknowledged.entrySet()) {
        int stored =
            RunningRuntime.get(runtime, "/devices/" + sensor.getKey() + "/measurements?limit=10000")
                .path("measurements")
                .size();
        assertThat(stored).as("history rows of %s", sensor.getKey()).isEqualTo(sensor.getValue());
      }
      runtime.close(); // flushes the counts of repeated failures
      runtime = null;
      logged = log.text();
    }

    assertThat(logged).as("no stack trace").doesNotContain("\tat ");
    long full =
        logged.lines().filter(line -> line.contains("Could not store a device message")).count();
    assertThat(full).as("lines about %d failed messages", failed).isBetween(1L, 6L);
    assertThat(logged).containsPattern("more in the last minute");

    runtime = start(); // the file is intact (checked at start when the stop was not clean)
    assertThat(RunningRuntime.get(runtime, "/health").path("status").asText()).isEqualTo("ok");
  }

  /** Writes {@code file} until the file system has no room left. */
  private static void fill(Path file) throws IOException {
    byte[] block = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(file)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException e) {
      // ENOSPC: full, as wanted
    }
    try (OutputStream out = Files.newOutputStream(file, java.nio.file.StandardOpenOption.APPEND)) {
      for (int i = 0; i < 64; i++) {
        out.write(block, 0, 1024); // the last kilobytes too
      }
    } catch (IOException e) {
      // full
    }
  }
}
