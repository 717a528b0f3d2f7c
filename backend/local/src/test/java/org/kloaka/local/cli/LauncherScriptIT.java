package org.kloaka.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.local.StdoutLines;

/**
 * The {@code ./kloaka} launcher script at the repository's root, run for real after {@code package}
 * (so the runtime jar exists): options pass through, a missing jar is named, and {@code --headless}
 * starts the packaged runtime and stops on SIGTERM — timed, as the README quotes it.
 *
 * <p>The script runs from a scratch copy of the root holding only itself and a link to the built
 * jar, with {@code KLOAKA_BUILD=never}: it must never start a Maven build inside this one.
 */
class LauncherScriptIT {

  static final Path ROOT =
      Path.of(System.getProperty("kloaka.repoRoot", "../..")).toAbsolutePath().normalize();
  static final Path JAR = ROOT.resolve("backend/target/kloaka-backend.jar");

  @TempDir Path scratch;
  Path root;
  final List<Process> processes = new ArrayList<>();

  @BeforeEach
  void scratchRoot() throws IOException {
    root = Files.createDirectories(scratch.resolve("kloaka"));
    Files.copy(ROOT.resolve("kloaka"), root.resolve("kloaka"));
    Files.createDirectories(root.resolve("backend/target"));
    Files.createSymbolicLink(root.resolve("backend/target/kloaka-backend.jar"), JAR);
  }

  @AfterEach
  void killLeftovers() throws IOException {
    processes.forEach(Process::destroyForcibly);
    // Removed here, so JUnit's clean-up does not warn about a link leading out of its folder.
    Files.deleteIfExists(root.resolve("backend/target/kloaka-backend.jar"));
  }

  /** {@code ./kloaka --headless args}. */
  Process headless(String... args) throws IOException {
    List<String> command =
        new ArrayList<>(List.of(root.resolve("kloaka").toString(), "--headless"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("KLOAKA_BUILD", "never");
    builder.environment().put("HOME", scratch.toString());
    builder.environment().remove("KLOAKA_API_TOKEN");
    builder.redirectError(scratch.resolve("stderr.txt").toFile());
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  String stderr() throws IOException {
    return Files.readString(scratch.resolve("stderr.txt"), StandardCharsets.UTF_8);
  }

  @Test
  void headlessHelpIsTheRuntimesOwn() throws Exception {
    Process process = headless("--help");
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(MainTest.exitCode(process)).as(stderr()).isZero();
    assertThat(out).startsWith("Usage: kloaka").contains("--http-port=PORT");
  }

  @Test
  void aBadOptionReachesTheRuntimeAndExitsTwo() throws Exception {
    Process process = headless("--bogus");

    assertThat(MainTest.exitCode(process)).isEqualTo(2);
    assertThat(stderr().lines())
        .containsExactly(
            "kloaka: Unknown option: '--bogus'", "Try 'kloaka --help' for the options.");
  }

  @Test
  void aMissingJarIsNamedWhenBuildingIsOff() throws Exception {
    Files.delete(root.resolve("backend/target/kloaka-backend.jar"));
    Process process = headless();

    assertThat(MainTest.exitCode(process)).isEqualTo(1);
    assertThat(stderr()).startsWith("kloaka: the runtime: it has not been built yet");
  }

  @Test
  void headlessStartsTheRuntimeAndStopsWithinASecondOfSigterm() throws Exception {
    long starting = System.nanoTime();
    Process process = headless(MainTest.onFreePorts(scratch.resolve("data")));
    String ready = StdoutLines.of(process).next(120);
    long readyMillis = (System.nanoTime() - starting) / 1_000_000;
    assertThat(ready).as("the ready line; stderr: %s", stderr()).startsWith("kloaka ready mqtt=");

    long stopping = System.nanoTime();
    process.destroy(); // SIGTERM, as Ctrl-C or a service manager sends it
    assertThat(MainTest.exitCode(process)).as(stderr()).isZero();
    long stopMillis = (System.nanoTime() - stopping) / 1_000_000;

    System.out.printf(
        "./kloaka --headless: ready after %d ms, SIGTERM to exit %d ms%n", readyMillis, stopMillis);
    // The figure is the point; the bound only catches a return of the old 4 s wait.
    assertThat(stopMillis).isLessThan(3_000);
    assertThat(stderr()).contains("Kloaka stopped").doesNotContain("WARN");
  }
}
