package org.kloaka.aws.handler;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Reading and answering API Gateway WebSocket events. */
final class WsEvents {

  private WsEvents() {}

  static String connectionId(APIGatewayV2WebSocketEvent event) {
    return event.getRequestContext() == null ? null : event.getRequestContext().getConnectionId();
  }

  static APIGatewayV2WebSocketResponse response(int status, String body) {
    APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
    response.setStatusCode(status);
    response.setBody(body);
    return response;
  }

  /** A binary frame's text, or a marker the frame parser rejects when it is not base64. */
  static String decodeBase64(String text) {
    try {
      return new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return "\u0000 binary frame that is not base64";
    }
  }
}
