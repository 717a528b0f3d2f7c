package org.kloaka.aws.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.time.Clock;
import org.kloaka.api.Json;
import org.kloaka.aws.config.AwsClients;
import org.kloaka.aws.config.Settings;
import org.kloaka.aws.ws.ChangeNotifier;
import org.kloaka.aws.ws.Connections;
import org.kloaka.aws.ws.Pusher;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The problems- and devices-table streams → PostToConnection to every open console (CONTRACT §5); a
 * connection that answers 410 Gone is deleted.
 */
public final class NotifierHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {

  private final ChangeNotifier notifier;

  /** For the Lambda runtime. */
  public NotifierHandler() {
    this(Settings.fromEnvironment());
  }

  private NotifierHandler(Settings settings) {
    this(
        AwsClients.dynamoDb(),
        AwsClients.management(settings.required(Settings.WS_ENDPOINT)),
        settings,
        Clock.systemUTC());
  }

  public NotifierHandler(
      DynamoDbClient db, ApiGatewayManagementApiClient api, Settings settings, Clock clock) {
    Connections connections =
        new Connections(db, settings.required(Settings.CONNECTIONS_TABLE), clock);
    this.notifier =
        new ChangeNotifier(
            new Pusher(api, connections, Json.newMapper()),
            settings.required(Settings.DEVICES_TABLE),
            settings.required(Settings.PROBLEMS_TABLE));
  }

  @Override
  public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
    return notifier.handle(event);
  }
}
