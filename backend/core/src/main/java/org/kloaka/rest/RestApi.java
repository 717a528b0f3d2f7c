package org.kloaka.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.kloaka.api.Json;
import org.kloaka.api.Responses;
import org.kloaka.core.Access;
import org.kloaka.core.app.AcknowledgeProblem;
import org.kloaka.core.app.Authenticate;
import org.kloaka.core.app.CommentOnProblem;
import org.kloaka.core.app.DeliverDueNotifications;
import org.kloaka.core.app.Insights;
import org.kloaka.core.app.ManageOperators;
import org.kloaka.core.app.Queries;
import org.kloaka.core.app.ResolveProblem;
import org.kloaka.core.app.TimelineQueries;
import org.kloaka.core.ingest.IngestSources;
import org.kloaka.core.port.Health;
import org.kloaka.core.port.UplinkIngest;
import org.kloaka.model.Device;
import org.kloaka.model.Measurement;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemEvent;
import org.kloaka.model.ProblemStatus;
import org.kloaka.model.Reject;
import org.kloaka.model.SensorId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API of docs/api.md over the core's ports, for every transport. Its choices where the
 * contract is silent are in docs/decisions/005-rest-api-details.md: auth before 404/405 (except
 * {@code /health}), a malformed sensor id is 400, unknown query parameters and body fields are 400,
 * a limit above its maximum is 400, one trailing slash is tolerated.
 */
public final class RestApi implements ApiRouter {

  public static final int MAX_BODY_BYTES = 64 * 1024;
  public static final int DEFAULT_MEASUREMENTS = 1000;
  public static final int MAX_MEASUREMENTS = 10_000;
  public static final int DEFAULT_REJECTS = 100;
  public static final int MAX_REJECTS = 10_000;

  private static final Logger log = LoggerFactory.getLogger(RestApi.class);
  private static final byte[] INTERNAL_ERROR =
      "{\"error\":\"internal error\"}".getBytes(StandardCharsets.UTF_8);

  /**
   * One (method, path) the router answers; {@code {name}} in a template is a path parameter.
   *
   * @param needsToken false only for {@code GET /health}
   * @param access what the caller's role must allow (docs/api.md, "Operators and roles")
   */
  public record Route(String method, String pathTemplate, boolean needsToken, Access access) {}

  @FunctionalInterface
  private interface Handler {
    Object answer(Call call);
  }

  private record Endpoint(Route route, List<String> template, Handler handler) {}

  /**
   * @param caller who called; null only on an open route
   */
  private record Call(ApiRequest request, Map<String, String> path, Authenticate.Caller caller) {}

  /**
   * The use cases behind operators, acknowledge, comments and the timeline, and how callers are
   * told apart.
   */
  public record Operations(
      Authenticate authenticate,
      AcknowledgeProblem acknowledge,
      CommentOnProblem comment,
      TimelineQueries timeline,
      ManageOperators operators) {

    public Operations {
      Objects.requireNonNull(authenticate, "authenticate");
      Objects.requireNonNull(acknowledge, "acknowledge");
      Objects.requireNonNull(comment, "comment");
      Objects.requireNonNull(timeline, "timeline");
      Objects.requireNonNull(operators, "operators");
    }
  }

  private final Queries queries;
  private final ResolveProblem resolveProblem;
  private final Authenticate authenticate;
  private final AcknowledgeProblem acknowledge;
  private final OperatorRoutes operatorRoutes;
  private final ObjectMapper mapper = Json.newMapper();
  private final List<Endpoint> endpoints;
  private final Health health;
  private final Insights insights;

  /** Without a webhook ({@code POST /uplinks} answers 503) and with no ingest path to report. */
  public RestApi(Queries queries, ResolveProblem resolveProblem, Operations operations) {
    this(
        queries,
        resolveProblem,
        operations,
        UplinkIngest.NONE,
        new IngestSources(Clock.systemUTC(), IngestSources.buildVersion()),
        Health.alwaysOk(),
        null,
        null);
  }

  /**
   * @param queries the read-only use cases
   * @param resolveProblem the use case behind resolving with {@code PATCH /problems/{id}}
   * @param operations who may call, and the operators', acknowledge, comment and timeline use cases
   * @param uplinks where {@code POST /uplinks} hands a body: the deployment's {@code IngestMessage}
   * @param sources the ingest paths {@code GET /status} reports; the webhook is added to them
   * @param health what {@code GET /health} and the health part of {@code GET /status} report
   * @param insights the use cases behind {@code /insights/…} and the problems' timelines in their
   *     CSV export; null leaves those routes out (and the timeline column empty)
   */
  public RestApi(
      Queries queries,
      ResolveProblem resolveProblem,
      Operations operations,
      UplinkIngest uplinks,
      IngestSources sources,
      Health health) {
    this(queries, resolveProblem, operations, uplinks, sources, health, null, null);
  }

