package org.kloaka.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command in a child JVM, as an operator or a script runs it: exit codes, output, signals. */
class MainTest {

  static final Pattern READY =
      Pattern.compile(
          "kloaka ready mqtt=tcp://\\S+ http=(http://127\\.0\\.0\\.1:\\d+) ws=(ws://\\S+)"
              + " token_file=(\\S+)");

  @TempDir Path dir;
  final List<Process> processes = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    processes.forEach(Process::destroyForcibly);
  }

  /** A child JVM running Main with the test's class path (Surefire's, not its booter jar's). */
  Process kloaka(String... args) throws IOException {
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(classPath);
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("KLOAKA_API_TOKEN");
    builder.redirectError(dir.resolve("stderr.txt").toFile());
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  String stderr() throws IOException {
    return Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8);
  }

  static String stdout(Process process) throws IOException {
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  static int exitCode(Process process) throws InterruptedException {
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the process ends").isTrue();
    return process.exitValue();
  }

  @Test
  void helpPrintsTheUsageAndExitsZero() throws Exception {
    Process process = kloaka("--help");

    String out = stdout(process);

    assertThat(exitCode(process)).isZero();
    assertThat(out).contains("Usage: kloaka").contains("--data=DIR").contains("--network=FILE");
  }

  @Test
  void anUnknownOptionExitsTwoWithTheReasonAndTheUsage() throws Exception {
    Process process = kloaka("--bogus");

    assertThat(exitCode(process)).isEqualTo(2);
    assertThat(stderr()).contains("Unknown option: '--bogus'").contains("Usage: kloaka");
  }

  @Test
  void aNonLoopbackBindWithoutMqttCredentialsIsRefusedSayingHow() throws Exception {
    Process process =
        kloaka("--bind", "0.0.0.0", "--data", dir.resolve("data").toString(), "--http-port", "0");

    assertThat(exitCode(process)).isEqualTo(2);
    assertThat(stderr()).contains("--mqtt-username").contains("--mqtt-password-file");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void aRuntimeThatCannotStartExitsOneWithTheReason() throws Exception {
    Path network = dir.resolve("network.json");
    Files.writeString(network, "not json");
    Process process =
        kloaka(
            "--data",
            dir.resolve("data").toString(),
            "--network",
            network.toString(),
            "--mqtt-port",
            "0",
            "--http-port",
            "0",
            "--ws-port",
            "0");

    assertThat(exitCode(process)).isEqualTo(1);
    assertThat(stderr())
        .contains("kloaka: cannot start:")
        .contains(network.toString())
        .doesNotContain("\tat ");
  }

  @Test
  void printsOneReadyLineServesAndStopsCleanlyOnSigterm() throws Exception {
    Process process =
        kloaka(
            "--data",
            dir.resolve("data").toString(),
            "--mqtt-port",
            "0",
            "--http-port",
            "0",
            "--ws-port",
            "0");
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                out.lines().forEach(lines::add);
              } catch (IOException e) {
                lines.add("read failed: " + e);
              }
            });
    reader.start();

    String ready = lines.poll(60, TimeUnit.SECONDS);
    assertThat(ready).as("the ready line; stderr: %s", stderr()).isNotNull();
    Matcher matcher = READY.matcher(ready);
    assertThat(matcher.matches()).as(ready).isTrue();
    assertThat(Path.of(matcher.group(3))).isEqualTo(dir.resolve("data").resolve("api-token"));
    HttpResponse<String> health =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(matcher.group(1) + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);

    process.destroy(); // SIGTERM

    assertThat(exitCode(process)).isZero();
    reader.join(10_000);
    assertThat(lines).as("nothing but the ready line on stdout").isEmpty();
    assertThat(stderr())
        .contains("Kloaka stopped")
        .doesNotContain(Files.readString(Path.of(matcher.group(3))).strip());
  }
}
