package org.kloaka.local.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kloaka.local.RunningRuntime.get;
import static org.kloaka.local.RunningRuntime.patch;
import static org.kloaka.local.RunningRuntime.request;
import static org.kloaka.local.RunningRuntime.send;
import static org.kloaka.local.RunningRuntime.submit;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.api.Json;
import org.kloaka.core.app.FaultHistory;
import org.kloaka.local.LocalRuntime;
import org.kloaka.local.RunningRuntime;
import org.kloaka.testing.TestClock;

/**
 * Hot spots and the shift report (docs/api.md) over real sockets: five weeks of generated faults,
 * recoveries, relapses, acknowledgements (an operator's {@code PATCH {"acknowledged": true}} with
 * the operator's own token) and resolutions on ten independent pairs, driven through the ingest
 * pipeline and {@code PATCH} with the test clock forwarded. The test keeps its own log of what it
 * caused and computes the expected ranking from it, independently of the server's code.
 */
class InsightsTest {

  static final long DAY = 86_400;
  static final long START = 1_795_860_000L;
  static final int TUBES = 10; // ids 01..92: two digits each
  static final String NETWORK =
      """
      {"tubes": [{"id": "0", "name": "Via Roma trunk",
                  "sensors": [{"id": "01", "name": "Manhole 14"}, {"id": "02", "name": "Piazza Mastai"}]}]}
      """;

  @TempDir Path dir;
  final TestClock clock = TestClock.atEpochSecond(START);
  LocalRuntime runtime;
  String operatorToken;

  /** One occurrence as the test caused it. */
  static final class Occurrence {
    final String pair;
    final long opened;
    final List<long[]> activeSpans = new ArrayList<>();
    long activeFrom;
    boolean active = true;
    Long acknowledged;
    Long resolved;

    Occurrence(String pair, long opened) {
      this.pair = pair;
      this.opened = opened;
      this.activeFrom = opened;
    }
  }

  /** What the test did, in order: the truth the server's answers are checked against. */
  final Map<String, Occurrence> open = new LinkedHashMap<>();

  final List<Occurrence> occurrences = new ArrayList<>();
  final List<String[]> handover = new ArrayList<>(); // problem_id, type, time, by
  final Map<Integer, String> downstream = new java.util.HashMap<>();

