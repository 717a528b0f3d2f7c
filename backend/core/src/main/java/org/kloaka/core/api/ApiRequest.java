package org.kloaka.core.api;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One REST call as any transport (the local HTTP server, API Gateway's HTTP API event) hands it to
 * the {@link ApiRouter}.
 *
 * @param method upper-case HTTP method, e.g. {@code GET}
 * @param path the raw path without the query, still percent-encoded, e.g. {@code /devices/01}
 * @param rawQuery the raw query string without {@code ?}, or {@code null}
 * @param headers header names in any case; looked up case-insensitively
 * @param body the request body, empty when there is none
 */
public record ApiRequest(
    String method, String path, String rawQuery, Map<String, String> headers, byte[] body) {

  public ApiRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    TreeMap<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (headers != null) {
      byName.putAll(headers);
    }
    headers = byName;
    body = body == null ? new byte[0] : body;
    method = method.toUpperCase(Locale.ROOT);
  }

  /** A header's value, or {@code null}; names are case-insensitive. */
  public String header(String name) {
    return headers.get(name);
  }
}
