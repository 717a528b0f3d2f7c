package org.kloaka.aws.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import org.kloaka.api.ClientFrames;

/**
 * WebSocket {@code $default}: every client frame. The answer (pong or an error frame, as {@link
 * ClientFrames} defines them for both deployments) is this route's response, which API Gateway
 * sends back on the same connection. API Gateway hands binary frames over base64-encoded; they are
 * decoded and read as text.
 */
public final class WsDefaultHandler
    implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {

  private final ClientFrames frames;

  /** For the Lambda runtime; the route needs no AWS client. */
  public WsDefaultHandler() {
    this.frames = new ClientFrames();
  }

  @Override
  public APIGatewayV2WebSocketResponse handleRequest(
      APIGatewayV2WebSocketEvent event, Context context) {
    String frame = event.getBody();
    if (frame != null && event.isIsBase64Encoded()) {
      frame = WsEvents.decodeBase64(frame);
    }
    return WsEvents.response(200, frames.answer(frame));
  }
}
