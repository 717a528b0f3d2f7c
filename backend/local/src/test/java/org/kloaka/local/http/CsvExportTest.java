package org.kloaka.local.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kloaka.local.RunningRuntime.get;
import static org.kloaka.local.RunningRuntime.patch;
import static org.kloaka.local.RunningRuntime.request;
import static org.kloaka.local.RunningRuntime.send;
import static org.kloaka.local.RunningRuntime.submit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.api.Json;
import org.kloaka.local.LocalRuntime;
import org.kloaka.local.RunningRuntime;
import org.kloaka.testing.TestClock;

/**
 * The CSV exports (docs/api.md, "CSV") over real sockets, read back with Apache Commons CSV in its
 * strict RFC 4180 mode: every row and field of the JSON answer of the same call comes back, a text
 * that a spreadsheet would run as a formula with a leading apostrophe (decision 030).
 */
class CsvExportTest {

  static final long T = 1_795_860_000L;
  static final String NASTY =
      "=HYPERLINK(\"http://x\",\"click\"), then a \"quote\",\r\na second line; ü € 漢字";

  @TempDir Path dir;
  final TestClock clock = TestClock.atEpochSecond(T);
  LocalRuntime runtime;

  @BeforeEach
  void start() {
    runtime = RunningRuntime.startWithoutMqtt(dir, clock);
  }

  @AfterEach
  void stop() {
    runtime.close();
  }

  @Test
  void problemsRoundTripThroughARealCsvParserWithNotesThatNeedQuotingAndEscaping()
      throws Exception {
    submit(runtime, "01", "100");
    submit(runtime, "02", "50");
    submit(runtime, "11", "0");
    submit(runtime, "12", "100");
    clock.forward(Duration.ofMinutes(10));
    String body =
        Json.newMapper().writeValueAsString(Map.of("problem_status", "RESOLVED", "note", NASTY));
    assertThat(patch(runtime, "/problems/0102", body).statusCode()).isEqualTo(200);

    JsonNode json = get(runtime, "/problems").path("problems");
    assertThat(json).hasSize(2);
    List<CSVRecord> byAccept = csv(runtime, "/problems", true);
    List<CSVRecord> byParameter = csv(runtime, "/problems?format=csv", false);
    assertSameRows(json, byAccept, Map.of());
    assertSameRows(json, byParameter, Map.of());
    CSVRecord resolved =
        byAccept.stream().filter(r -> r.get("problem_id").equals("0102")).findFirst().orElseThrow();
    assertThat(resolved.get("note")).isEqualTo("'" + NASTY);
    // The timeline cell holds the note as it is: it does not start the cell.
    assertThat(resolved.get("timeline")).endsWith(" resolved by admin: " + NASTY);
  }

  @Test
  void aSensorsHistoryForARangeRoundTripsWithItsIdOnEveryRow() throws Exception {
    for (int i = 0; i < 30; i++) {
      submit(runtime, "3-14", String.valueOf(i * 3 + 0.5));
      clock.forward(Duration.ofMinutes(1));
    }
    String range = "/devices/3-14/measurements?since=" + (T + 300) + "&until=" + (T + 1200);
    JsonNode json = get(runtime, range).path("measurements");
    assertThat(json).hasSize(16);
    List<CSVRecord> rows = csv(runtime, range, true);
    assertSameRows(json, rows, Map.of("id", "3-14"));
    assertThat(rows.get(0).get("dt")).isEqualTo(String.valueOf(T + 300));
    assertThat(rows.get(15).get("filling")).isEqualTo("60.5");
  }

