package org.kloaka.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * The benchmark's short mode, as CI runs it: the whole path (bare broker, runtime over MQTT,
 * WebSocket, REST) for a few seconds. It checks that the summary line is printed last, exactly in
 * its format, with sane values — not how fast this machine is.
 */
class BenchTest {

  static final Pattern SUMMARY =
      Pattern.compile(
          "bench: ingest_msgs_s=(\\d+) broker_msgs_s=(\\d+) ratio=(\\d+\\.\\d\\d)"
              + " push_p50_ms=(\\d+\\.\\d) push_p99_ms=(\\d+\\.\\d)"
              + " problem_p99_ms=(\\d+\\.\\d) rest_p99_ms=(\\d+\\.\\d)");

  @Test
  void shortModeEndsWithASaneSummaryLineAndLosesNothing() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit =
        new CommandLine(new Bench(new PrintStream(out, true, StandardCharsets.UTF_8)))
            .execute("--short");
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();

    assertThat(exit).as("exit code; output:%n%s", String.join("\n", lines)).isZero();
    assertThat(lines).filteredOn(l -> l.startsWith("bench: checks")).hasSize(1);
    String last = lines.get(lines.size() - 1);
    Matcher summary = SUMMARY.matcher(last);
    assertThat(summary.matches()).as("last line: %s", last).isTrue();

    double ingest = Double.parseDouble(summary.group(1));
    double broker = Double.parseDouble(summary.group(2));
    double ratio = Double.parseDouble(summary.group(3));
    double pushP50 = Double.parseDouble(summary.group(4));
    double pushP99 = Double.parseDouble(summary.group(5));
    double problemP99 = Double.parseDouble(summary.group(6));
    double restP99 = Double.parseDouble(summary.group(7));
    assertThat(ingest).isPositive();
    assertThat(broker).isPositive();
    assertThat(ratio).isCloseTo(ingest / broker, org.assertj.core.data.Offset.offset(0.011));
    assertThat(pushP50).isPositive().isLessThanOrEqualTo(pushP99);
    // Sane, not fast: a shared CI machine may be slow, but not minutes slow.
    assertThat(pushP99).isLessThan(60_000);
    assertThat(problemP99).isPositive().isLessThan(60_000);
    assertThat(restP99).isPositive().isLessThan(60_000);
  }

  static final Pattern SCALE =
      Pattern.compile(
          "scale: rows=(\\d+) devices=(\\d+) ingest_ratio_full_vs_empty=(\\d+\\.\\d\\d)"
              + " history_p99_ms=(\\d+\\.\\d) start_s=(\\d+\\.\\d\\d)"
              + " bytes_per_msg=(\\d+\\.\\d) purge_ingest_ratio=(\\d+\\.\\d\\d)"
              + " heap_mb=(\\d+) warm_start_s=(\\d+\\.\\d\\d) crash_start_s=(\\d+\\.\\d\\d)");

  /**
   * The scale mode on a tiny store, as its wiring check (docs/decisions/035): the curve's two ends
   * and one round of each comparison — the same code paths as the default's four points and three
   * rounds, which {@link #theCurveDoublesUpToAllRows} covers —, every point measured, the summary
   * line last and in shape.
   */
  @Test
  @Tag("slow")
  void scaleModeGrowsTheStoreAndEndsWithTheScaleLine() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit =
        new CommandLine(new Bench(new PrintStream(out, true, StandardCharsets.UTF_8)))
            .execute(
                "--scale",
                "--scale-rows",
                "4000",
                "--scale-devices",
                "200",
                "--flat-seconds",
                "1",
                "--scale-points",
                "2",
                "--scale-rounds",
                "1");
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();

    assertThat(exit).as("exit code; output:%n%s", String.join("\n", lines)).isZero();
    assertThat(lines)
        .filteredOn(l -> l.startsWith("bench: scale point"))
        .extracting(l -> l.split(" ")[3])
        .containsExactly("rows=0", "rows=4000");
    assertThat(lines)
        .filteredOn(l -> l.matches("bench: scale purge round 1 deleted=400 rows .*"))
        .hasSize(1);
    assertThat(lines).filteredOn(l -> l.startsWith("bench: scale round ")).hasSize(1);
    String last = lines.get(lines.size() - 1);
    Matcher scale = SCALE.matcher(last);
    assertThat(scale.matches()).as("last line: %s", last).isTrue();
    assertThat(Long.parseLong(scale.group(1))).isEqualTo(4000);
    assertThat(Long.parseLong(scale.group(2))).isEqualTo(200);
    assertThat(Double.parseDouble(scale.group(3))).isPositive();
    assertThat(Double.parseDouble(scale.group(6))).isPositive();
    assertThat(Double.parseDouble(scale.group(5))).as("start_s").isPositive();
    assertThat(Double.parseDouble(scale.group(10))).as("crash_start_s").isPositive();
  }

  @Test
  void theCurveDoublesUpToAllRows() {
    assertThat(ScaleLeg.targets(4000, ScaleLeg.POINTS)).containsExactly(0, 1000, 2000, 4000);
    assertThat(ScaleLeg.targets(4000, 3)).containsExactly(0, 2000, 4000);
    assertThat(ScaleLeg.targets(4000, 2)).containsExactly(0, 4000);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--sensors many             | --sensors",
        "--sensors 20 --tubes 10    | 3 to 9999 sensors",
        "--rate 0                   | --rate",
        "--short --soak             | exclude each other",
        "--connections 0            | --connections",
        "--scale --short            | --scale excludes",
        "--scale --scale-rows 0     | --scale-rows",
        "--scale-devices 10         | --scale-devices",
        "--rounds 0                 | --rounds",
        "--scale --scale-points 1   | --scale-points",
        "--scale-points 11          | --scale-points",
        "--scale --scale-rounds 0   | --scale-rounds",
        "--scale-rounds 21          | --scale-rounds"
      })
  void badOptionsAreRefusedWithTheReasonAndExitCode2BeforeAnythingStarts(
      String options, String reason) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CommandLine command = new CommandLine(new Bench(new PrintStream(out)));
    command.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));

    int exit = command.execute(options.trim().split("\\s+"));

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains(reason).contains("Usage");
    assertThat(out.toString(StandardCharsets.UTF_8)).as("nothing ran").isEmpty();
  }
}
