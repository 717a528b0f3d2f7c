package org.kloaka.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.kloaka.model.ProblemStatus;

/**
 * The body of {@code PATCH /problems/{id}}: {@code {"problem_status": "RESOLVED", "note": "…"}}
 * and/or {@code {"acknowledged": true, "note": "…"}}; {@code resolved_by} and {@code
 * acknowledged_by}, when sent (a client echoing the record back), must name the caller: who did it
 * always comes from the token.
 */
final class ResolveBody {

  static final int MAX_NOTE_CHARS = 2000;
  static final int MAX_RESOLVED_BY_CHARS = 200;

  private static final List<String> FIELDS =
      List.of("problem_status", "acknowledged", "note", "resolved_by", "acknowledged_by");
  private static final String EXAMPLE =
      "{\"problem_status\": \"RESOLVED\", \"note\": \"…\"} or {\"acknowledged\": true}";

  /** What the caller asks for; at least one of the two. */
  record Patch(boolean resolve, boolean acknowledge, String note) {}

  private ResolveBody() {}

  /**
   * @param caller the caller's operator name
   * @throws ApiException 400 naming what is wrong
   */
  static Patch parse(byte[] body, String caller) {
    JsonNode root = JsonBody.object(body, EXAMPLE, FIELDS);
    JsonNode status = root.get("problem_status");
    JsonNode acknowledged = root.get("acknowledged");
    boolean resolve = status != null && !status.isNull();
    boolean acknowledge = acknowledged != null && !acknowledged.isNull();
    if (!resolve && !acknowledge) {
      throw ApiException.badRequest(
          "send \"problem_status\": \"RESOLVED\" or \"acknowledged\": true (or both)");
    }
    if (resolve
        && (!status.isTextual() || !status.textValue().equals(ProblemStatus.RESOLVED.name()))) {
      throw ApiException.badRequest(
          "problem_status must be \"RESOLVED\" (an operator can only resolve a problem), was "
              + UriText.clip(status.toString()));
    }
    if (acknowledge && !(acknowledged.isBoolean() && acknowledged.booleanValue())) {
      throw ApiException.badRequest(
          "acknowledged must be true (an acknowledgement is not taken back), was "
              + UriText.clip(acknowledged.toString()));
    }
    String note = JsonBody.optionalText(root, "note", MAX_NOTE_CHARS);
    for (String field : List.of("resolved_by", "acknowledged_by")) {
      String by = JsonBody.optionalText(root, field, MAX_RESOLVED_BY_CHARS);
      if (by != null && !by.equals(caller)) {
        throw ApiException.badRequest(
            field
                + " must be the caller's own name ('"
                + caller
                + "') or left out: it is taken from the token");
      }
    }
    return new Patch(resolve, acknowledge, note);
  }
}
