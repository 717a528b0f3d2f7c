package org.kloaka.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.local.LocalRuntime;
import org.kloaka.local.fuzz.Fuzz;
import org.kloaka.local.fuzz.Leaks;
import org.kloaka.local.fuzz.LogCapture;
import org.kloaka.local.fuzz.NetworkFileFuzzTest;
import org.kloaka.local.fuzz.Payloads;

/**
 * Fuzzes the command line (README.md, "Run") in this JVM: random options, typos, values of the
 * wrong kind or out of range, odd paths, network files good and bad. A configuration that is valid
 * starts the real runtime (on free ports, without the broker, which MainTest and the MQTT tests
 * start for real) and is stopped again.
 *
 * <p>Properties: the exit code is 0 (help, version, started), 1 (cannot start: one line saying why)
 * or 2 (bad option: the reason on one line, then a pointer to {@code --help}); the ready line comes
 * exactly when it started; standard output carries nothing else but help and version; no output and
 * no log line shows a stack trace or internals.
 */
@Tag("slow")
@Tag("fuzz")
class CommandLineFuzzTest {

  static final List<String> OPTIONS =
      List.of(
          "--bind",
          "--mqtt-port",
          "--http-port",
          "--ws-port",
          "--network",
          "--keep-measurements",
          "--history-days",
          "--rejects-keep",
          "--rate-limit",
          "--mqtt-username",
          "--mqtt-password-file");
  static final List<String> NUMBERS =
      List.of(
          "0",
          "1",
          "-1",
          "100",
          "65535",
          "65536",
          "99999999999",
          "2147483648",
          "abc",
          "",
          " 5",
          "0x10",
          "1e3",
          "1.5",
          "\u0661",
          "+7",
          "NaN");

  @TempDir Path dir;

  @Test
  void everyCommandLineExitsWithItsCodeAndAClearMessage() throws Exception {
    Fuzz fuzz = Fuzz.of("command line", 1_000, Duration.ofSeconds(10));
    int[] exits = new int[3];
    try (LogCapture log = LogCapture.start()) {
      fuzz.run(
          (random, index, description) -> {
            Path work = Files.createDirectories(dir.resolve("run-" + index));
            List<String> args = arguments(random, work);
            description.append(args);
            List<LocalRuntime> started = new ArrayList<>();
            Main main =
                new Main(
                    config ->
                        LocalRuntime.start(
                            config.withPorts(0, 0, 0).withoutMqtt().withEnv(Map.of())),
                    started::add);
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code;
            try {
              code =
                  Main.commandLine(main)
                      .setOut(new PrintWriter(out, true))
                      .setErr(new PrintWriter(err, true))
                      .execute(args.toArray(String[]::new));
            } finally {
              started.forEach(LocalRuntime::close);
            }
            String stdout = out.toString();
            String stderr = err.toString();
            String whatCameOut = (stdout + stderr).replace(work.toString(), "WORK");
            Leaks.assertNone("the command's output", whatCameOut);
            assertThat(code).as("exit code; stderr: %s", stderr).isIn(0, 1, 2);
            exits[code]++;
            switch (code) {
              case 0 -> {
                boolean help = args.contains("--help") || args.contains("-h");
                boolean version = args.contains("--version") || args.contains("-V");
                if (help || version) {
                  assertThat(stdout).containsAnyOf("Usage: kloaka", "kloaka ");
                } else {
                  assertThat(started).as("exit 0 without help means it started").hasSize(1);
                  assertThat(stdout).startsWith("kloaka ready mqtt=off http=http://");
                  assertThat(stdout.strip().lines()).hasSize(1);
                }
              }
              case 1 -> {
                assertThat(started).isEmpty();
                assertThat(stdout).isEmpty();
                assertThat(stderr).startsWith("kloaka: cannot start: ");
              }
              default -> {
                assertThat(started).isEmpty();
                assertThat(stdout).isEmpty();
                // The reason on one line and where to look, not the whole usage.
                assertThat(stderr.lines().toList())
                    .hasSize(2)
                    .endsWith("Try 'kloaka --help' for the options.");
                assertThat(stderr).startsWith("kloaka: ").doesNotContain("Usage:");
              }
            }
          });
      System.out.printf(
          "command lines: %d exited 0, %d could not start, %d bad options%n",
          exits[0], exits[1], exits[2]);
      assertThat(log.text()).as("the log shows no stack trace").doesNotContain("\tat ");
    }
    assertThat(exits[0]).as("some command lines started").isPositive();
    assertThat(exits[1]).as("some could not start").isPositive();
    assertThat(exits[2]).as("some were refused").isPositive();
  }