  /**
   * @param notifications the use case behind {@code /notifications} and the counts of {@code GET
   *     /status}, or null when the deployment sends none
   * @param insights the use case behind {@code /insights/…}, or null when not served
   */
  public RestApi(
      Queries queries,
      ResolveProblem resolveProblem,
      Operations operations,
      UplinkIngest uplinks,
      IngestSources sources,
      Health health,
      DeliverDueNotifications notifications,
      Insights insights) {
    this.insights = insights;
    this.queries = Objects.requireNonNull(queries, "queries");
    this.resolveProblem = Objects.requireNonNull(resolveProblem, "resolveProblem");
    this.health = Objects.requireNonNull(health, "health");
    Objects.requireNonNull(operations, "operations");
    this.authenticate = operations.authenticate();
    this.acknowledge = operations.acknowledge();
    this.operatorRoutes =
        new OperatorRoutes(operations.operators(), operations.comment(), operations.timeline());
    IngestRoutes ingest = new IngestRoutes(uplinks, sources);
    OperatorRoutes ops = operatorRoutes;
    NotificationRoutes notify = new NotificationRoutes(notifications);
    List<Endpoint> routes =
        new ArrayList<>(
            List.of(
                endpoint("GET", "/health", Access.OPEN, this::health),
                endpoint("GET", "/devices", Access.READ, this::listDevices),
                endpoint("GET", "/devices/{id}", Access.READ, this::device),
                endpoint("GET", "/devices/{id}/measurements", Access.READ, this::measurements),
                endpoint("GET", "/problems", Access.READ, this::listProblems),
                endpoint("GET", "/problems/{problem_id}", Access.READ, this::problem),
                endpoint("PATCH", "/problems/{problem_id}", Access.ACT, this::resolve),
                endpoint(
                    "POST",
                    "/problems/{problem_id}/comments",
                    Access.ACT,
                    call ->
                        json(
                            201,
                            ops.comment(
                                call.request(),
                                call.path().get("problem_id"),
                                call.caller().name()))),
                endpoint(
                    "GET",
                    "/problems/{problem_id}/events",
                    Access.READ,
                    call -> ops.events(call.request(), call.path().get("problem_id"))),
                endpoint("GET", "/rejects", Access.READ, this::listRejects),
                endpoint("GET", "/network", Access.READ, this::network),
                endpoint("GET", "/me", Access.READ, this::me),
                endpoint("GET", "/operators", Access.ADMIN, call -> ops.list(call.request())),
                endpoint(
                    "POST", "/operators", Access.ADMIN, call -> json(201, ops.add(call.request()))),
                endpoint(
                    "DELETE",
                    "/operators/{name}",
                    Access.ADMIN,
                    call -> {
                      ops.remove(call.request(), call.path().get("name"));
                      return new ApiResponse(204, new byte[0], Map.of());
                    }),
                endpoint("POST", "/uplinks", Access.UPLINK, call -> ingest.uplink(call.request())),
                endpoint(
                    "GET", "/notifications", Access.READ, call -> notify.recent(call.request())),
                endpoint(
                    "POST",
                    "/notifications/test",
                    Access.ADMIN,
                    call -> notify.test(call.request())),
                endpoint(
                    "GET",
                    "/status",
                    Access.READ,
                    call ->
                        ingest
                            .status(call.request())
                            .withHealth(healthDetail())
                            .withNotifications(notify.counts()))));
    if (insights != null) {
      InsightRoutes insight = new InsightRoutes(insights);
      routes.add(
          endpoint("GET", "/insights/pairs", Access.READ, call -> insight.pairs(call.request())));
      routes.add(
          endpoint("GET", "/insights/shift", Access.READ, call -> insight.shift(call.request())));
    }
    this.endpoints = List.copyOf(routes);
  }

  /** Every (method, path template) this router dispatches, as it dispatches them. */
  public List<Route> routes() {
    return endpoints.stream().map(Endpoint::route).toList();
  }

  @Override
  public ApiResponse handle(ApiRequest request) {
    try {
      return dispatch(request);
    } catch (ApiException e) {
      return error(e.status(), e.getMessage(), e.headers());
    } catch (RuntimeException e) {
      log.error(
          "REST call failed: {} {}{}",
          request.method(),
          UriText.clip(request.path()),
          request.rawQuery() == null ? "" : "?" + UriText.clip(request.rawQuery()),
          e);
      return new ApiResponse(500, INTERNAL_ERROR, Map.of());
    }
  }

