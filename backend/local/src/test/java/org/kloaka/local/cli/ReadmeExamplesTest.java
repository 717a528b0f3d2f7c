package org.kloaka.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.local.StdoutLines;

/**
 * Runs the README's "Try it" shell blocks, so what a reader pastes works.
 *
 * <p>A block marked {@code <!-- readme-test: start -->} (re)starts the runtime: its {@code ./kloaka
 * --headless …} (or {@code java -jar backend/target/kloaka-backend.jar …}) line runs in the
 * background — as {@code Main} on the test class path, since the jar is built after the tests
 * (LauncherScriptIT runs the script itself) — and its other lines run before it. The ready line
 * must show every address the same way. A block marked {@code <!-- readme-test expect='…' … -->}
 * runs with {@code bash -euo pipefail} and must print every expected text. Each runtime gets free
 * ports (substituted for 1883, 8080 and 8081) and {@code HOME} is a scratch folder, so {@code
 * ~/.kloaka} is too.
 */
class ReadmeExamplesTest {

  static final Path README = Path.of(System.getProperty("basedir", "."), "..", "..", "README.md");
  static final Pattern BLOCK =
      Pattern.compile("<!-- readme-test(: start| [^>]*)? -->\\s*```sh\\n(.*?)```", Pattern.DOTALL);
  static final Pattern EXPECT = Pattern.compile("expect='([^']*)'");

  /** How the README starts the runtime: the launcher script, or the jar itself. */
  static final List<String> RUNTIME_COMMANDS =
      List.of("./kloaka --headless", "java -jar backend/target/kloaka-backend.jar");

  /** The ready line's three addresses; each is shown the same way (all 127.0.0.1, all 0.0.0.0). */
  static final Pattern READY_HOSTS =
      Pattern.compile(
          "kloaka ready mqtt=tcp://(\\S+):\\d+ http=http://(\\S+):\\d+ ws=ws://(\\S+):\\d+ .*");

  @TempDir Path home;
  Process runtime;

  record Block(boolean start, List<String> expected, String script) {}

  record Ports(int mqtt, int http, int ws) {
    String substitute(String script) {
      return script
          .replace("-p 1883", "-p " + mqtt)
          .replace("127.0.0.1:8080", "127.0.0.1:" + http)
          .replace("127.0.0.1:8081", "127.0.0.1:" + ws);
    }
  }

  static List<Block> blocks() throws IOException {
    List<Block> blocks = new ArrayList<>();
    Matcher matcher = BLOCK.matcher(Files.readString(README, StandardCharsets.UTF_8));
    while (matcher.find()) {
      String marker = matcher.group(1) == null ? "" : matcher.group(1);
      List<String> expected = new ArrayList<>();
      Matcher expect = EXPECT.matcher(marker);
      while (expect.find()) {
        expected.add(expect.group(1));
      }
      blocks.add(new Block(marker.equals(": start"), expected, matcher.group(2)));
    }
    return blocks;
  }

  static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @AfterEach
  void stopRuntime() throws Exception {
    if (runtime != null && runtime.isAlive()) {
      runtime.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  ProcessBuilder bash(String script) {
    ProcessBuilder builder = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script);
    Map<String, String> env = builder.environment();
    env.put("HOME", home.toString());
    env.remove("KLOAKA_API_TOKEN");
    builder.directory(home.toFile());
    return builder;
  }

  /** Runs a script to its end; answers its output (stdout and stderr). */
  String run(String script) throws Exception {
    Process process = bash(script).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("finished: %s", script).isTrue();
    assertThat(process.exitValue()).as("exit code of:\n%s\noutput:\n%s", script, output).isZero();
    return output;
  }

  /** Stops the running runtime as Ctrl-C would, and checks it stopped cleanly. */
  void stop() throws Exception {
    if (runtime == null) {
      return;
    }
    runtime.destroy();
    assertThat(runtime.waitFor(60, TimeUnit.SECONDS)).as("the runtime stops").isTrue();
    assertThat(runtime.exitValue()).as("exit code after SIGTERM").isZero();
    runtime = null;
  }

  /** Runs a start block: its setup lines, then the runtime in the background until it is ready. */
  Ports start(Block block) throws Exception {
    stop();
    Ports ports = new Ports(freePort(), freePort(), freePort());
    StringBuilder setup = new StringBuilder();
    String options = null;
    for (String line : ports.substitute(block.script()).split("\n")) {
      String command = RUNTIME_COMMANDS.stream().filter(line::startsWith).findFirst().orElse(null);
      if (command != null) {
        options = line.substring(command.length());
      } else {
        setup.append(line).append('\n');
      }
    }
    assertThat(options).as("a start block runs one of %s", RUNTIME_COMMANDS).isNotNull();
    if (!setup.toString().isBlank()) {
      run(setup.toString());
    }
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String command =
        "exec '"
            + java
            + "' -Duser.home=\"$HOME\" -cp '"
            + classPath
            + "' "
            + Main.class.getName()
            + options
            + " --mqtt-port "
            + ports.mqtt()
            + " --http-port "
            + ports.http()
            + " --ws-port "
            + ports.ws();
    runtime = bash(command).redirectError(home.resolve("runtime-stderr.txt").toFile()).start();
    String ready = StdoutLines.of(runtime).next(90);
    assertThat(ready)
        .as("ready line; stderr: %s", Files.readString(home.resolve("runtime-stderr.txt")))
        .startsWith("kloaka ready mqtt=tcp://");
    Matcher hosts = READY_HOSTS.matcher(ready);
    assertThat(hosts.matches()).as(ready).isTrue();
    assertThat(List.of(hosts.group(2), hosts.group(3)))
        .as("every address in %s shown the same way", ready)
        .containsOnly(hosts.group(1));
    return ports;
  }

  @Test
  void theReadmeLocalRuntimeExamplesWorkAsWritten() throws Exception {
    boolean tools = onPath("mosquitto_pub") && onPath("curl");
    if ("1".equals(System.getenv("KLOAKA_CI"))) {
      assertThat(tools)
          .as("CI must have mosquitto_pub and curl (mosquitto-clients, curl)")
          .isTrue();
    }
    Assumptions.assumeTrue(
        tools,
        "skipped: the README examples need mosquitto_pub and curl"
            + " (apt-get install mosquitto-clients curl)");
    List<Block> blocks = blocks();
    assertThat(blocks).as("marked blocks in %s", README).hasSizeGreaterThanOrEqualTo(5);
    assertThat(blocks.get(0).start()).as("the first block starts the runtime").isTrue();

    Ports ports = null;
    for (Block block : blocks) {
      if (block.start()) {
        ports = start(block);
        continue;
      }
      String output = run(ports.substitute(block.script()));
      for (String expected : block.expected()) {
        assertThat(output).as("output of:\n%s", block.script()).contains(expected);
      }
    }
    stop();
  }
}