  @Test
  void rejectsRoundTripWithPayloadsThatAreFormulasQuotesAndLineBreaks() throws Exception {
    List<String> payloads =
        List.of(
            "=cmd|' /C calc'!A0",
            "{\"id\": \"01\", \"filling\": \"lots\"}",
            "-1+1",
            "@SUM(1,2)",
            "two\nlines, \"quoted\"",
            "plain");
    for (String payload : payloads) {
      runtime.pipeline().submit(payload.getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
      clock.forward(Duration.ofSeconds(1));
    }
    JsonNode json = get(runtime, "/rejects").path("rejects");
    assertThat(json).hasSize(payloads.size());
    List<CSVRecord> rows = csv(runtime, "/rejects?format=csv", false);
    assertSameRows(json, rows, Map.of());
    assertThat(rows).extracting(r -> r.get("payload")).contains("'=cmd|' /C calc'!A0", "plain");
  }

  @Test
  void aPairsTimelineRoundTripsWithCommentsThatNeedQuotingAndTheShiftsColumns() throws Exception {
    submit(runtime, "01", "100");
    submit(runtime, "02", "50");
    clock.forward(Duration.ofMinutes(3));
    assertThat(patch(runtime, "/problems/0102", "{\"acknowledged\": true}").statusCode())
        .isEqualTo(200);
    String comment = Json.newMapper().writeValueAsString(Map.of("note", NASTY));
    HttpResponse<String> commented =
        send(
            runtime,
            request(runtime, "/problems/0102/comments")
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(comment)));
    assertThat(commented.statusCode()).isEqualTo(201);
    clock.forward(Duration.ofMinutes(7));
    assertThat(patch(runtime, "/problems/0102", "{\"problem_status\": \"RESOLVED\"}").statusCode())
        .isEqualTo(200);

    JsonNode json = get(runtime, "/problems/0102/events").path("events");
    List<CSVRecord> byParameter = csv(runtime, "/problems/0102/events?format=csv", false);
    List<CSVRecord> byAccept = csv(runtime, "/problems/0102/events?limit=2", true);
    assertSameRows(json, byParameter, Map.of());
    assertThat(byParameter.get(0).getParser().getHeaderNames())
        .containsExactly("problem_id", "type", "time", "by", "note", "problem_time", "problem");
    assertThat(byParameter)
        .extracting(r -> r.get("type"))
        .containsExactly("opened", "acknowledged", "comment", "resolved");
    assertThat(byParameter.get(2).get("note")).isEqualTo("'" + NASTY);
    assertThat(byParameter.get(1).get("time")).isEqualTo(String.valueOf(T + 180));
    // limit keeps the most recent events, oldest first, as in JSON.
    assertSameRows(
        get(runtime, "/problems/0102/events?limit=2").path("events"), byAccept, Map.of());
    assertThat(byAccept).extracting(r -> r.get("type")).containsExactly("comment", "resolved");
  }

  @Test
  void aTimelineExportRefusesBadInputAsJsonErrors() throws Exception {
    submit(runtime, "01", "100");
    submit(runtime, "02", "50");
    Map<String, Integer> cases =
        Map.of(
            "/problems/0102/events?format=xlsx", 400,
            "/problems/0102/events?format=csv&limit=0", 400,
            "/problems/0102/events?format=csv&limit=10001", 400,
            "/problems/0102/events?format=csv&since=5", 400,
            "/problems/0909/events?format=csv", 404);
    for (Map.Entry<String, Integer> c : cases.entrySet()) {
      HttpResponse<String> answer =
          send(runtime, request(runtime, c.getKey()).header("Accept", "text/csv").GET());
      assertThat(answer.statusCode()).as(c.getKey()).isEqualTo(c.getValue());
      assertThat(answer.headers().firstValue("Content-Type"))
          .as(c.getKey())
          .hasValue("application/json; charset=utf-8");
      assertThat(Json.newMapper().readTree(answer.body()).path("error").asText())
          .as(c.getKey())
          .isNotBlank();
    }
  }

  @Test
  void devicesExportAndEmptyListsStillHaveTheirHeaderRow() throws Exception {
    HttpResponse<String> empty = send(runtime, request(runtime, "/rejects?format=csv").GET());
    assertThat(empty.statusCode()).isEqualTo(200);
    assertThat(empty.body()).isEqualTo("reason,received,payload\r\n");

    submit(runtime, "01", "100");
    submit(runtime, "02", "25");
    assertSameRows(
        get(runtime, "/devices").path("devices"), csv(runtime, "/devices", true), Map.of());
  }

