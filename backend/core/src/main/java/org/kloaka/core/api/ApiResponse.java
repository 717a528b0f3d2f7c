package org.kloaka.core.api;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The router's answer: a status, JSON bytes (UTF-8) and any extra headers (e.g. {@code Allow} on
 * 405, {@code WWW-Authenticate} on 401).
 */
public record ApiResponse(int status, byte[] body, Map<String, String> headers) {

  public static final String CONTENT_TYPE = "application/json; charset=utf-8";

  public ApiResponse {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    body = body == null ? new byte[0] : body;
  }

  /** The body as text, for logs and tests. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
