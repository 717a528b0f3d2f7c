package org.kloaka.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kloaka.api.Json;

/**
 * The answers of the list routes, as JSON or as CSV (docs/api.md, "CSV"). Either way they vary with
 * {@code Accept}, which caches must know.
 */
final class Lists {

  private static final ObjectMapper JSON = Json.newMapper();
  private static final Map<String, String> VARY = Map.of("Vary", "Accept");

  private Lists() {}

  /** The query parameters of a list route: its own and {@code format}. */
  static Set<String> parameters(String... own) {
    Set<String> names = new HashSet<>(List.of(own));
    names.add(Representation.FORMAT);
    return names;
  }

  /** {@code json} as it is, or {@code rows} as CSV under {@code columns} if the caller asked. */
  static <T> ApiResponse answer(
      ApiRequest request,
      QueryParameters query,
      Object json,
      String fileName,
      List<Csv.Column<T>> columns,
      List<T> rows) {
    return Representation.of(request, query) == Representation.CSV
        ? csv(fileName, columns, rows)
        : json(json);
  }

  static <T> ApiResponse csv(String fileName, List<Csv.Column<T>> columns, List<T> rows) {
    return new ApiResponse(
        200,
        Csv.write(columns, rows),
        Map.of(
            "Content-Type",
            Csv.CONTENT_TYPE,
            "Content-Disposition",
            "attachment; filename=\"" + fileName + ".csv\"",
            "Vary",
            "Accept"));
  }

  static ApiResponse json(Object body) {
    try {
      return new ApiResponse(200, JSON.writeValueAsBytes(body), VARY);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write the answer as JSON", e);
    }
  }
}
