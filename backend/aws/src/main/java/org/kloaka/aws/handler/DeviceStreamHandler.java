package org.kloaka.aws.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.time.Clock;
import org.kloaka.aws.config.AwsClients;
import org.kloaka.aws.config.Neighbourhood;
import org.kloaka.aws.config.Settings;
import org.kloaka.aws.config.Stores;
import org.kloaka.aws.dynamo.DynamoProblemStore;
import org.kloaka.aws.stream.DeviceStreamInspector;
import org.kloaka.core.Inspector;
import org.kloaka.core.app.InspectPairs;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The devices-table stream (NEW_AND_OLD_IMAGES) → the core's {@link InspectPairs} use case,
 * answering with ReportBatchItemFailures. Problem pushes come from the problems-table stream, so
 * the changes the use case hands back are not published here.
 */
public final class DeviceStreamHandler
    implements RequestHandler<DynamodbEvent, StreamsEventResponse> {

  private final DeviceStreamInspector inspector;

  /** For the Lambda runtime. */
  public DeviceStreamHandler() {
    this(AwsClients.dynamoDb(), Settings.fromEnvironment(), Clock.systemUTC());
  }

  public DeviceStreamHandler(DynamoDbClient db, Settings settings, Clock clock) {
    this.inspector =
        new DeviceStreamInspector(
            new InspectPairs(
                new Inspector(
                    Stores.of(db, settings, clock).devices(),
                    new DynamoProblemStore(
                        db,
                        settings.required(Settings.PROBLEMS_TABLE),
                        settings.required(Settings.TIMELINE_TABLE)),
                    Neighbourhood.of(settings),
                    clock)));
  }

  @Override
  public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
    return inspector.handle(event);
  }
}