  @Test
  void aBadFormatIsABadRequestAndJsonStaysTheDefault() throws Exception {
    HttpResponse<String> bad = send(runtime, request(runtime, "/problems?format=xlsx").GET());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(Json.newMapper().readTree(bad.body()).path("error").asText())
        .contains("format must be csv or json");
    HttpResponse<String> notAList = send(runtime, request(runtime, "/network?format=csv").GET());
    assertThat(notAList.statusCode()).isEqualTo(400);

    HttpResponse<String> json =
        send(runtime, request(runtime, "/problems").header("Accept", "*/*").GET());
    assertThat(json.headers().firstValue("Content-Type"))
        .hasValue("application/json; charset=utf-8");
    assertThat(json.headers().firstValue("Vary")).hasValue("Accept");
  }

  /** GETs {@code target} as CSV, checks the headers and parses the body strictly. */
  static List<CSVRecord> csv(LocalRuntime runtime, String target, boolean byAccept)
      throws Exception {
    var builder = request(runtime, target);
    if (byAccept) {
      builder.header("Accept", "text/csv");
    }
    HttpResponse<byte[]> response =
        java.net.http.HttpClient.newHttpClient()
            .send(builder.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("text/csv; charset=utf-8; header=present");
    assertThat(response.headers().firstValue("Content-Disposition").orElse(""))
        .startsWith("attachment; filename=");
    byte[] body = response.body();
    assertThat(body.length).isGreaterThan(3);
    assertThat(body[0]).as("no byte order mark").isNotEqualTo((byte) 0xEF);
    String text = new String(body, StandardCharsets.UTF_8);
    assertThat(text).endsWith("\r\n");
    CSVFormat strict = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build();
    try (CSVParser parser = CSVParser.parse(new StringReader(text), strict)) {
      List<CSVRecord> records = new ArrayList<>(parser.getRecords());
      for (CSVRecord record : records) {
        assertThat(record.isConsistent()).as("every row has every column").isTrue();
      }
      return records;
    }
  }

  /**
   * Each CSV row is the JSON row of the same position: a column is the JSON field of its name, or
   * {@code parent_field} of a nested object, or a fixed value from {@code constants}.
   */
  static void assertSameRows(JsonNode json, List<CSVRecord> rows, Map<String, String> constants) {
    assertThat(rows).hasSize(json.size());
    for (int i = 0; i < rows.size(); i++) {
      CSVRecord row = rows.get(i);
      JsonNode expected = json.get(i);
      for (String column : row.getParser().getHeaderNames()) {
        if (column.equals("timeline") && !expected.has(column)) {
          // Only in the export: the occurrence's events, the first its opening.
          assertThat(row.get(column))
              .as("row %d, timeline", i)
              .startsWith(
                  java.time.Instant.ofEpochSecond(expected.path("problem_time").asLong())
                      + " opened "
                      + expected.path("problem").asText());
          continue;
        }
        String want =
            constants.containsKey(column) ? constants.get(column) : cellOf(field(expected, column));
        assertThat(row.get(column)).as("row %d, column %s", i, column).isEqualTo(want);
      }
    }
  }

  static JsonNode field(JsonNode row, String column) {
    if (row.has(column)) {
      return row.get(column);
    }
    int underscore = column.indexOf('_');
    return underscore < 0
        ? null
        : row.path(column.substring(0, underscore)).get(column.substring(underscore + 1));
  }

  /** What a JSON value becomes as a CSV field, by the rules of decision 030. */
  static String cellOf(JsonNode value) {
    if (value == null || value.isNull()) {
      return "";
    }
    if (value.isNumber()) {
      return value.asText();
    }
    String text = value.asText();
    return !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
  }
}
