package org.kloaka.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kloaka.core.TestData.device;
import static org.kloaka.core.TestData.resolved;
import static org.kloaka.core.TestData.unresolved;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kloaka.api.Json;
import org.kloaka.api.Push;
import org.kloaka.core.ConflictRetry;
import org.kloaka.core.InMemoryStores;
import org.kloaka.core.app.Queries;
import org.kloaka.core.app.ResolveProblem;
import org.kloaka.core.network.Network;
import org.kloaka.core.port.DeviceStore;
import org.kloaka.core.port.OperatorSessions;
import org.kloaka.core.port.Stored;
import org.kloaka.model.Device;
import org.kloaka.model.Filling;
import org.kloaka.model.Measurement;
import org.kloaka.model.ProblemType;
import org.kloaka.model.Reject;
import org.kloaka.model.SensorId;

class RestApiTest {

  static final String TOKEN = "s3cret-token";
  static final long NOW = 1_700_000_000L;
  static final ObjectMapper MAPPER = Json.newMapper();

  final InMemoryStores stores = new InMemoryStores();
  final Clock clock = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
  RestApi api = apiOver(stores.devices);

  RestApi apiOver(DeviceStore devices) {
    return new RestApi(
        new Queries(
            devices, stores.history, stores.problems, stores.rejects, Network.byIdConvention()),
        new ResolveProblem(stores.problems, stores.transactions, stores.events, clock),
        stores.operations(TOKEN, clock, OperatorSessions.NONE));
  }

  ApiResponse call(String method, String target) {
    return call(method, target, null, "Bearer " + TOKEN);
  }

  ApiResponse call(String method, String target, String body, String authorization) {
    int q = target.indexOf('?');
    Map<String, String> headers = new HashMap<>();
    if (authorization != null) {
      headers.put("authorization", authorization);
    }
    return api.handle(
        new ApiRequest(
            method,
            q < 0 ? target : target.substring(0, q),
            q < 0 ? null : target.substring(q + 1),
            headers,
            body == null ? null : body.getBytes(StandardCharsets.UTF_8)));
  }

  ApiResponse patch(String target, String body) {
    return call("PATCH", target, body, "Bearer " + TOKEN);
  }

