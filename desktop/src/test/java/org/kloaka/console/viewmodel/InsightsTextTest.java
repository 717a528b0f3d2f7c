package org.kloaka.console.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;
import org.kloaka.model.PairInsights;
import org.kloaka.model.ProblemType;
import org.kloaka.model.SensorId;

/** The texts of Hot spots, the shift and the exports' status line, without a toolkit. */
class InsightsTextTest {

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void recordsAreSplitByRfc4180QuotedLineBreaksAndDoubledQuotesIncluded() {
    assertThat(CsvExport.records(bytes(""))).isZero();
    assertThat(CsvExport.records(bytes("a,b\r\n"))).as("a header alone").isZero();
    CsvExport.Table table =
        CsvExport.split(bytes("a,b\r\n1,\"two\r\nlines, \"\"quoted\"\"\"\r\n3,x\r\n"));
    assertThat(new String(table.header(), StandardCharsets.UTF_8)).isEqualTo("a,b\r\n");
    assertThat(table.records()).hasSize(2);
    assertThat(CsvExport.fields(table.records().get(0)))
        .containsExactly("1", "two\r\nlines, \"quoted\"");
    assertThat(CsvExport.fields(table.records().get(1))).containsExactly("3", "x");
    assertThat(CsvExport.split(bytes("a,b\r\n1,2")).records())
        .as("no CRLF after the last: one is added")
        .singleElement()
        .satisfies(r -> assertThat(new String(r, StandardCharsets.UTF_8)).isEqualTo("1,2\r\n"));
    assertThat(CsvExport.fields(bytes(",,\r\n"))).containsExactly("", "", "");
    assertThat(CsvExport.field(bytes("a\r\n"), 3)).isEmpty();
  }

  @Test
  void writeFailuresAreSaidInWords() {
    assertThat(CsvExport.whyNot(new AccessDeniedException("/x"))).isEqualTo("permission denied");
    assertThat(CsvExport.whyNot(new NoSuchFileException("/x/y")))
        .isEqualTo("the folder does not exist");
    assertThat(CsvExport.whyNot(new FileSystemException("/f/y", null, "Not a directory")))
        .isEqualTo("Not a directory");
    assertThat(CsvExport.whyNot(new IOException("disk full"))).isEqualTo("disk full");
  }

  @Test
  void durationsReadToTheMinuteAndNoneIsADash() {
    assertThat(HotSpotsViewModel.duration(null)).isEqualTo("—");
    assertThat(HotSpotsViewModel.duration(45L)).isEqualTo("45 s");
    assertThat(HotSpotsViewModel.duration(12 * 60L + 5)).isEqualTo("12 min");
    assertThat(HotSpotsViewModel.duration(3 * 3600L)).isEqualTo("3 h");
    assertThat(HotSpotsViewModel.duration(3 * 3600L + 20 * 60)).isEqualTo("3 h 20 min");
    assertThat(HotSpotsViewModel.duration(2 * 86_400L + 4 * 3600 + 59)).isEqualTo("2 d 4 h");
  }

  @Test
  void pairsReadWithTheirNamesWhereTheNetworkFileHasThem() {
    PairInsights.Row named =
        new PairInsights.Row(
            "2223",
            ProblemType.OBSTRUCTION,
            SensorId.parse("22"),
            SensorId.parse("23"),
            new PairInsights.Names("Viale Trastevere", null),
            3,
            10,
            5,
            5,
            null,
            null,
            1);
    assertThat(HotSpotsViewModel.pairText(named)).isEqualTo("22 · Viale Trastevere → 23");
    PairInsights.Row silent =
        new PairInsights.Row(
            "23", ProblemType.SILENT, SensorId.parse("23"), null, null, 1, 1, 1, 1, null, null, 1);
    assertThat(HotSpotsViewModel.pairText(silent)).isEqualTo("23 (silent)");
    assertThat(ShiftViewModel.withoutNames("22 · Viale Trastevere → 23 · Piazza Mastai"))
        .isEqualTo("22 → 23");
    assertThat(ShiftViewModel.withoutNames("23 · Piazza Mastai (silent)")).isEqualTo("23 (silent)");
    assertThat(ShiftViewModel.withoutNames("3-14 → 3-15")).isEqualTo("3-14 → 3-15");
  }
}
