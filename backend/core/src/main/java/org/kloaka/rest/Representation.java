package org.kloaka.rest;

import java.util.Locale;

/**
 * JSON or CSV for a list route (docs/api.md, "CSV"): {@code ?format=csv|json} decides; without it,
 * the {@code Accept} header does — CSV when it ranks {@code text/csv} above {@code
 * application/json} (by {@code q}, then by order), JSON otherwise, also for {@code *}{@code /*} or
 * no header.
 */
enum Representation {
  JSON,
  CSV;

  static final String FORMAT = "format";

  /**
   * @throws ApiException 400 when {@code format} is neither {@code csv} nor {@code json}
   */
  static Representation of(ApiRequest request, QueryParameters query) {
    String format = query.text(FORMAT).orElse(null);
    if (format != null) {
      return switch (format) {
        case "csv" -> CSV;
        case "json" -> JSON;
        default ->
            throw ApiException.badRequest(
                "format must be csv or json, was '" + UriText.clip(format) + "'");
      };
    }
    return fromAccept(request.header("Accept"));
  }

  static Representation fromAccept(String accept) {
    if (accept == null || accept.isBlank()) {
      return JSON;
    }
    double csv = -1;
    double json = -1;
    boolean csvFirst = false;
    for (String range : accept.split(",")) {
      String[] parts = range.split(";");
      String type = parts[0].trim().toLowerCase(Locale.ROOT);
      double q = quality(parts);
      if (type.equals("text/csv") && csv < 0) {
        csv = q;
        csvFirst = json < 0;
      } else if ((type.equals("application/json") || type.equals("application/*")) && json < 0) {
        json = q;
      }
    }
    return csv > 0 && (csv > json || (csv == json && csvFirst)) ? CSV : JSON;
  }

  private static double quality(String[] parts) {
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].trim();
      if (parameter.regionMatches(true, 0, "q=", 0, 2)) {
        try {
          double q = Double.parseDouble(parameter.substring(2).trim());
          return q >= 0 && q <= 1 ? q : 0;
        } catch (NumberFormatException e) {
          // A malformed weight counts as "not acceptable", as RFC 9110 lets a server decide.
          return 0;
        }
      }
    }
    return 1;
  }
}
