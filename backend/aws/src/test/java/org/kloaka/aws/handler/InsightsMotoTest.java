package org.kloaka.aws.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kloaka.aws.dynamo.TimelineLoad;
import org.kloaka.aws.moto.HttpApiCall;
import org.kloaka.aws.moto.Moto;
import org.kloaka.aws.moto.MotoAws;
import org.kloaka.core.app.FaultHistory;
import org.kloaka.core.app.Insights;
import org.kloaka.testing.TestClock;

/**
 * Hot spots, the shift report and the CSV exports through the REST Lambda over moto's DynamoDB
 * (docs/api.md): the same routes and answers as the local runtime, read from the timeline table by
 * its time index.
 */
@Moto
class InsightsMotoTest {

  private static final String TOKEN = "insights-test-token";
  private static final long DAY = 86_400;
  private static final long END = 1_795_860_000L;

  private final TestClock clock = TestClock.atEpochSecond(END);

  @RegisterExtension final MotoHandlers handlers = new MotoHandlers(clock, TOKEN);

  private MotoAws aws;

  @BeforeEach
  void wire(MotoAws aws) {
    this.aws = aws;
  }

  @Test
  void fiveWeeksOfGeneratedFaultsRankAsTheTestKitComputesThemAndTheShiftListsTheSpan()
      throws Exception {
    FaultHistory.Generated faults = FaultHistory.generate(11, 12, END - 35 * DAY, END, 3 * DAY);
    TimelineLoad.put(aws.db(), MotoAws.TIMELINE, faults.events());
    assertThat(faults.occurrences()).hasSizeGreaterThan(50);

    for (int days : new int[] {30, 7}) {
      JsonNode answer = json(get("/insights/pairs", "days=" + days, Map.of()), 200);
      assertThat(FaultHistory.rows(answer.path("pairs")))
          .as("days=%d", days)
          .isEqualTo(FaultHistory.ranking(faults.occurrences(), END - days * DAY, END));
    }

    long since = END - 10 * DAY;
    long until = since + 2 * DAY;
    List<String> expected = new ArrayList<>();
    faults.events().stream()
        .filter(e -> e.time() >= since && e.time() <= until)
        .filter(e -> Insights.HANDOVER.contains(e.type()))
        .sorted(org.kloaka.core.port.TimelineStore.ORDER)
        .forEach(e -> expected.add(e.problemId() + "/" + e.type().wire() + "/" + e.time()));
    assertThat(expected).hasSizeGreaterThan(5);
    JsonNode shift =
        json(get("/insights/shift", "since=" + since + "&until=" + until, Map.of()), 200);
    List<String> got = new ArrayList<>();
    shift
        .path("events")
        .forEach(
            e ->
                got.add(
                    e.path("problem_id").asText()
                        + "/"
                        + e.path("type").asText()
                        + "/"
                        + e.path("time").asLong()));
    assertThat(got).isEqualTo(expected);

    APIGatewayV2HTTPResponse csv = get("/insights/pairs", null, Map.of("accept", "text/csv"));
    assertThat(csv.getStatusCode()).isEqualTo(200);
    assertThat(csv.getHeaders())
        .containsEntry("Content-Type", "text/csv; charset=utf-8; header=present");
    List<CSVRecord> rows = parse(csv.getBody());
    JsonNode month = json(get("/insights/pairs", null, Map.of()), 200).path("pairs");
    assertThat(rows).hasSize(month.size());
    for (int i = 0; i < rows.size(); i++) {
      assertThat(rows.get(i).get("problem_id")).isEqualTo(month.get(i).path("problem_id").asText());
      assertThat(rows.get(i).get("open_s")).isEqualTo(month.get(i).path("open_s").asText());
      assertThat(rows.get(i).get("upstream_id"))
          .isEqualTo(month.get(i).path("upstream_id").asText());
    }
  }