  private ApiResponse dispatch(ApiRequest request) {
    List<String> segments = UriText.segments(request.path());
    List<Endpoint> onPath = new ArrayList<>();
    Map<String, String> parameters = new HashMap<>();
    if (segments != null) {
      for (Endpoint endpoint : endpoints) {
        if (matches(endpoint.template(), segments)) {
          onPath.add(endpoint);
        }
      }
    }
    boolean open = !onPath.isEmpty() && onPath.stream().noneMatch(e -> e.route().needsToken());
    Authenticate.Caller caller = open ? null : authenticate(request);
    if (request.body().length > MAX_BODY_BYTES) {
      throw new ApiException(
          413,
          "the body is "
              + request.body().length
              + " bytes; the limit is "
              + MAX_BODY_BYTES
              + " bytes");
    }
    if (onPath.isEmpty()) {
      throw ApiException.notFound("no such path: " + UriText.clip(request.path()));
    }
    Endpoint chosen =
        onPath.stream()
            .filter(e -> e.route().method().equals(request.method()))
            .findFirst()
            .orElseThrow(() -> methodNotAllowed(request.method(), onPath));
    if (caller != null && !caller.may(chosen.route().access())) {
      throw new ApiException(
          403,
          "the role "
              + caller.role().wire()
              + " may not "
              + chosen.route().method()
              + " "
              + chosen.route().pathTemplate()
              + " ("
              + UriText.clip(caller.name())
              + ")");
    }
    for (int i = 0; i < chosen.template().size(); i++) {
      String part = chosen.template().get(i);
      if (isParameter(part)) {
        parameters.put(part.substring(1, part.length() - 1), segments.get(i));
      }
    }
    Object answer = chosen.handler().answer(new Call(request, parameters, caller));
    return answer instanceof ApiResponse ready ? ready : json(200, answer);
  }

  private Authenticate.Caller authenticate(ApiRequest request) {
    String authorization = request.header("Authorization");
    if (authorization == null || authorization.isBlank()) {
      throw unauthorized("missing token: send the header Authorization: Bearer <token>");
    }
    String scheme = "Bearer ";
    if (authorization.length() <= scheme.length()
        || !authorization.regionMatches(true, 0, scheme, 0, scheme.length())) {
      throw unauthorized("the Authorization header must be 'Bearer <token>'");
    }
    return authenticate
        .caller(authorization.substring(scheme.length()).trim())
        .orElseThrow(() -> unauthorized("wrong token"));
  }

  private Object me(Call call) {
    QueryParameters.parse(call.request().rawQuery(), Set.of());
    return new Responses.Me(call.caller().name(), call.caller().role());
  }

  private Object health(Call call) {
    QueryParameters.parse(call.request().rawQuery(), Set.of());
    List<Health.Fault> faults = health.faults();
    if (faults.isEmpty()) {
      return new Responses.Health("ok");
    }
    String reason =
        String.join("; ", faults.stream().map(f -> f.component() + ": " + f.reason()).toList());
    return json(503, new Responses.Health("degraded", reason));
  }

  private Responses.HealthDetail healthDetail() {
    List<Responses.Fault> faults =
        health.faults().stream()
            .map(f -> new Responses.Fault(f.component(), f.reason(), f.detail(), f.since()))
            .toList();
    return new Responses.HealthDetail(faults.isEmpty() ? "ok" : "degraded", faults);
  }

  private Object listDevices(Call call) {
    QueryParameters query = QueryParameters.parse(call.request().rawQuery(), Lists.parameters());
    List<Device> devices = queries.devices();
    return Lists.answer(
        call.request(),
        query,
        new Responses.Devices(devices),
        "devices",
        CsvTables.DEVICES,
        devices);
  }

  private Object device(Call call) {
    QueryParameters.parse(call.request().rawQuery(), Set.of());
    SensorId id = sensorId(call.path().get("id"));
    return queries.device(id).orElseThrow(() -> noDevice(id));
  }

  private Object measurements(Call call) {
    SensorId id = sensorId(call.path().get("id"));
    QueryParameters query =
        QueryParameters.parse(
            call.request().rawQuery(), Lists.parameters("since", "until", "limit"));
    long since = query.seconds("since", 0);
    long until = query.seconds("until", Long.MAX_VALUE);
    int limit = query.limit("limit", DEFAULT_MEASUREMENTS, MAX_MEASUREMENTS);
    if (since > until) {
      throw ApiException.badRequest(
          "since (" + since + ") is after until (" + until + "); nothing can match");
    }
    List<Measurement> rows =
        queries.measurements(id, since, until, limit).orElseThrow(() -> noDevice(id));
    return Lists.answer(
        call.request(),
        query,
        new Responses.Measurements(rows),
        "measurements-" + id,
        CsvTables.measurements(id),
        rows);
  }

