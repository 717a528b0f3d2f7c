package org.kloaka.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kloaka.core.TestData.resolved;
import static org.kloaka.core.TestData.unresolved;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kloaka.api.Json;
import org.kloaka.core.InMemoryStores;
import org.kloaka.core.app.IngestMessage;
import org.kloaka.core.app.Queries;
import org.kloaka.core.app.ResolveProblem;
import org.kloaka.core.ingest.IngestSources;
import org.kloaka.core.network.Network;
import org.kloaka.core.port.OperatorSessions;
import org.kloaka.ingest.IngestParser;
import org.kloaka.model.Device;
import org.kloaka.model.Filling;
import org.kloaka.model.Measurement;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemEvent;
import org.kloaka.model.ProblemType;
import org.kloaka.model.Reject;
import org.kloaka.model.SensorId;
import org.kloaka.model.Signal;
import org.kloaka.network.NetworkJson;

/**
 * Keeps {@code openapi.yaml} and {@link RestApi} in step: the same (method, path) pairs, every
 * documented operation answered with a body its schema accepts, documented errors that the router
 * really gives, and bearer auth everywhere but {@code /health}.
 */
class OpenApiContractTest {

  static final Set<String> HTTP_METHODS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
  static final String TOKEN = "contract-token";
  static final String RESOLVE_BODY = "{\"problem_status\": \"RESOLVED\", \"note\": \"flushed\"}";
  static final ObjectMapper JSON = Json.newMapper();

  static JsonNode spec;

  final InMemoryStores stores = new InMemoryStores();
  RestApi api;

  @BeforeAll
  static void readSpec() throws IOException {
    try (InputStream in = OpenApiContractTest.class.getResourceAsStream("/openapi.yaml")) {
      assertThat(in).as("openapi.yaml on the class path").isNotNull();
      spec = new YAMLMapper().readTree(in);
    }
  }

  @BeforeEach
  void seed() throws Exception {
    long t = 1_658_274_939L;
    Filling full = Filling.of(100);
    stores.devices.put(
        new Device(
            SensorId.parse("01"),
            full,
            t,
            List.of(new Measurement(full, t)),
            new Signal(-97.0, 7.5, "kloaka-gw-01"),
            "0004A30B001C0530",
            new java.math.BigDecimal("3.61"),
            4021L));
    stores.devices.put(org.kloaka.core.TestData.device("05", "62.5", t));
    stores.devices.put(org.kloaka.core.TestData.device("2-1", "0", t));
    stores.history.append(SensorId.parse("01"), new Measurement(full, t), null);
    stores.problems.put(unresolved("01", "02", ProblemType.OBSTRUCTION, t));
    stores.problems.put(resolved("02", "03", ProblemType.PROBLEM, t, t + 60));
    stores.rejects.add(new Reject("payload is not valid JSON", t, "{oops"));
    for (Problem p : stores.problems.list(null)) {
      stores.timeline.append(ProblemEvent.of(p, ProblemEvent.Type.OPENED, t, null, null));
      if (p.isResolved()) {
        stores.timeline.append(
            ProblemEvent.of(p, ProblemEvent.Type.ACKNOWLEDGED, t + 60, "maria", null));
        stores.timeline.append(
            ProblemEvent.of(p, ProblemEvent.Type.RESOLVED, t + 60, "maria", "grate cleared"));
      }
    }
    Network network =
        Network.of(
            NetworkJson.parse(
                "test",
                """
                {"tubes": [{"id": "0", "name": "Via Roma", "sensors": [
                   {"id": "01", "name": "Manhole 14", "lat": 41.9028, "lon": 12.4964}, {"id": "02"}],
                   "flows_into": {"tube": "1", "at": "11"}},
                 {"id": "1", "sensors": [{"id": "11"}]}]}
                """
                    .getBytes(StandardCharsets.UTF_8)));
    api =
        new RestApi(
            new Queries(stores.devices, stores.history, stores.problems, stores.rejects, network),
            new ResolveProblem(
                stores.problems,
                stores.transactions,
                stores.events,
                Clock.fixed(Instant.ofEpochSecond(t + 3600), ZoneOffset.UTC)),
            stores.operations(
                TOKEN,
                Clock.fixed(Instant.ofEpochSecond(t + 3600), ZoneOffset.UTC),
                OperatorSessions.NONE),
            body -> {
              IngestMessage ingest =
                  IngestMessage.inspectedFromTheDeviceStream(
                      stores.organizer(
                          Clock.fixed(Instant.ofEpochSecond(t + 3600), ZoneOffset.UTC)));
              return ingest
                  .handle(ingest.receive(body, IngestParser.MAX_UPLINK_BYTES, null))
                  .outcome();
            },
            new IngestSources(Clock.systemUTC(), "test"),
            org.kloaka.core.port.Health.alwaysOk(),
            null,
            new org.kloaka.core.app.Insights(
                stores.timeline,
                stores.problems,
                network,
                Clock.fixed(Instant.ofEpochSecond(t + 3600), ZoneOffset.UTC)));
  }

