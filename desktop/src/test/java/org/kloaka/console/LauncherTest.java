package org.kloaka.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's command line in a child JVM: what a bad option prints and its exit code. */
class LauncherTest {

  @TempDir Path dir;
  final List<Process> processes = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    processes.forEach(Process::destroyForcibly);
  }

  /** Exit code, then standard error; the toolkit never starts for these. */
  String console(String... args) throws Exception {
    return console(false, args);
  }

  /** As {@link #console(String...)}, with no display to open a window on when {@code noDisplay}. */
  String console(boolean noDisplay, String... args) throws Exception {
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classPath,
                Launcher.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("KLOAKA_API_TOKEN");
    if (noDisplay) {
      builder.environment().remove("DISPLAY");
      builder.environment().remove("WAYLAND_DISPLAY");
    }
    builder.environment().put("HOME", dir.toString());
    builder.redirectError(dir.resolve("stderr.txt").toFile());
    builder.redirectOutput(dir.resolve("stdout.txt").toFile());
    Process process = builder.start();
    processes.add(process);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the console exits").isTrue();
    return process.exitValue() + "\n" + read("stderr.txt");
  }

  String read(String file) throws IOException {
    return Files.readString(dir.resolve(file), StandardCharsets.UTF_8);
  }

  @Test
  void anUnknownOptionIsOneLineAndAPointerToHelpExitTwo() throws Exception {
    assertThat(console("--bogus").lines())
        .containsExactly(
            "2",
            "kloaka-console: Unknown option: '--bogus'",
            "Try 'kloaka-console --help' for the options.");
  }

  @Test
  void optionsThatDoNotGoTogetherSayWhyExitTwo() throws Exception {
    assertThat(console("--backend", "http://127.0.0.1:8080").lines())
        .containsExactly(
            "2",
            "kloaka-console: --backend and --ws go together: give both URLs of the running backend",
            "Try 'kloaka-console --help' for the options.");
  }

  @Test
  void aBackendThatIsNoUrlSaysWhyExitTwo() throws Exception {
    assertThat(console("--backend", "notaurl", "--ws", "ws://x", "--token", "t").lines())
        .containsExactly(
            "2",
            "kloaka-console: --backend must be an http:// or https:// URL with a host, not"
                + " 'notaurl'",
            "Try 'kloaka-console --help' for the options.");
    assertThat(console("--backend", "http://127.0.0.1:8080", "--ws", "ftp://x", "--token", "t"))
        .startsWith("2\nkloaka-console: --ws must be a ws:// or wss:// URL with a host");
  }

  @Test
  void noDisplayIsOneLineAndAnExitNotAStackTraceAndAHang() throws Exception {
    // Before: the toolkit's failure was a stack trace, and the process never exited (its close
    // waited for the toolkit), not even on SIGTERM.
    String answer =
        console(
            true,
            "--backend",
            "http://127.0.0.1:9",
            "--ws",
            "ws://127.0.0.1:9",
            "--token",
            "t".repeat(32));
    assertThat(answer).startsWith("1\n");
    assertThat(answer).contains("kloaka-console: cannot open a window: ").contains("--headless");
    assertThat(answer).doesNotContain("Exception in thread").doesNotContain("\tat ");
  }

  @Test
  void helpListsTheOptionsExitZero() throws Exception {
    assertThat(console("--help")).isEqualTo("0\n");
    assertThat(read("stdout.txt")).startsWith("Usage: kloaka-console").contains("--demo");
  }
}
