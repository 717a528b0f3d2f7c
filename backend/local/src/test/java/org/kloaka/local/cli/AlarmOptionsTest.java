package org.kloaka.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kloaka.core.AlarmRules;
import picocli.CommandLine;

/**
 * {@code --silent-after} and {@code --confirm-after}: defaults, the duration syntax, bad values.
 */
class AlarmOptionsTest {

  private static Main parsed(String... args) {
    Main main = new Main(config -> null, runtime -> {});
    Main.commandLine(main).parseArgs(args);
    return main;
  }

  @Test
  void withoutOptionsSilentAfterThreeHoursAndNoConfirmationWindow() {
    assertThat(parsed().config().alarms())
        .isEqualTo(new AlarmRules(Duration.ofHours(3), Duration.ZERO))
        .isEqualTo(AlarmRules.DEFAULTS);
  }

  @ParameterizedTest
  @CsvSource({"90s, 30m, PT1M30S, PT30M", "1d, PT30M, PT24H, PT30M", "0, 3h, PT0S, PT3H"})
  void bothTakeTheOneDurationSyntax(String silent, String confirm, String s, String c) {
    assertThat(parsed("--silent-after", silent, "--confirm-after", confirm).config().alarms())
        .isEqualTo(new AlarmRules(Duration.parse(s), Duration.parse(c)));
  }

  @ParameterizedTest
  @CsvSource({
    "--silent-after, soon, Invalid value for option '--silent-after': 'soon' is not a duration",
    "--confirm-after, 30, Invalid value for option '--confirm-after': '30' is not a duration",
    "--confirm-after, -5m, Invalid value for option '--confirm-after': '-5m' is not a duration",
    "--silent-after, PT-1H, Invalid value for option '--silent-after': 'PT-1H' is negative",
    "--silent-after, 500ms, --silent-after must be whole seconds or more",
    "--confirm-after, 1500ms, --confirm-after must be whole seconds or more"
  })
  void aBadDurationStopsTheStartWithAMessageNamingTheOption(
      String option, String value, String message) {
    StringWriter err = new StringWriter();
    int code =
        Main.commandLine(
                new Main(
                    config -> {
                      throw new AssertionError("it must not start");
                    },
                    runtime -> {}))
            .setOut(new PrintWriter(new StringWriter(), true))
            .setErr(new PrintWriter(err, true))
            .execute(option, value);
    assertThat(code).isEqualTo(OptionErrors.EXIT);
    assertThat(err.toString().lines().findFirst().orElse("")).startsWith("kloaka: " + message);
  }

  @Test
  void helpListsBothWithTheirDefaults() {
    StringWriter out = new StringWriter();
    CommandLine line = Main.commandLine(new Main(config -> null, runtime -> {}));
    line.setOut(new PrintWriter(out, true)).execute("--help");
    assertThat(out.toString())
        .contains("--silent-after=DURATION")
        .contains("default: 3h; 0 = off")
        .contains("--confirm-after=DURATION")
        .contains("default: 0 = at once");
  }
}
