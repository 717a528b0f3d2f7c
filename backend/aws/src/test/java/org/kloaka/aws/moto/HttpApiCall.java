package org.kloaka.aws.moto;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** HTTP API (payload 2.0) events for the REST Lambda, built on the real event fixture. */
public final class HttpApiCall {

  private HttpApiCall() {}

  /**
   * @param query the raw query string, or null
   * @param token the bearer token, or null for none
   * @param body a JSON body, or null
   * @param headers more request headers (lower-case names, as API Gateway sends them)
   */
  public static APIGatewayV2HTTPEvent event(
      String method,
      String path,
      String query,
      String token,
      String body,
      boolean base64,
      Map<String, String> headers) {
    return Events.load(
        "http-api.json",
        APIGatewayV2HTTPEvent.class,
        json -> {
          json.put("rawPath", path);
          json.put("rawQueryString", query == null ? "" : query);
          ObjectNode http = (ObjectNode) json.get("requestContext").get("http");
          http.put("method", method);
          http.put("path", path);
          ObjectNode sent = (ObjectNode) json.get("headers");
          if (token != null) {
            sent.put("authorization", "Bearer " + token);
          }
          headers.forEach(sent::put);
          if (body != null) {
            json.put("body", body);
            json.put("isBase64Encoded", base64);
            sent.put("content-type", "application/json");
          }
        });
  }
}
