package org.kloaka.console.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Export…" without a toolkit, against a backend that answers a history as the real one does (the
 * newest {@code limit} readings with {@code since ≤ dt ≤ until}, oldest first, at most 10,000): a
 * history longer than one page is paged through whole, readings that share a page's boundary second
 * included once; one that cannot be (more than a page in one second) says plainly where it was cut;
 * a filtered list keeps only its rows; success is information, failure an error.
 */
class ExportFilesTest {

  @TempDir Path folder;
  final FakeBackend backend = new FakeBackend();
  final List<String> info = new ArrayList<>();
  final List<String> errors = new ArrayList<>();
  Path target;

  @BeforeEach
  void target() {
    target = folder.resolve("out.csv");
  }

  CsvExport export(Path file) {
    return new CsvExport(
        backend, Runnable::run, info::add, errors::add, (title, name) -> Optional.of(file));
  }

  /** One sensor's readings, oldest first: {dt, filling} with a sequence number as the filling. */
  static List<long[]> readings(long... dts) {
    List<long[]> list = new ArrayList<>();
    for (int i = 0; i < dts.length; i++) {
      list.add(new long[] {dts[i], i});
    }
    return list;
  }

  /** Serves {@code /devices/ID/measurements?since&until&limit} as CSV from {@code history}. */
  void serve(Map<String, List<long[]>> history) {
    backend.csv =
        path -> {
          String id = path.substring("/devices/".length(), path.indexOf("/measurements"));
          Map<String, String> query = new HashMap<>();
          for (String kv : path.substring(path.indexOf('?') + 1).split("&")) {
            query.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
          }
          long since = Long.parseLong(query.get("since"));
          long until = Long.parseLong(query.get("until"));
          int limit = Math.min(CsvExport.PAGE, Integer.parseInt(query.get("limit")));
          List<long[]> in = new ArrayList<>();
          for (long[] r : history.get(id)) {
            if (r[0] >= since && r[0] <= until) {
              in.add(r);
            }
          }
          List<long[]> page = in.subList(Math.max(0, in.size() - limit), in.size());
          StringBuilder rows = new StringBuilder("id,filling,dt\r\n");
          for (long[] r : page) {
            rows.append(id).append(',').append(r[1]).append(',').append(r[0]).append("\r\n");
          }
          return rows.toString();
        };
  }

  List<String> lines() throws Exception {
    return List.of(Files.readString(target, StandardCharsets.UTF_8).split("\r\n"));
  }

  @Test
  void aHistoryOfSeveralPagesIsExportedWholeAndReadingsOfABoundarySecondOnce() throws Exception {
    // 25,003 readings, one a second, except that the seconds where the first and second pages
    // end hold four readings each: a page boundary falls inside each of them.
    int n = 25_003;
    long[] dts = new long[n];
    for (int i = 0; i < n; i++) {
      dts[i] = 1_000_000 + i;
    }
    for (int k : new int[] {n - 10_000, n - 20_000 + 3}) {
      for (int j = -2; j <= 1; j++) {
        dts[k + j] = dts[k - 2];
      }
    }
    List<long[]> history = readings(dts);
    serve(Map.of("02", history, "03", readings(1_000_000, 1_000_001)));

    export(target)
        .export(
            "the history of 02 and 03",
            List.of(
                CsvExport.Part.history(
                    "02", Instant.ofEpochSecond(0), Instant.ofEpochSecond(2_000_000)),
                CsvExport.Part.history(
                    "03", Instant.ofEpochSecond(0), Instant.ofEpochSecond(2_000_000))),
            "h.csv");

    List<String> lines = lines();
    assertThat(lines.get(0)).isEqualTo("id,filling,dt");
    List<String> expected = new ArrayList<>();
    for (long[] r : history) {
      expected.add("02," + r[1] + "," + r[0]);
    }
    expected.add("03,0,1000000");
    expected.add("03,1,1000001");
    assertThat(lines.subList(1, lines.size())).containsExactlyElementsOf(expected);
    assertThat(backend.calls.stream().filter(c -> c.contains("/devices/02/"))).hasSize(3);
    assertThat(errors).isEmpty();
    assertThat(info)
        .containsExactly(
            "Exporting the history of 02 and 03…",
            "Exported the history of 02 and 03: " + (n + 2) + " rows to " + target);
  }

  @Test
  void aPageFullOfOneSecondIsCutAndTheStatusLineSaysWhere() throws Exception {
    long[] dts = new long[CsvExport.PAGE + 5];
    for (int i = 0; i < dts.length; i++) {
      dts[i] = i < 5 ? 1_000 + i : 2_000; // 10,000 readings in second 2000, five before
    }
    serve(Map.of("02", readings(dts)));

    export(target)
        .export(
            "the history of 02",
            List.of(
                CsvExport.Part.history(
                    "02", Instant.ofEpochSecond(0), Instant.ofEpochSecond(3_000))),
            "h.csv");

    assertThat(lines()).hasSize(1 + CsvExport.PAGE);
    assertThat(errors)
        .containsExactly(
            "Exported the history of 02: 10000 rows to "
                + target
                + " — cut: 02's readings before "
                + Instant.ofEpochSecond(2_000)
                + " (more than 10000 in one second) were not exported");
  }

  @Test
  void aFilteredListKeepsOnlyTheRowsShownAndAFailureIsAnError() throws Exception {
    backend.csv =
        path ->
            "problem_id,problem,timeline\r\n0102,OBSTRUCTION,\"a\r\nb\"\r\n0203,PROBLEM,x\r\n"
                + "0304,OBSTRUCTION,\"say \"\"hi\"\"\"\r\n";
    export(target)
        .export(
            "the 2 problems shown",
            List.of(CsvExport.Part.only("/problems", "problem_id", Set.of("0102", "0304"))),
            "p.csv");
    assertThat(Files.readString(target))
        .isEqualTo(
            "problem_id,problem,timeline\r\n0102,OBSTRUCTION,\"a\r\nb\"\r\n"
                + "0304,OBSTRUCTION,\"say \"\"hi\"\"\"\r\n");
    assertThat(info).last().isEqualTo("Exported the 2 problems shown: 2 rows to " + target);

    backend.failure = new org.kloaka.console.client.BackendException(503, "busy");
    export(target).exportRoutes("problems", List.of("/problems"), "p.csv");
    assertThat(errors).singleElement().asString().startsWith("Export of problems failed: ");
  }
}
