package org.kloaka.rest;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.kloaka.api.Responses;
import org.kloaka.core.app.Insights;
import org.kloaka.model.PairInsights;
import org.kloaka.model.ProblemEvent;

/**
 * {@code GET /insights/pairs} (hot spots) and {@code GET /insights/shift} (a shift's handover), as
 * openapi.yaml describes them: the windows checked, then the {@link Insights} use cases, as JSON or
 * CSV.
 */
final class InsightRoutes {

  private final Insights insights;

  InsightRoutes(Insights insights) {
    this.insights = insights;
  }

  ApiResponse pairs(ApiRequest request) {
    QueryParameters query = QueryParameters.parse(request.rawQuery(), Lists.parameters("days"));
    int days = query.limit("days", Insights.DEFAULT_DAYS, Insights.MAX_DAYS);
    PairInsights answer = answer(() -> insights.pairs(days));
    return Lists.answer(
        request, query, answer, "hot-spots-" + days + "d", CsvTables.PAIRS, answer.pairs());
  }

  ApiResponse shift(ApiRequest request) {
    QueryParameters query =
        QueryParameters.parse(
            request.rawQuery(), Lists.parameters("since", "until", "types", "limit"));
    Long since = query.text("since").isPresent() ? query.seconds("since", 0) : null;
    Long until = query.text("until").isPresent() ? query.seconds("until", 0) : null;
    Set<ProblemEvent.Type> types = types(query.text("types").orElse(null));
    int limit = query.limit("limit", Insights.DEFAULT_EVENTS, Insights.MAX_EVENTS);
    List<ProblemEvent> events = answer(() -> insights.shift(since, until, types, limit));
    return Lists.answer(
        request, query, new Responses.Events(events), "shift", CsvTables.EVENTS, events);
  }

  /** {@code opened,resolved,…} or {@code all}; absent: the handover's four. */
  static Set<ProblemEvent.Type> types(String text) {
    if (text == null) {
      return Insights.HANDOVER;
    }
    if (text.equals("all")) {
      return EnumSet.allOf(ProblemEvent.Type.class);
    }
    Set<ProblemEvent.Type> types = EnumSet.noneOf(ProblemEvent.Type.class);
    for (String part : text.split(",", -1)) {
      try {
        types.add(ProblemEvent.Type.ofWire(part));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest(
            "types must be 'all' or a comma-separated list of event types (opened, changed,"
                + " inactive, active, acknowledged, comment, resolved, notified, notify_failed);"
                + " '"
                + UriText.clip(part)
                + "' is none");
      }
    }
    return types;
  }

  private interface Read<T> {
    T get();
  }

  private static <T> T answer(Read<T> read) {
    try {
      return read.get();
    } catch (Insights.BadWindow e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }
}