  /** One documented operation. */
  record Operation(String method, String path, JsonNode pathItem, JsonNode node) {
    String key() {
      return method + " " + path;
    }
  }

  static List<Operation> operations() {
    List<Operation> operations = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = spec.path("paths").fields();
        paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
        Map.Entry<String, JsonNode> op = ops.next();
        if (HTTP_METHODS.contains(op.getKey())) {
          operations.add(
              new Operation(
                  op.getKey().toUpperCase(java.util.Locale.ROOT),
                  path.getKey(),
                  path.getValue(),
                  op.getValue()));
        }
      }
    }
    return operations;
  }

  /** Path-level and operation-level parameters, $refs resolved. */
  static List<JsonNode> parameters(Operation op) {
    List<JsonNode> all = new ArrayList<>();
    op.pathItem().path("parameters").forEach(p -> all.add(SchemaCheck.resolve(spec, p)));
    op.node().path("parameters").forEach(p -> all.add(SchemaCheck.resolve(spec, p)));
    return all;
  }

  ApiResponse call(String method, String path, String query, String body, String token) {
    return api.handle(
        new ApiRequest(
            method,
            path,
            query,
            token == null ? Map.of() : Map.of("Authorization", "Bearer " + token),
            body == null ? null : body.getBytes(StandardCharsets.UTF_8)));
  }

  /** Calls the operation with every parameter set to its documented example. */
  ApiResponse callWithExamples(Operation op) {
    String path = op.path();
    List<String> query = new ArrayList<>();
    for (JsonNode parameter : parameters(op)) {
      String name = parameter.path("name").asText();
      JsonNode example = parameter.path("example");
      assertThat(example.isMissingNode())
          .as("%s: parameter %s has an example", op.key(), name)
          .isFalse();
      String value = example.asText();
      switch (parameter.path("in").asText()) {
        case "path" -> path = path.replace("{" + name + "}", value);
        case "query" -> query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        default -> throw new AssertionError(op.key() + ": parameter in " + parameter.path("in"));
      }
    }
    String body =
        !op.node().has("requestBody")
            ? null
            : switch (op.node().path("operationId").asText()) {
              case "commentOnProblem" -> "{\"note\": \"crew 3 on the way\"}";
              case "addOperator" -> "{\"name\": \"maria\", \"role\": \"operator\"}";
              default -> RESOLVE_BODY;
            };
    return call(op.method(), path, query.isEmpty() ? null : String.join("&", query), body, TOKEN);
  }

  @Test
  void theDocumentIsOpenApi303WithBearerAuth() {
    assertThat(spec.path("openapi").asText()).isEqualTo("3.0.3");
    JsonNode scheme = spec.at("/components/securitySchemes/bearerAuth");
    assertThat(scheme.path("type").asText()).isEqualTo("http");
    assertThat(scheme.path("scheme").asText()).isEqualTo("bearer");
    assertThat(spec.at("/security/0").has("bearerAuth")).isTrue();
  }

  @Test
  void documentedOperationsAndRoutedOperationsAreTheSame() {
    Set<String> documented = new TreeSet<>();
    operations().forEach(op -> documented.add(op.key()));
    Set<String> routed = new TreeSet<>();
    api.routes().forEach(r -> routed.add(r.method() + " " + r.pathTemplate()));
    assertThat(documented).isEqualTo(routed);
  }

  @Test
  void everyDocumentedOperationAnswersWithABodyItsSchemaAccepts() {
    for (Operation op : operations()) {
      ApiResponse response = callWithExamples(op);
      // The one success each operation documents: 200, 201 (created) or 204 (no body).
      String success =
          List.of("200", "201", "204").stream()
              .filter(code -> op.node().path("responses").has(code))
              .findFirst()
              .orElseThrow(() -> new AssertionError(op.key() + " documents no success"));
      assertThat(response.status())
          .as(op.key() + ": " + response.bodyText())
          .isEqualTo(Integer.parseInt(success));
      if (success.equals("204")) {
        assertThat(response.body()).as(op.key()).isEmpty();
        continue;
      }
      JsonNode schema = op.node().at("/responses/" + success + "/content/application~1json/schema");
      assertThat(schema.isMissingNode()).as(op.key() + " documents its body").isFalse();
      assertThat(SchemaCheck.problems(spec, schema, json(response))).as(op.key()).isEmpty();
    }
  }

  @Test
  void documentedBodiesAreNotEmpty() {
    // A schema check over empty lists proves little: the seed must fill every list.
    for (String target :
        List.of("/devices", "/problems", "/rejects", "/network", "/insights/pairs")) {
      JsonNode body = json(call("GET", target, null, null, TOKEN));
      assertThat(body.elements().next().size()).as(target).isGreaterThan(0);
    }
    JsonNode tubes = json(call("GET", "/network", null, null, TOKEN)).path("tubes");
    assertThat(tubes.findValues("derived")).as("derived sensors are in the answer").isNotEmpty();
    assertThat(tubes.findValues("flows_into")).isNotEmpty();
  }

  @Test
  void theResolveBodyTheRouterAcceptsMatchesTheDocumentedRequestSchema() throws IOException {
    JsonNode schema =
        spec.at(
            "/paths/~1problems~1{problem_id}/patch/requestBody/content/application~1json/schema");
    assertThat(SchemaCheck.problems(spec, schema, JSON.readTree(RESOLVE_BODY))).isEmpty();
    assertThat(SchemaCheck.problems(spec, schema, JSON.readTree("{\"problem_status\": \"OPEN\"}")))
        .isNotEmpty();
  }

  @Test
  void onlyHealthIsDocumentedAndRoutedWithoutAToken() {
    for (Operation op : operations()) {
      JsonNode security = op.node().path("security");
      boolean open = security.isArray() && security.isEmpty();
      RestApi.Route route =
          api.routes().stream()
              .filter(r -> r.method().equals(op.method()) && r.pathTemplate().equals(op.path()))
              .findFirst()
              .orElseThrow(() -> new AssertionError(op.key() + " is documented, not routed"));
      assertThat(open).as(op.key() + " open in the document").isEqualTo(!route.needsToken());
      assertThat(op.node().path("responses").has("401"))
          .as(op.key() + " documents 401")
          .isEqualTo(route.needsToken());
    }
  }

  @Test
  void everyOperationDocumentsTheErrorsEveryCallCanGet() {
    for (Operation op : operations()) {
      JsonNode responses = op.node().path("responses");
      for (String code : List.of("400", "405", "413", "500")) {
        assertThat(responses.has(code)).as(op.key() + " documents " + code).isTrue();
      }
      boolean looksSomethingUp = op.path().contains("{");
      assertThat(responses.has("404")).as(op.key() + " documents 404").isEqualTo(looksSomethingUp);
    }
  }

  @Test
  void documentedErrorsAreWhatTheRouterAnswers() {
    JsonNode error = spec.at("/components/schemas/Error");
    List<ApiResponse> errors =
        List.of(
            call("GET", "/devices", null, null, null),
            call("GET", "/devices/99", null, null, TOKEN),
            call("GET", "/devices/x", null, null, TOKEN),
            call("GET", "/devices", "limit=5", null, TOKEN),
            call("DELETE", "/problems/0102", null, null, TOKEN),
            call("PATCH", "/problems/0102", null, "x".repeat(RestApi.MAX_BODY_BYTES + 1), TOKEN));
    assertThat(errors)
        .extracting(ApiResponse::status)
        .containsExactly(401, 404, 404, 400, 405, 413);
    for (ApiResponse response : errors) {
      assertThat(SchemaCheck.problems(spec, error, json(response))).isEmpty();
    }
    assertThat(spec.at("/components/responses/Unauthorized/headers").has("WWW-Authenticate"))
        .isTrue();
    assertThat(errors.get(0).headers()).containsKey("WWW-Authenticate");
    assertThat(spec.at("/components/responses/MethodNotAllowed/headers").has("Allow")).isTrue();
    assertThat(errors.get(4).headers()).containsKey("Allow");
  }

  @Test
  void documentedLimitsAreTheRoutersLimits() {
    JsonNode measurementLimit =
        parameters(operation("GET", "/devices/{id}/measurements")).stream()
            .filter(p -> p.path("name").asText().equals("limit"))
            .findFirst()
            .orElseThrow()
            .path("schema");
    assertThat(measurementLimit.path("default").asInt()).isEqualTo(RestApi.DEFAULT_MEASUREMENTS);
    assertThat(measurementLimit.path("maximum").asInt()).isEqualTo(RestApi.MAX_MEASUREMENTS);
    JsonNode rejectLimit = parameters(operation("GET", "/rejects")).get(0).path("schema");
    assertThat(rejectLimit.path("default").asInt()).isEqualTo(RestApi.DEFAULT_REJECTS);
    assertThat(rejectLimit.path("maximum").asInt()).isEqualTo(RestApi.MAX_REJECTS);
    assertThat(spec.at("/components/schemas/Resolve/properties/note/maxLength").asInt())
        .isEqualTo(ResolveBody.MAX_NOTE_CHARS);
  }

  @Test
  void everyReferenceResolves() {
    List<String> refs = new ArrayList<>();
    collectRefs(spec, refs);
    assertThat(refs).hasSizeGreaterThan(20);
    for (String ref : refs) {
      assertThat(spec.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
    }
  }

  static Operation operation(String method, String path) {
    return operations().stream()
        .filter(o -> o.method().equals(method) && o.path().equals(path))
        .findFirst()
        .orElseThrow();
  }

  static void collectRefs(JsonNode node, List<String> refs) {
    if (node.has("$ref")) {
      refs.add(node.get("$ref").asText());
    }
    node.elements().forEachRemaining(child -> collectRefs(child, refs));
  }

  static JsonNode json(ApiResponse response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + response.bodyText(), e);
    }
  }
}
