package org.kloaka.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.kloaka.local.ServerLimits;
import picocli.CommandLine;

/** The options for slow clients and connection caps: defaults, parsing, bad values. */
class LimitOptionsTest {

  static Main parsed(String... args) {
    Main main = new Main(config -> null, runtime -> {});
    Main.commandLine(main).parseArgs(args);
    return main;
  }

  @Test
  void withoutOptionsTheLimitsAreTheDocumentedDefaults() {
    assertThat(parsed().config().limits()).isEqualTo(ServerLimits.defaults());
    assertThat(ServerLimits.defaults())
        .isEqualTo(
            new ServerLimits(
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ofSeconds(5),
                Duration.ofSeconds(90),
                32,
                1_000));
  }

  @Test
  void everyLimitCanBeChangedOnTheCommandLine() {
    ServerLimits limits =
        parsed(
                "--http-request-timeout", "3s",
                "--http-idle-timeout", "PT1M",
                "--ws-handshake-timeout", "500ms",
                "--ws-idle-timeout", "2m",
                "--max-connections-per-address", "4",
                "--max-connections", "50")
            .config()
            .limits();
    assertThat(limits)
        .isEqualTo(
            new ServerLimits(
                Duration.ofSeconds(3),
                Duration.ofMinutes(1),
                Duration.ofMillis(500),
                Duration.ofMinutes(2),
                4,
                50));
  }

  @Test
  void badValuesAreRefusedWithExitCode2AndAReason() {
    assertThat(run("--ws-idle-timeout", "soon"))
        .isEqualTo(
            "2: Invalid value for option '--ws-idle-timeout': 'soon' is not a duration: write e.g."
                + " 500ms, 90s, 30m, 3h, 1d or PT30M");
    assertThat(run("--http-request-timeout", "0s"))
        .isEqualTo("2: --http-request-timeout must be a positive duration such as 10s, was PT0S");
    assertThat(run("--max-connections", "0"))
        .isEqualTo("2: --max-connections must be at least 1, was 0");
    assertThat(run("--max-connections-per-address", "-3"))
        .isEqualTo("2: --max-connections-per-address must be at least 1, was -3");
  }

  private static String run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine line =
        Main.commandLine(
            new Main(
                config -> {
                  throw new AssertionError("it must not start");
                },
                runtime -> {}));
    int code =
        line.setOut(new PrintWriter(new StringWriter(), true))
            .setErr(new PrintWriter(err, true))
            .execute(args);
    // The "kloaka: " prefix and the pointer to --help on the next line are MainTest's concern.
    String first = err.toString().lines().findFirst().orElse("");
    return code + ": " + (first.startsWith("kloaka: ") ? first.substring(8) : first);
  }
}
