package org.kloaka.local.mqtt;

import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kloaka.local.StdoutLines;
import org.kloaka.local.cli.Main;

/**
 * {@code org.kloaka.local.cli.Main} in a child JVM on the test's class path, as an operator runs
 * it, so a test can kill it with SIGKILL or stop it with SIGTERM. Its stderr goes to a file.
 */
final class KloakaProcess implements AutoCloseable {

  static final String TOKEN = "durability-test-token-0123456789abcdef";
  private static final Pattern READY =
      Pattern.compile("kloaka ready mqtt=(\\S+) http=(\\S+) ws=(\\S+) token_\\S+");

  final Process process;
  final URI mqtt;
  final URI http;
  final Path stderr;

  /** From the process start to the ready line. */
  final long startMillis;

  private KloakaProcess(Process process, URI mqtt, URI http, Path stderr, long startMillis) {
    this.process = process;
    this.mqtt = mqtt;
    this.http = http;
    this.stderr = stderr;
    this.startMillis = startMillis;
  }

  /** Starts the runtime on free ports and waits for its ready line. */
  static KloakaProcess start(Path data, Path stderr, String... extraArgs) throws Exception {
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    // C1 only: the runtime lives for seconds, so its start is what counts; the C2 compiler threads
    // double it on two busy cores (docs/decisions/014). Nothing the tests check depends on it.
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(classPath);
    command.add(Main.class.getName());
    command.addAll(
        List.of(
            "--data", data.toString(), "--mqtt-port", "0", "--http-port", "0", "--ws-port", "0"));
    command.addAll(List.of(extraArgs));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("KLOAKA_API_TOKEN", TOKEN);
    builder.redirectError(stderr.toFile());
    long started = System.nanoTime();
    Process process = builder.start();
    String line = StdoutLines.of(process).next(90);
    Matcher ready = line == null ? null : READY.matcher(line);
    if (ready == null || !ready.matches()) {
      process.destroyForcibly();
      throw new IllegalStateException(
          "no ready line from the child (got " + line + "); see its stderr in " + stderr);
    }
    return new KloakaProcess(
        process,
        URI.create(ready.group(1)),
        URI.create(ready.group(2)),
        stderr,
        (System.nanoTime() - started) / 1_000_000);
  }

  /** SIGKILL: no shutdown hook, no flush, nothing. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
