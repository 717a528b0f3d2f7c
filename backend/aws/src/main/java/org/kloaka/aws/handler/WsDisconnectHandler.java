package org.kloaka.aws.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import java.time.Clock;
import org.kloaka.aws.config.AwsClients;
import org.kloaka.aws.config.Settings;
import org.kloaka.aws.ws.Connections;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * WebSocket {@code $disconnect}: forgets the connection. API Gateway calls it on a best-effort
 * basis; a connection it misses answers 410 Gone to the notifier, which forgets it then.
 */
public final class WsDisconnectHandler
    implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {

  private final Connections connections;

  /** For the Lambda runtime. */
  public WsDisconnectHandler() {
    this(AwsClients.dynamoDb(), Settings.fromEnvironment(), Clock.systemUTC());
  }

  public WsDisconnectHandler(DynamoDbClient db, Settings settings, Clock clock) {
    this.connections = new Connections(db, settings.required(Settings.CONNECTIONS_TABLE), clock);
  }

  @Override
  public APIGatewayV2WebSocketResponse handleRequest(
      APIGatewayV2WebSocketEvent event, Context context) {
    String connectionId = WsEvents.connectionId(event);
    if (connectionId == null || connectionId.isEmpty()) {
      return WsEvents.response(400, null);
    }
    connections.remove(connectionId);
    return WsEvents.response(200, null);
  }
}