  private Object listProblems(Call call) {
    QueryParameters query =
        QueryParameters.parse(call.request().rawQuery(), Lists.parameters("status"));
    ProblemStatus status = null;
    Optional<String> given = query.text("status");
    if (given.isPresent()) {
      status =
          switch (given.get()) {
            case "UNRESOLVED" -> ProblemStatus.UNRESOLVED;
            case "RESOLVED" -> ProblemStatus.RESOLVED;
            default ->
                throw ApiException.badRequest(
                    "status must be UNRESOLVED or RESOLVED, was '"
                        + UriText.clip(given.get())
                        + "'");
          };
    }
    List<Problem> rows = queries.problems(status);
    if (Representation.of(call.request(), query) == Representation.CSV) {
      // The export carries each problem's timeline (docs/api.md, "CSV").
      Map<String, List<ProblemEvent>> timelines =
          insights == null ? Map.of() : insights.timelines(rows);
      return Lists.csv("problems", CsvTables.problems(timelines), rows);
    }
    return Lists.json(new Responses.Problems(rows));
  }

  private Object problem(Call call) {
    QueryParameters.parse(call.request().rawQuery(), Set.of());
    String id = call.path().get("problem_id");
    return queries.problem(id).orElseThrow(() -> noProblem(id));
  }

  private Object resolve(Call call) {
    QueryParameters.parse(call.request().rawQuery(), Set.of());
    String by = call.caller().name();
    ResolveBody.Patch patch = ResolveBody.parse(call.request().body(), by);
    String id = call.path().get("problem_id");
    if (!patch.resolve()) {
      return acknowledge
          .handle(new AcknowledgeProblem.Command(id, by, patch.note()))
          .orElseThrow(() -> noProblem(id));
    }
    // Resolving acknowledges too (docs/problems.md), so both at once is a resolve.
    ResolveProblem.Result result =
        resolveProblem.handle(new ResolveProblem.Command(id, by, patch.note()));
    if (result instanceof ResolveProblem.Result.Resolved resolved) {
      return resolved.problem();
    }
    throw noProblem(id);
  }

  private Object listRejects(Call call) {
    QueryParameters query =
        QueryParameters.parse(call.request().rawQuery(), Lists.parameters("limit"));
    List<Reject> rows = queries.rejects(query.limit("limit", DEFAULT_REJECTS, MAX_REJECTS));
    return Lists.answer(
        call.request(), query, new Responses.Rejects(rows), "rejects", CsvTables.REJECTS, rows);
  }

  private Object network(Call call) {
    QueryParameters.parse(call.request().rawQuery(), Set.of());
    return queries.network();
  }

  private static ApiException noDevice(SensorId id) {
    return ApiException.notFound("no device " + id + " has reported");
  }

  /**
   * The path's sensor id. A malformed one can name no device: 404, as for a device that never
   * reported, with the reason (docs/decisions/005).
   */
  private static SensorId sensorId(String text) {
    String why = SensorId.whyInvalid(text);
    if (why != null) {
      throw ApiException.notFound("no such device: not a sensor id: " + why);
    }
    return SensorId.parse(text);
  }

  private static ApiException noProblem(String id) {
    return ApiException.notFound("no problem '" + UriText.clip(id) + "'");
  }

  private static ApiException unauthorized(String message) {
    return new ApiException(401, message, Map.of("WWW-Authenticate", "Bearer"));
  }

  private static ApiException methodNotAllowed(String method, List<Endpoint> onPath) {
    TreeSet<String> allowed = new TreeSet<>();
    onPath.forEach(e -> allowed.add(e.route().method()));
    String allow = String.join(", ", allowed);
    return new ApiException(
        405,
        "method " + UriText.clip(method) + " is not allowed here; allowed: " + allow,
        Map.of("Allow", allow));
  }

  private static Endpoint endpoint(String method, String template, Access access, Handler handler) {
    return new Endpoint(
        new Route(method, template, access != Access.OPEN, access),
        List.of(template.substring(1).split("/")),
        handler);
  }

  private static boolean matches(List<String> template, List<String> segments) {
    if (template.size() != segments.size()) {
      return false;
    }
    for (int i = 0; i < template.size(); i++) {
      String part = template.get(i);
      boolean ok = isParameter(part) ? !segments.get(i).isEmpty() : part.equals(segments.get(i));
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean isParameter(String part) {
    return part.startsWith("{") && part.endsWith("}");
  }

  private ApiResponse error(int status, String message, Map<String, String> headers) {
    return new ApiResponse(status, write(new Responses.Error(message)), headers);
  }

  private ApiResponse json(int status, Object body) {
    return new ApiResponse(status, write(body), Map.of());
  }

  private byte[] write(Object body) {
    try {
      return mapper.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write the answer as JSON", e);
    }
  }
}
