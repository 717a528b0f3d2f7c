package org.kloaka.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The benchmark's scale mode on a tiny store. A class of its own so that it runs in the other test
 * JVM beside {@link BenchTest}'s short mode: each starts runtimes with their MQTT broker, which one
 * JVM can only do one after another (docs/decisions/014).
 */
@Tag("slow")
class BenchScaleTest {

  static final Pattern SCALE =
      Pattern.compile(
          "scale: rows=(\\d+) devices=(\\d+) ingest_ratio_full_vs_empty=(\\d+\\.\\d\\d)"
              + " history_p99_ms=(\\d+\\.\\d) start_s=(\\d+\\.\\d\\d)"
              + " bytes_per_msg=(\\d+\\.\\d) purge_ingest_ratio=(\\d+\\.\\d\\d)"
              + " heap_mb=(\\d+)");

  /** The scale mode on a tiny store: every point measured, the summary line last and in shape. */
  @Test
  void scaleModeGrowsTheStoreAndEndsWithTheScaleLine() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit =
        new CommandLine(new Bench(new PrintStream(out, true, StandardCharsets.UTF_8)))
            .execute(
                "--scale", "--scale-rows", "4000", "--scale-devices", "200", "--flat-seconds", "1");
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();

    assertThat(exit).as("exit code; output:%n%s", String.join("\n", lines)).isZero();
    assertThat(lines).filteredOn(l -> l.startsWith("bench: scale point")).hasSize(4);
    assertThat(lines).filteredOn(l -> l.startsWith("bench: scale purge deleted=400 ")).hasSize(1);
    String last = lines.get(lines.size() - 1);
    Matcher scale = SCALE.matcher(last);
    assertThat(scale.matches()).as("last line: %s", last).isTrue();
    assertThat(Long.parseLong(scale.group(1))).isEqualTo(4000);
    assertThat(Long.parseLong(scale.group(2))).isEqualTo(200);
    assertThat(Double.parseDouble(scale.group(3))).isPositive();
    assertThat(Double.parseDouble(scale.group(6))).isPositive();
  }
}