  @BeforeEach
  void start() throws Exception {
    Path network = dir.resolve("network.json");
    Files.writeString(network, NETWORK);
    // Silence off: the month is driven on a forwarded clock, and the background sweep (every 30 s
    // of real time) would find sensors "silent" for hours of test time whenever it happened to
    // run — on a loaded machine, in the middle of the test's own log of what opened.
    runtime =
        LocalRuntime.start(
            RunningRuntime.withoutMqtt(dir, clock)
                .withNetworkFile(network)
                .withAlarms(Duration.ZERO, Duration.ZERO));
    HttpResponse<String> added =
        send(
            runtime,
            request(runtime, "/operators")
                .header("Content-Type", "application/json")
                .POST(
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"name\": \"maria\", \"role\": \"operator\"}")));
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    operatorToken = Json.newMapper().readTree(added.body()).path("token").asText();
    assertThat(operatorToken).isNotBlank();
  }

  @AfterEach
  void stop() {
    runtime.close();
  }

  static String up(int tube) {
    return tube + "1";
  }

  static String pair(int tube) {
    return tube + "1" + tube + "2";
  }

  /**
   * The downstream sensor reads NO flow below a full upstream. Its value alternates between two NO
   * readings, so a pair resolved while still faulty is evaluated (and opens again) on the next.
   */
  void fault(int tube) throws Exception {
    String next = "0".equals(downstream.get(tube)) ? "10" : "0";
    downstream.put(tube, next);
    submit(runtime, tube + "2", next);
    long now = clock.seconds();
    Occurrence o = open.get(pair(tube));
    if (o == null) {
      o = new Occurrence(pair(tube), now);
      open.put(o.pair, o);
      occurrences.add(o);
      handover.add(new String[] {o.pair, "opened", String.valueOf(now), null});
    } else if (!o.active) {
      o.active = true;
      o.activeFrom = now;
    }
  }

  void recover(int tube) throws Exception {
    downstream.put(tube, "100");
    submit(runtime, tube + "2", "100");
    Occurrence o = open.get(pair(tube));
    if (o != null && o.active) {
      o.active = false;
      o.activeSpans.add(new long[] {o.activeFrom, clock.seconds()});
    }
  }

  /**
   * maria acknowledges with her own token: the first time per occurrence it is an event; again, or
   * a pair without an open occurrence, changes nothing.
   */
  void acknowledge(int tube) throws Exception {
    HttpResponse<String> answer =
        send(
            runtime,
            request(runtime, "/problems/" + pair(tube))
                .setHeader("Authorization", "Bearer " + operatorToken)
                .header("Content-Type", "application/json")
                .method(
                    "PATCH",
                    java.net.http.HttpRequest.BodyPublishers.ofString("{\"acknowledged\": true}")));
    Occurrence o = open.get(pair(tube));
    if (o == null) {
      assertThat(answer.statusCode()).as(answer.body()).isIn(200, 404);
      return;
    }
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    JsonNode problem = Json.newMapper().readTree(answer.body());
    assertThat(problem.path("problem_status").asText()).isEqualTo("UNRESOLVED");
    assertThat(problem.path("acknowledged_by").asText()).isEqualTo("maria");
    if (o.acknowledged == null) {
      o.acknowledged = clock.seconds();
      handover.add(new String[] {o.pair, "acknowledged", String.valueOf(o.acknowledged), "maria"});
    }
    assertThat(problem.path("acknowledged_time").asLong()).isEqualTo(o.acknowledged);
  }

  void resolve(int tube) throws Exception {
    HttpResponse<String> answer =
        patch(runtime, "/problems/" + pair(tube), "{\"problem_status\":\"RESOLVED\"}");
    Occurrence o = open.remove(pair(tube));
    if (o == null) {
      return;
    }
    assertThat(answer.statusCode()).isEqualTo(200);
    long now = clock.seconds();
    String by = Json.newMapper().readTree(answer.body()).path("resolved_by").asText();
    if (o.active) {
      o.activeSpans.add(new long[] {o.activeFrom, now});
      o.active = false;
    }
    o.resolved = now;
    if (o.acknowledged == null) {
      o.acknowledged = now; // resolving acknowledges (docs/problems.md)
      handover.add(new String[] {o.pair, "acknowledged", String.valueOf(now), by});
    }
    handover.add(new String[] {o.pair, "resolved", String.valueOf(now), by});
  }

  /** Five weeks: every 10–90 minutes one tube faults, recovers, is acknowledged or resolved. */
  void generate(long seed) throws Exception {
    for (int tube = 0; tube < TUBES; tube++) {
      submit(runtime, up(tube), "100");
      submit(runtime, tube + "2", "100");
    }
    Random random = new Random(seed);
    long end = START + 35 * DAY;
    while (clock.seconds() < end) {
      clock.forward(Duration.ofMinutes(10 + random.nextInt(80)));
      // Low tubes fault more often: a skewed ranking, like a real network's few bad pipes.
      int tube = Math.min(random.nextInt(TUBES), random.nextInt(TUBES));
      int action = random.nextInt(10);
      if (action < 4) {
        fault(tube);
      } else if (action < 6) {
        recover(tube);
      } else if (action < 8) {
        acknowledge(tube);
      } else {
        resolve(tube);
      }
    }
  }

  /** The test's log in the shape of the shared expectation. */
  List<Map<String, Object>> expectedRanking(long since, long until) {
    List<FaultHistory.Occurrence> log = new ArrayList<>();
    for (Occurrence o : occurrences) {
      log.add(
          new FaultHistory.Occurrence(
              o.pair,
              o.opened,
              o.activeSpans,
              o.active ? o.activeFrom : null,
              o.acknowledged,
              o.resolved));
    }
    return FaultHistory.ranking(log, since, until);
  }

  static List<Map<String, Object>> actual(JsonNode pairs) {
    return FaultHistory.rows(pairs);
  }

  @Test
  void aMonthOfGeneratedFaultsRanksAsTheTestsOwnLogSays() throws Exception {
    generate(20);
    long now = clock.seconds();
    assertThat(occurrences).hasSizeGreaterThan(50);
    assertThat(open).as("some occurrences are still open at the end").isNotEmpty();
    assertThat(occurrences)
        .as("acknowledged by maria before the resolution, so the medians differ")
        .anyMatch(o -> o.acknowledged != null && o.resolved != null && o.acknowledged < o.resolved);
    assertThat(occurrences)
        .as("acknowledged and still unresolved")
        .anyMatch(o -> o.acknowledged != null && o.resolved == null);

    for (int days : new int[] {30, 7, 1, 365}) {
      JsonNode answer = get(runtime, "/insights/pairs?days=" + days);
      assertThat(answer.path("until").asLong()).isEqualTo(now);
      assertThat(answer.path("since").asLong()).isEqualTo(now - days * DAY);
      assertThat(actual(answer.path("pairs")))
          .as("days=%d", days)
          .isEqualTo(expectedRanking(now - days * DAY, now));
    }
    JsonNode month = get(runtime, "/insights/pairs").path("pairs");
    assertThat(actual(month)).isEqualTo(expectedRanking(now - 30 * DAY, now));
    assertThat(month.size()).isGreaterThan(5);
    assertThat(actual(month))
        .as("the time to acknowledge comes from maria's acknowledge events, not the resolutions")
        .anyMatch(
            r ->
                r.get("median_ack_s") != null
                    && !r.get("median_ack_s").equals(r.get("median_resolve_s")));
    // The worst is a low tube (they fault most), and ids and names come with each row.
    JsonNode tube0 = null;
    for (JsonNode p : month) {
      assertThat(p.path("upstream_id").asText() + p.path("downstream_id").asText())
          .isEqualTo(p.path("problem_id").asText());
      assertThat(p.path("problem").asText()).isIn("OBSTRUCTION", "PROBLEM");
      if (p.path("problem_id").asText().equals("0102")) {
        tube0 = p;
      }
    }
    assertThat(tube0).as("tube 0 faulted in the last month").isNotNull();
    assertThat(tube0.path("names").path("upstream").asText()).isEqualTo("Manhole 14");
    assertThat(tube0.path("names").path("downstream").asText()).isEqualTo("Piazza Mastai");
    for (JsonNode p : month) {
      if (!p.path("problem_id").asText().equals("0102")) {
        assertThat(p.path("names").path("upstream").isNull()).as("not in the file").isTrue();
      }
    }

    // The same ranking as CSV, read back with a real parser.
    List<CSVRecord> csv = CsvExportTest.csv(runtime, "/insights/pairs?format=csv", false);
    CsvExportTest.assertSameRows(month, csv, Map.of());
  }

  @Test
  void theShiftReportListsWhatOpenedAndWasResolvedInTheSpanByWhom() throws Exception {
    generate(7);
    long until = clock.seconds() - 3 * DAY;
    long since = until - 12 * 3600;
    JsonNode events =
        get(runtime, "/insights/shift?since=" + since + "&until=" + until).path("events");
    List<String> expected = new ArrayList<>();
    for (String[] e : handover) {
      long t = Long.parseLong(e[2]);
      if (t >= since && t <= until) {
        expected.add(String.join("/", e[0], e[1], e[2], String.valueOf(e[3])));
      }
    }
    assertThat(expected).as("the generated span has something to hand over").hasSizeGreaterThan(2);
    List<String> got = new ArrayList<>();
    for (JsonNode e : events) {
      got.add(
          String.join(
              "/",
              e.path("problem_id").asText(),
              e.path("type").asText(),
              e.path("time").asText(),
              e.path("by").isNull() ? "null" : e.path("by").asText()));
    }
    assertThat(got).isEqualTo(expected);

    // types=all adds what the system did (inactive, active) in the same span, still oldest first.
    JsonNode all =
        get(runtime, "/insights/shift?types=all&since=" + since + "&until=" + until).path("events");
    assertThat(all.size()).isGreaterThanOrEqualTo(events.size());
    long previous = 0;
    for (JsonNode e : all) {
      assertThat(e.path("time").asLong()).isBetween(Math.max(previous, since), until);
      previous = e.path("time").asLong();
    }
    CsvExportTest.assertSameRows(
        events,
        CsvExportTest.csv(runtime, "/insights/shift?since=" + since + "&until=" + until, true),
        Map.of());

    // The problems' CSV carries each current occurrence's timeline, one event per line.
    List<CSVRecord> problems = CsvExportTest.csv(runtime, "/problems?format=csv", false);
    assertThat(problems).isNotEmpty();
    for (CSVRecord row : problems) {
      String[] lines = row.get("timeline").split("\n");
      assertThat(lines[0]).endsWith(" opened OBSTRUCTION");
      assertThat(lines[0])
          .startsWith(
              java.time.Instant.ofEpochSecond(Long.parseLong(row.get("problem_time"))).toString());
      if (row.get("problem_status").equals("RESOLVED")) {
        assertThat(lines[lines.length - 1]).contains(" resolved by ");
      }
    }
  }

  @Test
  void badWindowsAreBadRequestsThatSayWhy() throws Exception {
    Map<String, String> cases =
        Map.of(
            "/insights/pairs?days=-1",
            "days must be a whole number from 1 to 365",
            "/insights/pairs?days=0",
            "days must be a whole number from 1 to 365",
            "/insights/pairs?days=366",
            "days must be a whole number from 1 to 365",
            "/insights/pairs?days=week",
            "days must be a whole number from 1 to 365",
            "/insights/shift?since=-5",
            "since must be a time in epoch seconds",
            "/insights/shift?since=2000&until=1000",
            "until (1000) is before since (2000)",
            "/insights/shift?since=0&until=" + (366 * DAY),
            "is over 365 days",
            "/insights/shift?types=opened,exploded",
            "'exploded' is none",
            "/insights/shift?limit=10001",
            "limit must be a whole number from 1 to 10000",
            "/insights/pairs?dayz=3",
            "unknown query parameter 'dayz'");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      HttpResponse<String> answer = send(runtime, request(runtime, c.getKey()).GET());
      assertThat(answer.statusCode()).as(c.getKey()).isEqualTo(400);
      assertThat(Json.newMapper().readTree(answer.body()).path("error").asText())
          .as(c.getKey())
          .contains(c.getValue());
    }
    // The edges are fine: a whole year, and a span of one second.
    assertThat(get(runtime, "/insights/pairs?days=365").path("pairs")).isEmpty();
    assertThat(get(runtime, "/insights/shift?since=0&until=" + 365 * DAY).path("events")).isEmpty();
    assertThat(get(runtime, "/insights/shift?since=5&until=5").path("events")).isEmpty();
  }
}
