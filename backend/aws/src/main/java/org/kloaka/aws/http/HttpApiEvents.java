package org.kloaka.aws.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.kloaka.core.api.ApiRequest;
import org.kloaka.core.api.ApiResponse;

/**
 * Translates between API Gateway's HTTP API events (payload format 2.0) and the core router's
 * request and response. The HTTP API's {@code $default} stage puts no stage name in {@code
 * rawPath}, so the path is the router's path as it is.
 */
public final class HttpApiEvents {

  private HttpApiEvents() {}

  /**
   * @throws IllegalArgumentException when the event carries no method or path (not an HTTP API
   *     event), or a body marked base64 that is not
   */
  public static ApiRequest toRequest(APIGatewayV2HTTPEvent event) {
    String method =
        event.getRequestContext() == null || event.getRequestContext().getHttp() == null
            ? null
            : event.getRequestContext().getHttp().getMethod();
    String path = event.getRawPath();
    if (method == null || path == null) {
      throw new IllegalArgumentException("not an HTTP API 2.0 event: no method or rawPath");
    }
    String query = event.getRawQueryString();
    Map<String, String> headers = event.getHeaders() == null ? Map.of() : event.getHeaders();
    byte[] body = new byte[0];
    if (event.getBody() != null) {
      body =
          event.getIsBase64Encoded()
              ? Base64.getDecoder().decode(event.getBody())
              : event.getBody().getBytes(StandardCharsets.UTF_8);
    }
    return new ApiRequest(
        method, path, query == null || query.isEmpty() ? null : query, headers, body);
  }

  public static APIGatewayV2HTTPResponse toEvent(ApiResponse response) {
    Map<String, String> headers = new HashMap<>(response.headers());
    if (response.body().length > 0) {
      headers.putIfAbsent("Content-Type", ApiResponse.CONTENT_TYPE);
    }
    APIGatewayV2HTTPResponse event = new APIGatewayV2HTTPResponse();
    event.setStatusCode(response.status());
    event.setHeaders(headers);
    event.setBody(response.bodyText());
    event.setIsBase64Encoded(false);
    return event;
  }
}
