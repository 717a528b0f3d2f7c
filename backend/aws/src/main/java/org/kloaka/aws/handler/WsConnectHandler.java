package org.kloaka.aws.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import java.time.Clock;
import java.util.Map;
import org.kloaka.aws.config.AwsClients;
import org.kloaka.aws.config.Settings;
import org.kloaka.aws.config.SsmApiToken;
import org.kloaka.aws.config.SsmParameterReader;
import org.kloaka.aws.ws.ConnectGate;
import org.kloaka.aws.ws.Connections;
import org.kloaka.rest.TokenCheck;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * WebSocket {@code $connect}: refuses a missing, wrong or ingest-only {@code ?token=}, remembers
 * the rest with their operator.
 */
public final class WsConnectHandler
    implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {

  private final ConnectGate gate;

  /** For the Lambda runtime. */
  public WsConnectHandler() {
    this(AwsClients.dynamoDb(), AwsClients.ssm(), Settings.fromEnvironment(), Clock.systemUTC());
  }

  public WsConnectHandler(
      DynamoDbClient db, SsmParameterReader ssm, Settings settings, Clock clock) {
    SsmApiToken token =
        new SsmApiToken(
            ssm, settings.required(Settings.API_TOKEN_PARAM), clock, SsmApiToken.DEFAULT_CACHE);
    this.gate =
        new ConnectGate(
            new Connections(db, settings.required(Settings.CONNECTIONS_TABLE), clock),
            TokenCheck.forWebSocket(RestHandler.authenticate(db, token, settings)));
  }

  @Override
  public APIGatewayV2WebSocketResponse handleRequest(
      APIGatewayV2WebSocketEvent event, Context context) {
    Map<String, String> query = event.getQueryStringParameters();
    int status =
        gate.connect(WsEvents.connectionId(event), query == null ? null : query.get("token"));
    return WsEvents.response(status, null);
  }
}
