package org.kloaka.console.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TableRow;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.api.Json;
import org.kloaka.console.ConsoleSession;
import org.kloaka.console.ConsoleWindow;
import org.kloaka.console.client.BackendClient;
import org.kloaka.console.viewmodel.ConsoleViewModel;
import org.kloaka.console.viewmodel.CsvExport;
import org.kloaka.console.viewmodel.DetailsViewModel;
import org.kloaka.console.viewmodel.HistoryRange;
import org.kloaka.console.viewmodel.Selection;
import org.kloaka.console.viewmodel.ShiftViewModel;
import org.kloaka.core.Organizer;
import org.kloaka.local.LocalRuntime;
import org.kloaka.model.PairInsights;
import org.kloaka.model.SensorId;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Hot spots, the shift and "Export…" against a real runtime: the ranking as the backend computes
 * it, kept current by problem pushes, a click that opens the pair on the line; the shift's summary
 * and its custom span; every export fetched over HTTP as CSV, written where the (injected) chooser
 * said, and read back with a strict RFC 4180 parser; failures said plainly.
 */
@ExtendWith(ApplicationExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InsightsUiTest {

  static final String NETWORK =
      "{\"tubes\": [{\"id\": \"0\", \"name\": \"Via Roma trunk\", \"sensors\": ["
          + "{\"id\": \"01\", \"name\": \"Manhole 14\"}, {\"id\": \"02\", \"name\": \"Piazza"
          + " Mastai\"}, {\"id\": \"03\", \"name\": \"Ponte Sisto\"}]}]}";

  @TempDir static Path data;
  static final ObjectMapper json = Json.newMapper();
  static final HttpClient http = HttpClient.newHttpClient();
  static ConsoleSession session;
  static ConsoleViewModel console;
  static LocalRuntime runtime;

  /**
   * One window for the class's tests, run in order; each brings the backend to the occurrences it
   * needs ({@code occurrences(n)}), so one can also run alone. Deadlines are generous (60–90 s): CI
   * runs the benchmark's module beside this one on two cores, and one run saw the FX thread answer
   * a query only after more than 10 s.
   */
  static ConsoleWindow window;

  @BeforeAll
  static void runtime() throws Exception {
    session = UiTestSupport.embedded(data, NETWORK);
    console = session.viewModel();
    runtime = session.owned(LocalRuntime.class);
  }

  @Start
  void start(Stage stage) {
    boolean first = window == null;
    if (first) {
      window = new ConsoleWindow(console, null, 1280, 860);
    }
    window.show(stage, console, () -> {});
    if (first) {
      session.start();
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (session != null) {
      session.close();
    }
    FxToolkit.cleanupStages(); // the next test class's lookups must not find this window
  }

  static void reading(String id, Object filling) throws Exception {
    runtime
        .pipeline()
        .submit(json.writeValueAsBytes(Map.of("id", id, "filling", filling)))
        .get(60, TimeUnit.SECONDS);
  }

  static HttpResponse<String> call(String method, String path, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(runtime.httpUri() + path))
            .header("Authorization", "Bearer " + runtime.token())
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode get(String path) throws Exception {
    HttpResponse<String> answer = call("GET", path, null);
    assertThat(answer.statusCode()).as(path + " " + answer.body()).isEqualTo(200);
    return json.readTree(answer.body());
  }

  /**
   * One more occurrence of 02 → 03: the open one resolved by admin, then a low reading. The backend
   * must have opened it (a new {@code problem_time}) before the console is asked anything.
   */
  static void anotherOccurrence(int filling) throws Exception {
    long before = get("/problems/0203").path("problem_time").asLong();
    HttpResponse<String> resolved =
        call("PATCH", "/problems/0203", "{\"problem_status\": \"RESOLVED\", \"note\": \"rodded\"}");
    assertThat(resolved.statusCode()).as(resolved.body()).isEqualTo(200);
    reading("03", filling);
    JsonNode now = get("/problems/0203");
    assertThat(now.path("problem_status").asText()).as(now.toString()).isEqualTo("UNRESOLVED");
    assertThat(now.path("problem_time").asLong()).as(now.toString()).isGreaterThan(before);
  }

  /**
   * Brings 02 → 03 to {@code n} occurrences in the backend (the first from readings, the rest by
   * {@link #anotherOccurrence}), so that each test finds the state it needs also when run alone or
   * after an earlier one failed; counted from the backend's own timeline.
   */
  static void occurrences(int n) throws Exception {
    if (call("GET", "/problems/0203", null).statusCode() == 404) {
      reading("01", 100);
      reading("02", 100);
      reading("03", 40); // an obstruction on 02 → 03
    }
    int filling = 30;
    while (openings() < n) {
      anotherOccurrence(filling++);
    }
  }

  static int openings() throws Exception {
    int opened = 0;
    for (JsonNode e : get("/problems/0203/events").path("events")) {
      opened += "opened".equals(e.path("type").asText()) ? 1 : 0;
    }
    return opened;
  }

  void clickTab(FxRobot robot, String text) {
    robot.clickOn(
        robot
            .from(window.scene().getRoot())
            .lookup(".tab-label")
            .match((Label l) -> text.equals(l.getText()))
            .queryAs(Label.class));
  }

  static Node rowOf(FxRobot robot, Node table, Class<?> item) {
    await()
        .atMost(60, TimeUnit.SECONDS)
        .until(
            () ->
                robot
                    .from(table)
                    .lookup(".table-row-cell")
                    .match((TableRow<?> r) -> item.isInstance(r.getItem()))
                    .tryQuery()
                    .isPresent());
    return robot
        .from(table)
        .lookup(".table-row-cell")
        .match((TableRow<?> r) -> item.isInstance(r.getItem()))
        .query();
  }

  static int occurrencesShown() throws Exception {
    List<PairInsights.Row> rows = shownRows();
    return rows.isEmpty() ? 0 : rows.get(0).occurrences();
  }

  /** The hot spots shown, read on the FX thread. */
  static List<PairInsights.Row> shownRows() throws Exception {
    return WaitForAsyncUtils.asyncFx(() -> List.copyOf(window.insights().hotSpots().rows()))
        .get(60, TimeUnit.SECONDS);
  }

  @Test
  @Order(1)
  void hotSpotsRankAsTheBackendDoesFollowPushesAndAClickOpensThePairOnTheLine(FxRobot robot)
      throws Exception {
    await().atMost(90, TimeUnit.SECONDS).until(() -> console.status().live().get());
    occurrences(1);
    await().atMost(60, TimeUnit.SECONDS).until(() -> console.problems().activeCount().get() == 1);
    occurrences(2);

    clickTab(robot, "Hot spots");
    await().atMost(90, TimeUnit.SECONDS).until(() -> occurrencesShown() == 2);
    JsonNode backend = get("/insights/pairs?days=30").path("pairs");
    List<PairInsights.Row> shown = shownRows();
    assertThat(shown).hasSize(backend.size()).hasSize(1);
    PairInsights.Row row = shown.get(0);
    assertThat(row.problemId()).isEqualTo(backend.get(0).path("problem_id").asText());
    // Unresolved time grows to "now": the later answer has at least as much.
    // (0 when the test ran within one second: it runs on the real clock.)
    assertThat(row.openS())
        .isNotNegative()
        .isLessThanOrEqualTo(backend.get(0).path("open_s").asLong());
    assertThat(row.lastProblemTime()).isEqualTo(backend.get(0).path("last_problem_time").asLong());
    assertThat(row.medianResolveS()).isEqualTo(backend.get(0).path("median_resolve_s").asLong());
    assertThat(robot.lookup("#hot-spots-state").queryAs(Label.class).getText())
        .startsWith("1 pair with problems in the last 30 days");
    Node tableRow = rowOf(robot, window.insights().hotSpotsView().table(), PairInsights.Row.class);
    List<String> cells = new ArrayList<>();
    robot
        .from(tableRow)
        .lookup(".table-cell")
        .queryAll()
        .forEach(c -> cells.add(((javafx.scene.control.Labeled) c).getText()));
    assertThat(cells).contains("1", "O", "02 · Piazza Mastai → 03 · Ponte Sisto", "2");

    // Another window: the backend is asked again.
    robot.interact(() -> window.insights().hotSpots().days().set(7));
    await()
        .atMost(60, TimeUnit.SECONDS)
        .until(
            () ->
                robot
                    .lookup("#hot-spots-state")
                    .queryAs(Label.class)
                    .getText()
                    .contains("in the last 7 days"));

    // Live: a third occurrence while the tab is shown, without pressing Refresh.
    occurrences(3);
    await().atMost(90, TimeUnit.SECONDS).until(() -> occurrencesShown() == 3);

    // A click opens the pair on the line, with its pair chart below.
    robot.clickOn(rowOf(robot, window.insights().hotSpotsView().table(), PairInsights.Row.class));
    await()
        .atMost(60, TimeUnit.SECONDS)
        .until(() -> new Selection.Pair("0203").equals(console.selection().get()));
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(window.view().tabs().getSelectionModel().getSelectedItem().getText())
        .isEqualTo("Line");
    assertThat(console.details().mode().get()).isEqualTo(DetailsViewModel.Mode.PAIR);
    assertThat(console.details().charted().get())
        .containsExactly(SensorId.parse("02"), SensorId.parse("03"));
  }

  @Test
  @Order(2)
  void theShiftSaysWhatOpenedAndWasResolvedByWhomAndTakesACustomSpan(FxRobot robot)
      throws Exception {
    await().atMost(90, TimeUnit.SECONDS).until(() -> console.status().live().get());
    occurrences(3);
    HttpResponse<String> comment =
        call("POST", "/problems/0203/comments", "{\"note\": \"crew 3, grate at Ponte Sisto\"}");
    assertThat(comment.statusCode()).as(comment.body()).isEqualTo(201);
    clickTab(robot, "Shift");
    ShiftViewModel shift = window.insights().shift();
    await().atMost(60, TimeUnit.SECONDS).until(() -> shift.summary().get().contains(" comment"));
    String summary = shift.summary().get();
    assertThat(summary)
        .contains("3 opened")
        .contains("2 acknowledged")
        .contains("1 comment")
        .contains("2 resolved")
        .endsWith(" — opened and not resolved in the span: 02 → 03");
    assertThat(shift.byWhom().get())
        .isEqualTo("By whom — admin: 2 acknowledged, 1 comment, 2 resolved");
    List<ShiftViewModel.Row> rows = List.copyOf(shift.rows());
    assertThat(rows).extracting(ShiftViewModel.Row::what).startsWith("opened OBSTRUCTION");
    assertThat(rows)
        .anyMatch(
            r ->
                r.what().equals("resolved") && r.by().equals("admin") && r.note().equals("rodded"));
    assertThat(robot.lookup("#shift-summary").queryAs(Label.class).getText()).isEqualTo(summary);

    // A custom span that cannot be read says how to write it, and asks nothing.
    robot.clickOn("#shift-from");
    robot.interact(() -> robot.lookup("#shift-from").queryTextInputControl().selectAll());
    robot.write("yesterday morning");
    robot.clickOn("#shift-show");
    await()
        .atMost(60, TimeUnit.SECONDS)
        .until(() -> shift.state().get().startsWith("From: write a time like "));
    assertThat(shift.span().get()).isEqualTo(ShiftViewModel.Span.CUSTOM);
    // One that reads: a span in the past, with nothing in it.
    robot.interact(
        () -> {
          shift.from().set("2020-01-01 06:00");
          shift.until().set("2020-01-01 14:00");
        });
    robot.clickOn("#shift-show");
    await()
        .atMost(60, TimeUnit.SECONDS)
        .until(
            () -> shift.summary().get().startsWith("2020-01-01 06:00 – 2020-01-01 14:00: nothing"));
    assertThat(shift.rows()).isEmpty();
    robot.interact(
        () -> {
          shift.from().set("2020-01-01 14:00");
          shift.until().set("2020-01-01 06:00");
        });
    robot.clickOn("#shift-show");
    await()
        .atMost(60, TimeUnit.SECONDS)
        .until(() -> shift.state().get().equals("Until is before From: nothing to show."));

    // Back to a preset; a double click on an event opens its pair on the line.
    robot.interact(() -> shift.span().set(ShiftViewModel.Span.LAST_12_H));
    await().atMost(60, TimeUnit.SECONDS).until(() -> !shift.rows().isEmpty());
    robot.interact(() -> console.selection().set(null));
    robot.doubleClickOn(
        rowOf(robot, window.insights().shiftView().table(), ShiftViewModel.Row.class),
        MouseButton.PRIMARY);
    await()
        .atMost(60, TimeUnit.SECONDS)
        .until(() -> new Selection.Pair("0203").equals(console.selection().get()));
  }

  @Test
  @Order(3)
  void everyExportIsTheBackendsCsvWrittenWhereChosenAndFailuresSayWhy(FxRobot robot)
      throws Exception {
    await().atMost(90, TimeUnit.SECONDS).until(() -> console.status().live().get());
    occurrences(3);
    HttpResponse<String> comment =
        call("POST", "/problems/0203/comments", "{\"note\": \"flushed, see photo\"}");
    assertThat(comment.statusCode()).as(comment.body()).isEqualTo(201);
    runtime
        .pipeline()
        .submit("=cmd|' /C calc'!A0".getBytes(StandardCharsets.UTF_8))
        .get(60, TimeUnit.SECONDS);
    Path folder = Files.createDirectories(data.resolve("exports"));
    CsvExport export = window.insights().export();
    Path[] next = {null};
    String[] suggested = {null};
    robot.interact(
        () ->
            export.chooser(
                (title, name) -> {
                  suggested[0] = name;
                  return Optional.ofNullable(next[0]);
                }));

    // The problem list.
    next[0] = folder.resolve("problems.csv");
    clickTab(robot, "Line");
    robot.clickOn("#export-problems");
    List<CSVRecord> problems = written(export, next[0], "problems");
    JsonNode expected = get("/problems").path("problems");
    assertThat(problems).hasSize(expected.size()).isNotEmpty();
    assertThat(problems.get(0).get("problem_id"))
        .isEqualTo(expected.get(0).path("problem_id").asText());
    assertThat(problems.get(0).get("timeline")).contains(" opened OBSTRUCTION");
    assertThat(console.status().message().get())
        .isEqualTo("Exported problems: " + rowsText(expected.size()) + " to " + next[0]);
    assertThat(console.status().messageIsInfo().get()).as("success is not an error").isTrue();
    assertThat(suggested[0]).startsWith("problems-2");

    // A filtered list exports what it shows, and says so: a PROBLEM on 01 → 02 joins the
    // obstruction on 02 → 03, and the list shows obstructions only.
    reading("01", 40);
    await().atMost(60, TimeUnit.SECONDS).until(() -> console.problems().rows().size() == 2);
    robot.interact(() -> console.problems().type().set(org.kloaka.model.ProblemType.OBSTRUCTION));
    await().atMost(60, TimeUnit.SECONDS).until(() -> console.problems().rows().size() == 1);
    next[0] = folder.resolve("problems-filtered.csv");
    robot.clickOn("#export-problems");
    List<CSVRecord> filtered =
        written(export, next[0], "the problem shown (filtered: OBSTRUCTION)");
    assertThat(filtered).extracting(r -> r.get("problem_id")).containsExactly("0203");
    assertThat(filtered.get(0).get("timeline")).contains(" opened OBSTRUCTION");
    assertThat(suggested[0]).startsWith("problems-filtered-obstruction-").endsWith(".csv");
    assertThat(get("/problems").path("problems").size()).isEqualTo(2);
    robot.interact(() -> console.problems().type().set(null));

    // A history longer than the backend's 10,000 per call is exported whole: 10,050 more readings
    // of 02 over the last six days (late ones: history only), each with its own second.
    int before02 = readingsOf("02", 0, Long.MAX_VALUE / 2);
    long now = System.currentTimeMillis() / 1000;
    List<java.util.concurrent.CompletableFuture<?>> stored = new ArrayList<>();
    for (int i = 0; i < 10_050; i++) {
      String at = java.time.Instant.ofEpochSecond(now - 3600 - 50L * i).toString();
      stored.add(
          runtime
              .pipeline()
              .submit(
                  ("{\"end_device_ids\": {\"device_id\": \"kloaka02\"}, \"received_at\": \""
                          + at
                          + "\", \"uplink_message\": {\"decoded_payload\": {\"filling\": "
                          + (50 + i % 50)
                          + "}}}")
                      .getBytes(StandardCharsets.UTF_8)));
    }
    for (var f : stored) {
      assertThat(f.get(60, TimeUnit.SECONDS)).isInstanceOf(Organizer.Outcome.Accepted.class);
    }

    // The pair's chart: both sensors' readings over the chart's range, one file.
    robot.interact(() -> console.selection().set(new Selection.Pair("0203")));
    robot.interact(() -> console.details().range().set(HistoryRange.WEEK));
    await()
        .atMost(60, TimeUnit.SECONDS)
        .until(
            () ->
                console.details().historyState().get().isEmpty()
                    && !console.details().history().isEmpty());
    long from = console.details().historyFrom().get().getEpochSecond();
    long until = console.details().historyUntil().get().getEpochSecond();
    next[0] = folder.resolve("history.csv");
    robot.clickOn("#export-history");
    List<CSVRecord> history = written(export, next[0], "the 7 d history of 02 and 03");
    int readings02 = readingsOf("02", from, until);
    int readings03 = readingsOf("03", from, until);
    assertThat(readings02).isEqualTo(before02 + 10_050).isGreaterThan(10_000);
    assertThat(history).hasSize(readings02 + readings03);
    assertThat(history).extracting(r -> r.get("id")).contains("02", "03");
    assertThat(history.stream().filter(r -> r.get("id").equals("02")).map(r -> r.get("dt")))
        .as("no reading twice, each of its own second")
        .doesNotHaveDuplicates()
        .hasSize(readings02);
    assertThat(console.status().messageIsInfo().get()).as("not cut").isTrue();
    JsonNode last03 =
        get("/devices/03/measurements?since=" + from + "&until=" + until).path("measurements");
    assertThat(history.get(history.size() - 1).get("filling"))
        .isEqualTo(last03.get(last03.size() - 1).path("filling").asText());

    // The pair's timeline.
    next[0] = folder.resolve("timeline.csv");
    robot.clickOn("#export-timeline");
    List<CSVRecord> timeline = written(export, next[0], "the timeline of 0203");
    assertThat(timeline).hasSize(get("/problems/0203/events").path("events").size());
    assertThat(timeline).extracting(r -> r.get("type")).contains("opened", "resolved", "comment");

    // The rejects: a device's formula comes back defused.
    clickTab(robot, "Rejected messages");
    next[0] = folder.resolve("rejects.csv");
    robot.clickOn("#export-rejects");
    List<CSVRecord> rejects = written(export, next[0], "rejected messages");
    assertThat(rejects).extracting(r -> r.get("payload")).contains("'=cmd|' /C calc'!A0");

    // The hot spots.
    clickTab(robot, "Hot spots");
    next[0] = folder.resolve("hot-spots.csv");
    robot.clickOn("#export-hot-spots");
    List<CSVRecord> hot = written(export, next[0], "hot spots of the last ");
    assertThat(hot).hasSize(2);
    assertThat(hot.get(0).get("names_downstream")).isEqualTo("Ponte Sisto");

    // Unwritable: the folder is a file. Said plainly, and nothing is left behind.
    Path notAFolder = Files.writeString(folder.resolve("plain-file"), "x");
    next[0] = notAFolder.resolve("out.csv");
    robot.clickOn("#export-hot-spots");
    await()
        .atMost(60, TimeUnit.SECONDS)
        .until(() -> export.result().get().startsWith("Export of hot spots"));
    assertThat(console.status().message().get())
        .startsWith("Export of hot spots of the last ")
        .contains("failed: cannot write " + next[0] + ": ");
    // Cancelled: nothing happens.
    next[0] = null;
    String before = console.status().message().get();
    robot.clickOn("#export-hot-spots");
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(console.status().message().get()).isEqualTo(before);
  }

  @Test
  @Order(4)
  void anOfflineBackendIsSaidPlainlyAndNoFileIsWritten() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    List<String> said = new ArrayList<>();
    Path target = data.resolve("offline.csv");
    CsvExport offline =
        new CsvExport(
            BackendClient.create(URI.create("http://127.0.0.1:" + closedPort), "token"),
            Platform::runLater,
            said::add,
            said::add,
            (title, name) -> Optional.of(target));
    WaitForAsyncUtils.asyncFx(() -> offline.exportRoutes("problems", List.of("/problems"), "p.csv"))
        .get(10, TimeUnit.SECONDS)
        .get(30, TimeUnit.SECONDS);
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(said)
        .containsExactly(
            "Exporting problems…",
            "Export of problems failed: cannot reach the backend at http://127.0.0.1:"
                + closedPort);
    assertThat(target).doesNotExist();
  }

  /**
   * How many readings the backend holds for {@code id} in a range, paged through its limit by the
   * oldest second of each page (this test's readings each have a second of their own).
   */
  static int readingsOf(String id, long since, long until) throws Exception {
    int n = 0;
    long to = until;
    while (true) {
      JsonNode page =
          get("/devices/" + id + "/measurements?since=" + since + "&until=" + to + "&limit=10000")
              .path("measurements");
      n += page.size();
      if (page.size() < 10_000) {
        return n;
      }
      to = page.get(0).path("dt").asLong() - 1;
    }
  }

  static String rowsText(int n) {
    return n == 1 ? "1 row" : n + " rows";
  }

  /** Waits for the export's outcome, checks it names the file, and parses the file strictly. */
  static List<CSVRecord> written(CsvExport export, Path path, String what) throws Exception {
    await()
        .atMost(90, TimeUnit.SECONDS)
        .until(() -> export.result().get().startsWith("Exported " + what) && Files.exists(path));
    assertThat(export.result().get()).endsWith(" to " + path);
    byte[] bytes = Files.readAllBytes(path);
    assertThat(bytes[0]).as("no byte order mark").isNotEqualTo((byte) 0xEF);
    String text = new String(bytes, StandardCharsets.UTF_8);
    assertThat(text).endsWith("\r\n");
    CSVFormat strict = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build();
    try (CSVParser parser = CSVParser.parse(new StringReader(text), strict)) {
      List<CSVRecord> records = parser.getRecords();
      for (CSVRecord record : records) {
        assertThat(record.isConsistent()).as("every row has every column").isTrue();
      }
      assertThat(export.result().get()).contains(": " + rowsText(records.size()) + " to ");
      return records;
    }
  }
}
