package org.kloaka.core.api;

import java.util.Map;

/**
 * A request the router refuses with a status and a message for a person. Thrown inside the router
 * only; {@link RestApi} turns it into {@code {"error": message}}.
 */
final class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final Map<String, String> headers;

  ApiException(int status, String message) {
    this(status, message, Map.of());
  }

  /**
   * @param headers extra response headers, e.g. {@code Allow} with a 405
   */
  ApiException(int status, String message, Map<String, String> headers) {
    super(message, null, false, false);
    this.status = status;
    this.headers = Map.copyOf(headers);
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  static ApiException notFound(String message) {
    return new ApiException(404, message);
  }

  int status() {
    return status;
  }

  Map<String, String> headers() {
    return headers;
  }
}