  static JsonNode json(ApiResponse response) {
    try {
      return MAPPER.readTree(response.body());
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + response.bodyText(), e);
    }
  }

  static void assertError(ApiResponse response, int status, String messagePart) {
    assertThat(response.status()).as(response.bodyText()).isEqualTo(status);
    JsonNode body = json(response);
    assertThat(body.size()).isEqualTo(1);
    assertThat(body.path("error").asText()).contains(messagePart);
  }

  @Nested
  class Authentication {

    @Test
    void healthAnswersWithoutAToken() {
      ApiResponse response = call("GET", "/health", null, null);
      assertThat(response.status()).isEqualTo(200);
      assertThat(json(response)).isEqualTo(MAPPER.createObjectNode().put("status", "ok"));
    }

    @Test
    void everyOtherRouteRefusesAMissingToken() {
      for (RestApi.Route route : api.routes()) {
        if (!route.needsToken()) {
          continue;
        }
        String path = route.pathTemplate().replace("{id}", "01").replace("{problem_id}", "0102");
        ApiResponse response = call(route.method(), path, "{}", null);
        assertError(response, 401, "missing token");
        assertThat(response.headers()).containsEntry("WWW-Authenticate", "Bearer");
      }
      assertThat(api.routes()).filteredOn(r -> !r.needsToken()).hasSize(1);
    }

    @Test
    void wrongTokenIsRefused() {
      ApiResponse response = call("GET", "/devices", null, "Bearer " + TOKEN + "x");
      assertError(response, 401, "wrong token");
      assertThat(response.headers()).containsEntry("WWW-Authenticate", "Bearer");
      assertError(call("GET", "/devices", null, "Bearer " + TOKEN.substring(1)), 401, "wrong");
    }

    @Test
    void otherSchemesAreRefused() {
      assertError(call("GET", "/devices", null, "Basic " + TOKEN), 401, "Bearer <token>");
      assertError(call("GET", "/devices", null, TOKEN), 401, "Bearer <token>");
      assertError(call("GET", "/devices", null, "Bearer "), 401, "Bearer <token>");
    }

    @Test
    void schemeIsCaseInsensitiveAndSpacesAroundTheTokenDoNotMatter() {
      assertThat(call("GET", "/devices", null, "bearer  " + TOKEN + " ").status()).isEqualTo(200);
    }

    @Test
    void unknownPathsAreRefusedBeforeTheyAreRevealedAsUnknown() {
      assertError(call("GET", "/secret", null, null), 401, "missing token");
      assertError(call("GET", "/secret"), 404, "no such path");
    }

    @Test
    void tokenCheckAcceptsOnlyTheExactToken() {
      TokenCheck check = TokenCheck.of("abc");
      assertThat(check.accepts("abc")).isTrue();
      assertThat(check.accepts("abcd")).isFalse();
      assertThat(check.accepts("ab")).isFalse();
      assertThat(check.accepts("")).isFalse();
      assertThat(check.accepts(null)).isFalse();
    }

    @Test
    void anEmptyExpectedTokenIsRefusedAtConstruction() {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> TokenCheck.of(""))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class Routing {

    @Test
    void wrongMethodOnAKnownPathIs405WithAllow() {
      ApiResponse response = call("DELETE", "/devices");
      assertError(response, 405, "DELETE");
      assertThat(response.headers()).containsEntry("Allow", "GET");
      ApiResponse onProblem = call("POST", "/problems/0102");
      assertError(onProblem, 405, "POST");
      assertThat(onProblem.headers()).containsEntry("Allow", "GET, PATCH");
    }

    @Test
    void headAndOptionsAre405() {
      assertThat(call("HEAD", "/devices").status()).isEqualTo(405);
      assertThat(call("OPTIONS", "/problems").status()).isEqualTo(405);
    }

    @Test
    void wrongMethodOnHealthIs405WithoutAToken() {
      ApiResponse response = call("POST", "/health", null, null);
      assertError(response, 405, "POST");
      assertThat(response.headers()).containsEntry("Allow", "GET");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/device", "/devices/01/other", "/devices//measurements", "x"})
    void unknownPathsAre404(String path) {
      assertError(call("GET", path), 404, "no such path");
    }

    @Test
    void oneTrailingSlashIsTolerated() {
      stores.devices.put(device("01", "100", 10));
      assertThat(call("GET", "/devices/").status()).isEqualTo(200);
      assertThat(json(call("GET", "/devices/01/")).path("id").asText()).isEqualTo("01");
      assertThat(call("GET", "/devices//").status()).isEqualTo(404);
    }

    @Test
    void bodyOver64KiBIs413() {
      String big = "{\"note\":\"" + "x".repeat(RestApi.MAX_BODY_BYTES) + "\"}";
      assertError(patch("/problems/0102", big), 413, "65536");
    }

    @Test
    void bodyOfExactly64KiBIsNotTooLarge() {
      String body = "{\"problem_status\":\"RESOLVED\"}";
      String padded = body + " ".repeat(RestApi.MAX_BODY_BYTES - body.length());
      assertError(patch("/problems/0102", padded), 404, "0102");
    }

    @Test
    void unexpectedFailureIs500WithoutDetails() {
      DeviceStore broken =
          new DeviceStore() {
            @Override
            public Optional<Stored<Device>> find(SensorId id) {
              throw new IllegalStateException("disk on fire at /var/lib/secret");
            }

            @Override
            public List<Device> list() {
              throw new IllegalStateException("disk on fire at /var/lib/secret");
            }

            @Override
            public int keep() {
              return 100;
            }

            @Override
            public boolean record(Stored<Device> expected, Device state, Measurement added) {
              return false;
            }
          };
      api = apiOver(broken);
      for (String path : List.of("/devices", "/devices/01", "/network")) {
        ApiResponse response = call("GET", path);
        assertThat(response.status()).isEqualTo(500);
        assertThat(json(response))
            .isEqualTo(MAPPER.createObjectNode().put("error", "internal error"));
      }
    }

    @Test
    void unknownQueryParametersAre400NamingThem() {
      assertError(call("GET", "/devices?verbose=1"), 400, "'verbose'");
      assertError(call("GET", "/rejects?limt=5"), 400, "'limt'");
      assertError(call("GET", "/rejects?limt=5"), 400, "limit");
      assertError(call("GET", "/rejects?limit=5&limit=6"), 400, "given twice");
    }

    @Test
    void malformedPercentEncodingIs400() {
      assertError(call("GET", "/devices/%ZZ"), 400, "percent");
      assertError(call("GET", "/devices/%C3"), 400, "UTF-8");
      assertError(call("GET", "/rejects?limit=%4"), 400, "percent");
    }

    @Test
    void routesAreListedAsDispatched() {
      assertThat(api.routes())
          .extracting(r -> r.method() + " " + r.pathTemplate())
          .containsExactly(
              "GET /health",
              "GET /devices",
              "GET /devices/{id}",
              "GET /devices/{id}/measurements",
              "GET /problems",
              "GET /problems/{problem_id}",
              "PATCH /problems/{problem_id}",
              "POST /problems/{problem_id}/comments",
              "GET /problems/{problem_id}/events",
              "GET /rejects",
              "GET /network",
              "GET /me",
              "GET /operators",
              "POST /operators",
              "DELETE /operators/{name}",
              "POST /uplinks",
              "GET /notifications",
              "POST /notifications/test",
              "GET /status");
    }
  }

  @Nested
  class Devices {

    @Test
    void listsDevicesWithoutMeasurementsSortedByTubeThenSensor() {
      stores.devices.put(device("1-10", "50", 30));
      stores.devices.put(device("19", "0", 20));
      stores.devices.put(device("01", "100", 10));
      JsonNode body = json(call("GET", "/devices"));
      assertThat(body.path("devices").findValuesAsText("id")).containsExactly("01", "19", "1-10");
      JsonNode first = body.path("devices").get(0);
      assertThat(first.has("measurements")).isFalse();
      assertThat(first.path("last_value").asText()).isEqualTo("100");
      assertThat(first.path("last_update").asLong()).isEqualTo(10);
    }

    @Test
    void emptyListWhenNothingReported() {
      assertThat(json(call("GET", "/devices")).path("devices").isArray()).isTrue();
      assertThat(json(call("GET", "/devices")).path("devices").size()).isZero();
    }

    @Test
    void oneDeviceWithItsMeasurements() {
      stores.devices.put(device("01", "62.5", 10));
      ApiResponse response = call("GET", "/devices/01");
      assertThat(response.status()).isEqualTo(200);
      JsonNode body = json(response);
      assertThat(body.path("last_value").asText()).isEqualTo("62.5");
      assertThat(body.path("measurements").get(0).path("filling").asText()).isEqualTo("62.5");
      assertThat(body.path("measurements").get(0).path("dt").asLong()).isEqualTo(10);
    }

    @Test
    void anyIdSpellingFindsTheCanonicalDevice() {
      stores.devices.put(device("01", "100", 10));
      assertThat(json(call("GET", "/devices/0-1")).path("id").asText()).isEqualTo("01");
      assertThat(json(call("GET", "/devices/0%2D1")).path("id").asText()).isEqualTo("01");
      assertThat(json(call("GET", "/devices/%30%31")).path("id").asText()).isEqualTo("01");
    }

    @Test
    void unknownDeviceIs404() {
      assertError(call("GET", "/devices/05"), 404, "05");
      assertError(call("GET", "/devices/05/measurements"), 404, "05");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "1", "012", "01-1", "%2F01", "0%20"})
    void malformedIdIs400(String id) {
      assertError(call("GET", "/devices/" + id), 404, "not a sensor id");
      assertError(call("GET", "/devices/" + id + "/measurements"), 404, "not a sensor id");
    }
  }

  @Nested
  class Measurements {

    void history(String id, long... times) {
      for (long t : times) {
        stores.history.append(SensorId.parse(id), new Measurement(Filling.of(t % 101), t), null);
      }
      stores.devices.put(device(id, "100", times[times.length - 1]));
    }

    List<Long> times(ApiResponse response) {
      assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
      List<Long> times = new ArrayList<>();
      json(response).path("measurements").forEach(m -> times.add(m.path("dt").asLong()));
      return times;
    }

    @Test
    void allOldestFirstByDefault() {
      history("01", 30, 10, 20);
      history("02", 15);
      assertThat(times(call("GET", "/devices/01/measurements"))).containsExactly(10L, 20L, 30L);
      JsonNode first = json(call("GET", "/devices/01/measurements")).path("measurements").get(0);
      assertThat(first.path("filling").asText()).isEqualTo("10");
    }

    @Test
    void sinceAndUntilAreInclusive() {
      history("01", 10, 20, 30, 40);
      assertThat(times(call("GET", "/devices/01/measurements?since=20&until=30")))
          .containsExactly(20L, 30L);
      assertThat(times(call("GET", "/devices/01/measurements?since=31"))).containsExactly(40L);
      assertThat(times(call("GET", "/devices/01/measurements?until=10"))).containsExactly(10L);
    }

    @Test
    void limitKeepsTheMostRecentListedOldestFirst() {
      history("01", 10, 20, 30, 40);
      assertThat(times(call("GET", "/devices/01/measurements?limit=2"))).containsExactly(30L, 40L);
      assertThat(times(call("GET", "/devices/01/measurements?until=30&limit=2")))
          .containsExactly(20L, 30L);
    }

    @Test
    void defaultLimitIs1000AndMaximum10000Works() {
      long[] times = new long[1005];
      for (int i = 0; i < times.length; i++) {
        times[i] = i;
      }
      history("01", times);
      List<Long> byDefault = times(call("GET", "/devices/01/measurements"));
      assertThat(byDefault).hasSize(RestApi.DEFAULT_MEASUREMENTS).startsWith(5L).endsWith(1004L);
      assertThat(times(call("GET", "/devices/01/measurements?limit=10000"))).hasSize(1005);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "since=abc|since",
          "since=-1|since",
          "since=|since",
          "until=1.5|until",
          "since=99999999999999999999|since",
          "limit=0|limit",
          "limit=10001|limit",
          "limit=-3|limit",
          "limit=ten|limit",
          "since=20&until=10|after until",
          "from=1|'from'"
        })
    void badQueryIs400NamingTheParameter(String caseText) {
      history("01", 10);
      String[] parts = caseText.split("\\|");
      assertError(call("GET", "/devices/01/measurements?" + parts[0]), 400, parts[1]);
    }

    @Test
    void canonicalLookupForMeasurements() {
      history("0-10", 10);
      assertThat(times(call("GET", "/devices/0-10/measurements"))).containsExactly(10L);
      assertError(call("GET", "/devices/010/measurements"), 404, "not a sensor id");
    }
  }

  @Nested
  class Problems {

    List<String> problemIds(String target) {
      ApiResponse response = call("GET", target);
      assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
      return json(response).path("problems").findValuesAsText("problem_id");
    }

    @Test
    void listsNewestProblemTimeFirstAndFiltersByStatus() {
      stores.problems.put(unresolved("01", "02", ProblemType.OBSTRUCTION, 100));
      stores.problems.put(unresolved("02", "03", ProblemType.PROBLEM, 300));
      stores.problems.put(resolved("03", "04", ProblemType.OBSTRUCTION, 200, 250));
      assertThat(problemIds("/problems")).containsExactly("0203", "0304", "0102");
      assertThat(problemIds("/problems?status=UNRESOLVED")).containsExactly("0203", "0102");
      assertThat(problemIds("/problems?status=RESOLVED")).containsExactly("0304");
    }

    @ParameterizedTest
    @ValueSource(strings = {"resolved", "OPEN", ""})
    void otherStatusIs400(String status) {
      assertError(call("GET", "/problems?status=" + status), 400, "UNRESOLVED or RESOLVED");
    }

    @Test
    void oneProblemWithTheSeedFields() {
      stores.problems.put(unresolved("01", "02", ProblemType.OBSTRUCTION, 100));
      JsonNode body = json(call("GET", "/problems/0102"));
      assertThat(body.path("problem").asText()).isEqualTo("OBSTRUCTION");
      assertThat(body.path("upstream_id").asText()).isEqualTo("01");
      assertThat(body.path("downstream_id").asText()).isEqualTo("02");
      assertThat(body.has("resolved_time")).isTrue();
      assertThat(body.path("resolved_time").isNull()).isTrue();
      assertError(call("GET", "/problems/0203"), 404, "0203");
    }
  }

  @Nested
  class Resolve {

    @Test
    void resolvesWithNoteAndTheCallerAsResolver() {
      stores.problems.put(unresolved("01", "02", ProblemType.OBSTRUCTION, 100));
      ApiResponse response =
          patch("/problems/0102", "{\"problem_status\":\"RESOLVED\",\"note\":\"cleared\"}");
      assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
      JsonNode body = json(response);
      assertThat(body.path("problem_status").asText()).isEqualTo("RESOLVED");
      assertThat(body.path("resolved_time").asLong()).isEqualTo(NOW);
      assertThat(body.path("resolved_by").asText())
          .as("the install token's name")
          .isEqualTo("admin");
      assertThat(body.path("acknowledged_by").asText())
          .as("resolving acknowledges")
          .isEqualTo("admin");
      assertThat(body.path("acknowledged_time").asLong()).isEqualTo(NOW);
      assertThat(body.path("note").asText()).isEqualTo("cleared");
      assertThat(body.path("problem_time").asLong()).isEqualTo(100);
      assertThat(stores.problems.find("0102").orElseThrow().value().isResolved()).isTrue();
    }

    @Test
    void resolvedByAndAcknowledgedByMayNameOnlyTheCaller() {
      for (String[] asked :
          new String[][] {
            {"\"problem_status\":\"RESOLVED\"", "resolved_by"},
            {"\"acknowledged\":true", "acknowledged_by"}
          }) {
        stores.problems.put(unresolved("01", "02", ProblemType.OBSTRUCTION, 100));
        String others = "{" + asked[0] + ",\"" + asked[1] + "\":\"ana\"}";
        assertError(patch("/problems/0102", others), 400, asked[1] + " must be the caller's own");
        org.kloaka.model.Problem unchanged = stores.problems.find("0102").orElseThrow().value();
        assertThat(unchanged.isResolved()).isFalse();
        assertThat(unchanged.acknowledgedBy()).isNull();
        JsonNode body =
            json(patch("/problems/0102", "{" + asked[0] + ",\"" + asked[1] + "\":\"admin\"}"));
        assertThat(body.path(asked[1]).asText()).as(asked[1]).isEqualTo("admin");
        assertThat(body.path("note").isNull()).isTrue();
      }
    }

    @Test
    void resolvingPushesOnceFromInsideTheTransaction() {
      stores.problems.put(unresolved("01", "02", ProblemType.OBSTRUCTION, 100));
      patch("/problems/0102", "{\"problem_status\":\"RESOLVED\"}");
      assertThat(stores.events.published()).hasSize(1);
      InMemoryStores.Events.Published published = stores.events.published().get(0);
      assertThat(published.insideTransaction()).isTrue();
      assertThat(((Push.ProblemPush) published.event()).problem().isResolved()).isTrue();
    }

    @Test
    void resolvingAgainChangesNothingAndSucceeds() {
      stores.problems.put(unresolved("01", "02", ProblemType.OBSTRUCTION, 100));
      JsonNode first = json(patch("/problems/0102", "{\"problem_status\":\"RESOLVED\"}"));
      int writes = stores.problems.writes();
      ApiResponse again =
          patch("/problems/0102", "{\"problem_status\":\"RESOLVED\",\"note\":\"later\"}");
      assertThat(again.status()).isEqualTo(200);
      assertThat(json(again)).isEqualTo(first);
      assertThat(stores.problems.writes()).isEqualTo(writes);
      assertThat(stores.events.published()).hasSize(1);
    }

    @Test
    void retriesWhenAnotherWriterGotThereFirst() {
      stores.problems.put(unresolved("01", "02", ProblemType.OBSTRUCTION, 100));
      stores.problems.failNextReplaces(3);
      ApiResponse response = patch("/problems/0102", "{\"problem_status\":\"RESOLVED\"}");
      assertThat(response.status()).isEqualTo(200);
      assertThat(stores.problems.find("0102").orElseThrow().value().isResolved()).isTrue();
      assertThat(stores.events.published()).hasSize(1);
    }

    @Test
    void givesUpWith500WhenTheRecordNeverSettles() {
      stores.problems.put(unresolved("01", "02", ProblemType.OBSTRUCTION, 100));
      stores.problems.failNextReplaces(ConflictRetry.MAX_ATTEMPTS);
      assertError(patch("/problems/0102", "{\"problem_status\":\"RESOLVED\"}"), 500, "internal");
      assertThat(stores.problems.find("0102").orElseThrow().value().isResolved()).isFalse();
      assertThat(stores.events.published()).isEmpty();
    }

    @Test
    void unknownProblemIs404() {
      assertError(patch("/problems/0102", "{\"problem_status\":\"RESOLVED\"}"), 404, "0102");
      assertThat(stores.events.published()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "|empty",
          "not json|not valid JSON",
          "{\"problem_status\":\"RESOLVED\"} x|not valid JSON",
          "[\"RESOLVED\"]|JSON object",
          "\"RESOLVED\"|JSON object",
          "{}|send \"problem_status\"",
          "{\"problem_status\":null}|send \"problem_status\"",
          "{\"note\":\"x\"}|send \"problem_status\"",
          "{\"acknowledged\":false}|acknowledged must be true",
          "{\"acknowledged\":\"true\"}|acknowledged must be true",
          "{\"acknowledged\":1}|acknowledged must be true",
          "{\"problem_status\":\"UNRESOLVED\"}|must be \"RESOLVED\"",
          "{\"problem_status\":\"resolved\"}|must be \"RESOLVED\"",
          "{\"problem_status\":1}|must be \"RESOLVED\"",
          "{\"problem_status\":\"RESOLVED\",\"note\":5}|note must be a string",
          "{\"problem_status\":\"RESOLVED\",\"resolved_by\":[]}|resolved_by must be a string",
          "{\"problem_status\":\"RESOLVED\",\"resolved_by\":\" \"}|caller's own name",
          "{\"problem_status\":\"RESOLVED\",\"notes\":\"x\"}|unknown field 'notes'",
          "{\"problem_status\":\"RESOLVED\",\"problem_status\":\"RESOLVED\"}|not valid JSON"
        })
    void badBodyIs400AndChangesNothing(String caseText) {
      stores.problems.put(unresolved("01", "02", ProblemType.OBSTRUCTION, 100));
      String[] parts = caseText.split("\\|");
      assertError(patch("/problems/0102", parts[0]), 400, parts[1]);
      assertThat(stores.problems.find("0102").orElseThrow().value().isResolved()).isFalse();
      assertThat(stores.events.published()).isEmpty();
    }

    /** Found by RestFuzzTest: the 400 quoted Jackson's StreamReadConstraints. */
    @Test
    void aBodyPastJacksonsLimitsIs400InWordsForAPerson() {
      stores.problems.put(unresolved("01", "02", ProblemType.OBSTRUCTION, 100));

      ApiResponse deep = patch("/problems/0102", "[".repeat(1001));
      ApiResponse longNumber = patch("/problems/0102", "{\"note\":" + "1".repeat(1001) + "}");

      for (ApiResponse response : List.of(deep, longNumber)) {
        assertError(
            response, 400, "nested deeper than 1000 levels, or a number or string far too long");
        assertThat(response.bodyText()).doesNotContain("StreamReadConstraints");
      }
    }

    @Test
    void noteOfAtMost2000CharactersIsKept() {
      stores.problems.put(unresolved("01", "02", ProblemType.OBSTRUCTION, 100));
      String longest = "é".repeat(2000);
      String tooLong = "{\"problem_status\":\"RESOLVED\",\"note\":\"" + longest + "x\"}";
      assertError(patch("/problems/0102", tooLong), 400, "2001 characters");
      ApiResponse ok =
          patch("/problems/0102", "{\"problem_status\":\"RESOLVED\",\"note\":\"" + longest + "\"}");
      assertThat(json(ok).path("note").asText()).isEqualTo(longest);
    }
  }

  @Nested
  class RejectsAndNetwork {

    @Test
    void rejectsNewestFirstWithDefaultAndLimit() {
      for (int i = 0; i < 120; i++) {
        stores.rejects.add(new Reject("reason " + i, i, "payload " + i));
      }
      JsonNode all = json(call("GET", "/rejects")).path("rejects");
      assertThat(all.size()).isEqualTo(RestApi.DEFAULT_REJECTS);
      assertThat(all.get(0).path("reason").asText()).isEqualTo("reason 119");
      assertThat(all.get(0).path("received").asLong()).isEqualTo(119);
      assertThat(all.get(0).path("payload").asText()).isEqualTo("payload 119");
      JsonNode two = json(call("GET", "/rejects?limit=2")).path("rejects");
      assertThat(two.findValuesAsText("reason")).containsExactly("reason 119", "reason 118");
      assertThat(json(call("GET", "/rejects?limit=10000")).path("rejects").size()).isEqualTo(120);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "10001", "x", "-1"})
    void badRejectLimitIs400(String limit) {
      assertError(call("GET", "/rejects?limit=" + limit), 400, "limit must be");
    }

    @Test
    void networkIsDerivedFromReportingDevicesWithoutAFile() {
      stores.devices.put(device("12", "100", 1));
      stores.devices.put(device("01", "100", 1));
      stores.devices.put(device("02", "100", 1));
      JsonNode tubes = json(call("GET", "/network")).path("tubes");
      assertThat(tubes.findValuesAsText("id")).startsWith("0", "01", "02");
      assertThat(tubes.size()).isEqualTo(2);
      assertThat(tubes.get(0).path("sensors").findValuesAsText("id")).containsExactly("01", "02");
      assertThat(tubes.get(1).path("id").asText()).isEqualTo("1");
      assertThat(tubes.get(1).path("sensors").get(0).path("derived").asBoolean()).isTrue();
    }
  }

  @Test
  void idsInPathsAreDecodedPerSegment() {
    stores.devices.put(device("0-10", "100", 1));
    assertError(call("GET", "/devices/0%2F10"), 404, "not a sensor id");
    assertThat(json(call("GET", "/devices/0%2D10")).path("id").asText()).isEqualTo("0-10");
  }
}