  /** Inputs the fuzzer found, each answered with internals or in the wrong place before. */
  @Test
  void foundByTheFuzzerEachAnsweredInWords() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "not a folder");

    assertThat(run("--data", dir + "/with\u0000nul"))
        .isEqualTo(
            "2: kloaka: Invalid value for option '--data': '"
                + dir
                + "/with\\0nul' is not a usable path: Nul character not allowed");
    assertThat(run("--data", file.toString()))
        .isEqualTo(
            "1: kloaka: cannot start: cannot create the data folder "
                + file
                + ": a file of that name is in the way");
    assertThat(run("--data", ""))
        .as("the working directory is no data folder")
        .isEqualTo("2: kloaka: --data must name a folder (it was empty)");
  }

  /** Exit code and the first line of standard error. */
  private static String run(String... args) {
    StringWriter err = new StringWriter();
    int code =
        Main.commandLine(
                new Main(
                    config ->
                        LocalRuntime.start(
                            config.withPorts(0, 0, 0).withoutMqtt().withEnv(Map.of())),
                    runtime -> {
                      runtime.close();
                      throw new AssertionError("it must not start");
                    }))
            .setOut(new PrintWriter(new StringWriter(), true))
            .setErr(new PrintWriter(err, true))
            .execute(args);
    return code + ": " + err.toString().lines().findFirst().orElse("");
  }

  static List<String> arguments(Random random, Path work) throws Exception {
    List<String> args = new ArrayList<>();
    args.add("--data");
    args.add(path(random, work)); // always under the test's folder, never the real ~/.kloaka
    int count = random.nextInt(6);
    for (int i = 0; i < count; i++) {
      int pick = random.nextInt(40);
      if (pick == 0) {
        args.add(List.of("--help", "-h", "--version", "-V").get(random.nextInt(4)));
      } else if (pick == 1) {
        args.add(
            List.of("--bogus", "-x", "--data-dir", "--http_port", "positional", "--", "-")
                .get(random.nextInt(7)));
      } else {
        String option = OPTIONS.get(random.nextInt(OPTIONS.size()));
        String value = value(random, option, work);
        if (random.nextInt(6) == 0) {
          args.add(option + "=" + value);
        } else if (random.nextInt(30) == 0) {
          args.add(option); // its value missing
        } else {
          args.add(option);
          args.add(value);
        }
      }
    }
    return args;
  }

  static String value(Random random, String option, Path work) throws Exception {
    return switch (option) {
      case "--bind" ->
          List.of(
                  "127.0.0.1",
                  "::1",
                  "localhost",
                  "0.0.0.0",
                  "256.1.1.1",
                  "[::1]",
                  "",
                  "no-such-host.invalid",
                  "127.0.0.1 ",
                  "10.255.255.1")
              .get(random.nextInt(10));
      case "--network" -> network(random, work);
      case "--mqtt-username" -> random.nextBoolean() ? "device" : Payloads.unicode(random, 20);
      case "--mqtt-password-file" -> {
        Path file = work.resolve("password");
        if (random.nextBoolean()) {
          Files.writeString(file, random.nextBoolean() ? "s3cret\n" : "");
        }
        yield file.toString();
      }
      default -> NUMBERS.get(random.nextInt(NUMBERS.size()));
    };
  }

  static String path(Random random, Path work) throws Exception {
    return switch (random.nextInt(7)) {
      case 0 -> {
        Path file = work.resolve("a-file");
        Files.writeString(file, "not a folder");
        yield file.toString();
      }
      case 1 -> work.resolve("x".repeat(300)).toString(); // a name too long for the file system
      case 2 -> work + "/with\u0000nul";
      case 3 -> work.resolve("données é \ud83d\udca9").toString();
      case 4 -> work.resolve("deep/er/and/deeper").toString();
      case 5 -> "";
      default -> work.resolve("data").toString();
    };
  }

  static String network(Random random, Path work) throws Exception {
    if (random.nextInt(8) == 0) {
      return work.resolve("missing.json").toString();
    }
    Path file = work.resolve("network.json");
    byte[] content =
        random.nextBoolean()
            ? NetworkFileFuzzTest.VALID.getBytes(StandardCharsets.UTF_8)
            : NetworkFileFuzzTest.file(random);
    Files.write(file, content);
    return file.toString();
  }
}
