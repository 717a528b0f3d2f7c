package org.kloaka.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.kloaka.api.Responses;
import org.kloaka.core.app.CommentOnProblem;
import org.kloaka.core.app.ManageOperators;
import org.kloaka.core.app.TimelineQueries;
import org.kloaka.model.ProblemEvent;
import org.kloaka.model.Role;

/**
 * {@code /operators}, {@code /me}, comments and the timeline (openapi.yaml): the bodies read and
 * answered; the use cases decide.
 */
final class OperatorRoutes {

  static final int DEFAULT_EVENTS = 1000;
  static final int MAX_EVENTS = 10_000;

  private final ManageOperators operators;
  private final CommentOnProblem comments;
  private final TimelineQueries timeline;

  OperatorRoutes(ManageOperators operators, CommentOnProblem comments, TimelineQueries timeline) {
    this.operators = Objects.requireNonNull(operators, "operators");
    this.comments = Objects.requireNonNull(comments, "comments");
    this.timeline = Objects.requireNonNull(timeline, "timeline");
  }

  Responses.Operators list(ApiRequest request) {
    QueryParameters.parse(request.rawQuery(), Set.of());
    return new Responses.Operators(operators.list());
  }

  Responses.NewOperator add(ApiRequest request) {
    QueryParameters.parse(request.rawQuery(), Set.of());
    JsonNode root =
        JsonBody.object(
            request.body(),
            "{\"name\": \"maria\", \"role\": \"operator\"}",
            List.of("name", "role"));
    String name = JsonBody.optionalText(root, "name", 1000);
    String roleText = JsonBody.optionalText(root, "role", 1000);
    String why = ManageOperators.whyInvalidName(name);
    if (why != null) {
      throw ApiException.badRequest(why);
    }
    if (roleText == null) {
      throw ApiException.badRequest("role is missing: viewer, operator, admin or ingest");
    }
    Role role;
    try {
      role = Role.ofWire(roleText);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "no role '" + UriText.clip(roleText) + "'; roles are viewer, operator, admin, ingest");
    }
    ManageOperators.Added added = operators.add(name, role);
    if (added instanceof ManageOperators.Added.Created created) {
      return new Responses.NewOperator(
          created.operator().name(),
          created.operator().role(),
          created.operator().created(),
          created.token());
    }
    throw new ApiException(409, "the name '" + name + "' is taken");
  }

  void remove(ApiRequest request, String name) {
    QueryParameters.parse(request.rawQuery(), Set.of());
    if (!operators.remove(name)) {
      throw ApiException.notFound("no operator '" + UriText.clip(name) + "'");
    }
  }

  Object comment(ApiRequest request, String problemId, String caller) {
    QueryParameters.parse(request.rawQuery(), Set.of());
    JsonNode root = JsonBody.object(request.body(), "{\"note\": \"…\"}", List.of("note"));
    String note = JsonBody.optionalText(root, "note", CommentOnProblem.MAX_CHARS);
    if (note == null || note.isEmpty()) {
      throw ApiException.badRequest(
          "note is missing or empty: a comment is 1 to "
              + CommentOnProblem.MAX_CHARS
              + " characters");
    }
    return comments
        .handle(new CommentOnProblem.Command(problemId, caller, note))
        .orElseThrow(() -> ApiException.notFound("no problem '" + UriText.clip(problemId) + "'"));
  }

  /** The pair's timeline as JSON, or as CSV with the shift's columns (docs/api.md, "CSV"). */
  ApiResponse events(ApiRequest request, String problemId) {
    QueryParameters query = QueryParameters.parse(request.rawQuery(), Lists.parameters("limit"));
    int limit = query.limit("limit", DEFAULT_EVENTS, MAX_EVENTS);
    List<ProblemEvent> events =
        timeline
            .events(problemId, limit)
            .orElseThrow(
                () -> ApiException.notFound("no problem '" + UriText.clip(problemId) + "'"));
    return Lists.answer(
        request,
        query,
        new Responses.Events(events),
        "events-" + fileNamePart(problemId),
        CsvTables.EVENTS,
        events);
  }

  /** A problem id as part of a file name: anything but letters, digits, '.', '_', '-' is '_'. */
  static String fileNamePart(String problemId) {
    return problemId.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
