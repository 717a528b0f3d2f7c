package org.kloaka.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import java.util.Map;
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
    return kloaka(Map.of(), args);
  }

  /** The same with {@code env} added to the environment. */
  Process kloaka(Map<String, String> env, String... args) throws IOException {
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    // C1 only: a child that lives for seconds starts twice as fast (docs/decisions/014).
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(classPath);
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("KLOAKA_API_TOKEN");
    builder.environment().putAll(env);
    builder.redirectError(dir.resolve("stderr.txt").toFile());
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  /** A data folder in the test's folder, free ports, and {@code more}. */
  String[] onFreePorts(String... more) {
    return onFreePorts(dir.resolve("data"), more);
  }

  /** {@code --data data}, port 0 for every server, and {@code more}. */
  static String[] onFreePorts(Path data, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--data",
                data.toString(),
                "--mqtt-port",
                "0",
                "--http-port",
                "0",
                "--ws-port",
                "0"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
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
  void anUnknownOptionExitsTwoWithTheReasonOnOneLineAndAPointerToHelp() throws Exception {
    Process process = kloaka("--bogus");

    assertThat(exitCode(process)).isEqualTo(2);
    assertThat(stderr().lines())
        .containsExactly(
            "kloaka: Unknown option: '--bogus'", "Try 'kloaka --help' for the options.");
  }

  @Test
  void aMistypedOptionSuggestsTheRightOne() throws Exception {
    Process process = kloaka("--http-prot", "8080");

    assertThat(exitCode(process)).isEqualTo(2);
    assertThat(stderr().lines().toList())
        .hasSize(2)
        .first(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("kloaka: Unknown option")
        .contains("did you mean --http-port");
  }

  @Test
  void everyPortInUseIsNamedInOneLineAndNothingStarts() throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    try (ServerSocket mqtt = new ServerSocket(0, 1, loopback);
        ServerSocket http = new ServerSocket(0, 1, loopback);
        ServerSocket ws = new ServerSocket(0, 1, loopback)) {
      Process process =
          kloaka(
              "--data",
              dir.resolve("data").toString(),
              "--mqtt-port",
              String.valueOf(mqtt.getLocalPort()),
              "--http-port",
              String.valueOf(http.getLocalPort()),
              "--ws-port",
              String.valueOf(ws.getLocalPort()));

      assertThat(exitCode(process)).isEqualTo(1);
      assertThat(stderr().lines())
          .containsExactly(
              String.format(
                  "kloaka: cannot start: ports in use on 127.0.0.1: %d (--mqtt-port),"
                      + " %d (--http-port), %d (--ws-port): stop what uses them, or choose other"
                      + " ports (0 picks a free one)",
                  mqtt.getLocalPort(), http.getLocalPort(), ws.getLocalPort()));
      assertThat(dir.resolve("data")).doesNotExist();
    }
  }

  @Test
  void aShortTokenInTheEnvironmentIsRefusedWithOneLine() throws Exception {
    Process process = kloaka(Map.of("KLOAKA_API_TOKEN", "secret"), onFreePorts());

    assertThat(exitCode(process)).isEqualTo(1);
    assertThat(stderr().lines().filter(line -> line.startsWith("kloaka:")))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("kloaka: cannot start: KLOAKA_API_TOKEN holds 6 characters")
        .contains("at least 32");
    assertThat(stderr()).doesNotContain("secret").doesNotContain("\tat ");
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
    Process process = kloaka(onFreePorts());
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

    long stopping = System.nanoTime();
    process.destroy(); // SIGTERM

    assertThat(exitCode(process)).isZero();
    long stopMillis = (System.nanoTime() - stopping) / 1_000_000;
    System.out.printf("SIGTERM to exit: %d ms%n", stopMillis);
    // Generous: it takes 0.3–0.6 s here; 4.4 s before the broker stopped waiting for Netty.
    assertThat(stopMillis).as("stopped within a few seconds").isLessThan(3_000);
    reader.join(10_000);
    assertThat(lines).as("nothing but the ready line on stdout").isEmpty();
    assertThat(stderr())
        .contains("Kloaka stopped")
        .doesNotContain(Files.readString(Path.of(matcher.group(3))).strip());
  }
}