  @Test
  void aFaultFoundByTheStreamInspectorIsInTheHotSpotsAndTheProblemsCsvCarriesItsTimeline()
      throws Exception {
    handlers.publish("{\"id\": \"01\", \"filling\": \"100\"}");
    handlers.publish("{\"id\": \"02\", \"filling\": \"0\"}");
    handlers.inspector().handleRequest(handlers.devicesStream().nextEvent(), null);
    clock.forward(java.time.Duration.ofMinutes(5));
    String comment = "{\"note\": \"@crew: \\\"grate\\\", two,\\nlines\"}";
    assertThat(call("POST", "/problems/0102/comments", null, comment, Map.of()).getStatusCode())
        .isEqualTo(201);
    clock.forward(java.time.Duration.ofMinutes(40));
    String patch = "{\"problem_status\": \"RESOLVED\", \"note\": \"=grate, cleared\"}";
    assertThat(call("PATCH", "/problems/0102", null, patch, Map.of()).getStatusCode())
        .isEqualTo(200);

    JsonNode pair = json(get("/insights/pairs", "days=1", Map.of()), 200).path("pairs").get(0);
    assertThat(pair.path("problem_id").asText()).isEqualTo("0102");
    assertThat(pair.path("occurrences").asInt()).isEqualTo(1);
    assertThat(pair.path("open_s").asLong()).isEqualTo(45 * 60);
    assertThat(pair.path("median_resolve_s").asLong()).isEqualTo(45 * 60);

    List<CSVRecord> problems = parse(get("/problems", "format=csv", Map.of()).getBody());
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0).get("note")).isEqualTo("'=grate, cleared");
    assertThat(problems.get(0).get("timeline"))
        .startsWith(java.time.Instant.ofEpochSecond(END) + " opened OBSTRUCTION")
        .contains(" resolved by ")
        .endsWith(": =grate, cleared");

    // The pair's timeline as CSV: the JSON events, field by field, through a strict parser.
    APIGatewayV2HTTPResponse events = get("/problems/0102/events", "format=csv", Map.of());
    assertThat(events.getStatusCode()).isEqualTo(200);
    assertThat(events.getHeaders())
        .containsEntry("Content-Type", "text/csv; charset=utf-8; header=present")
        .containsEntry("Content-Disposition", "attachment; filename=\"events-0102.csv\"");
    List<CSVRecord> timeline = parse(events.getBody());
    JsonNode expected = json(get("/problems/0102/events", null, Map.of()), 200).path("events");
    assertThat(timeline).hasSize(expected.size()).hasSizeGreaterThanOrEqualTo(4);
    for (int i = 0; i < timeline.size(); i++) {
      for (String column : List.of("problem_id", "type", "time", "by", "problem_time", "problem")) {
        JsonNode field = expected.get(i).path(column);
        assertThat(timeline.get(i).get(column))
            .as("event %d, %s", i, column)
            .isEqualTo(field.isNull() ? "" : field.asText());
      }
    }
    assertThat(timeline)
        .extracting(r -> r.get("type") + ":" + r.get("note"))
        .contains("comment:'@crew: \"grate\", two,\nlines", "resolved:'=grate, cleared");
    assertThat(
            json(get("/problems/0102/events", "format=xml", Map.of()), 400).path("error").asText())
        .contains("format must be csv or json");
    assertThat(
            json(get("/problems/0909/events", "format=csv", Map.of()), 404).path("error").asText())
        .contains("no problem '0909'");
  }

  @Test
  void badWindowsAreBadRequestsHereToo() throws Exception {
    for (String query : List.of("days=-1", "days=366", "days=0")) {
      assertThat(json(get("/insights/pairs", query, Map.of()), 400).path("error").asText())
          .contains("days must be a whole number from 1 to 365");
    }
    assertThat(
            json(get("/insights/shift", "since=10&until=5", Map.of()), 400).path("error").asText())
        .contains("is before since");
    assertThat(
            json(get("/insights/shift", "since=0&until=" + 400 * DAY, Map.of()), 400)
                .path("error")
                .asText())
        .contains("over 365 days");
    assertThat(json(get("/rejects", "format=pdf", Map.of()), 400).path("error").asText())
        .contains("format must be csv or json");
  }

  private APIGatewayV2HTTPResponse get(String path, String query, Map<String, String> headers) {
    return call("GET", path, query, null, headers);
  }

  private APIGatewayV2HTTPResponse call(
      String method, String path, String query, String body, Map<String, String> headers) {
    return handlers.call(HttpApiCall.event(method, path, query, TOKEN, body, false, headers));
  }

  private JsonNode json(APIGatewayV2HTTPResponse response, int status) {
    return handlers.body(response, status);
  }

  private static List<CSVRecord> parse(String body) throws Exception {
    CSVFormat strict = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build();
    try (CSVParser parser = CSVParser.parse(new StringReader(body), strict)) {
      return parser.getRecords();
    }
  }
}
