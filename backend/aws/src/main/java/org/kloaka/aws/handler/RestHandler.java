package org.kloaka.aws.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import org.kloaka.api.Json;
import org.kloaka.api.Responses;
import org.kloaka.aws.config.AwsClients;
import org.kloaka.aws.config.Neighbourhood;
import org.kloaka.aws.config.NotifyParameter;
import org.kloaka.aws.config.Settings;
import org.kloaka.aws.config.SsmApiToken;
import org.kloaka.aws.config.SsmParameterReader;
import org.kloaka.aws.config.Stores;
import org.kloaka.aws.dynamo.DynamoOperatorStore;
import org.kloaka.aws.http.HttpApiEvents;
import org.kloaka.aws.notify.LazyChannels;
import org.kloaka.aws.ws.ConnectionCloser;
import org.kloaka.aws.ws.Connections;
import org.kloaka.core.Organizer;
import org.kloaka.core.app.AcknowledgeProblem;
import org.kloaka.core.app.Authenticate;
import org.kloaka.core.app.CommentOnProblem;
import org.kloaka.core.app.DeliverDueNotifications;
import org.kloaka.core.app.IngestMessage;
import org.kloaka.core.app.Insights;
import org.kloaka.core.app.ManageOperators;
import org.kloaka.core.app.Queries;
import org.kloaka.core.app.ResolveProblem;
import org.kloaka.core.app.TimelineQueries;
import org.kloaka.core.ingest.IngestSources;
import org.kloaka.core.network.Network;
import org.kloaka.core.port.ChangeFeed;
import org.kloaka.core.port.OperatorSessions;
import org.kloaka.core.port.Transactions;
import org.kloaka.ingest.IngestParser;
import org.kloaka.rest.ApiResponse;
import org.kloaka.rest.ApiRouter;
import org.kloaka.rest.RestApi;
import org.kloaka.rest.Sha256Tokens;
import org.kloaka.rest.TokenCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The HTTP API's catch-all route → the core's {@link RestApi} (docs/api.md), the same router the
 * local HTTP server uses. The token comes from SSM; a resolved problem reaches consoles through the
 * problems-table stream, so the changes the use case hands back go nowhere here.
 */
public final class RestHandler
    implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  private static final Logger LOG = LoggerFactory.getLogger(RestHandler.class);
  private static final byte[] BAD_EVENT =
      json(new Responses.Error("the request could not be read"));

  private final ApiRouter router;

  /** For the Lambda runtime. */
  public RestHandler() {
    this(
        AwsClients.dynamoDb(),
        AwsClients.ssm(),
        AwsClients.sns(),
        Settings.fromEnvironment(),
        Clock.systemUTC());
  }

  /** Without SNS: an {@code sns} channel's test message then fails with its reason. */
  public RestHandler(DynamoDbClient db, SsmParameterReader ssm, Settings settings, Clock clock) {
    this(db, ssm, (SnsClient) null, settings, clock);
  }

  public RestHandler(
      DynamoDbClient db, SsmParameterReader ssm, SnsClient sns, Settings settings, Clock clock) {
    this(
        db,
        ssm,
        settings.optional(Settings.WS_ENDPOINT) == null
            ? null
            : AwsClients.management(settings.required(Settings.WS_ENDPOINT)),
        sns,
        settings,
        clock);
  }

  public RestHandler(
      DynamoDbClient db,
      SsmParameterReader ssm,
      ApiGatewayManagementApiClient api,
      Settings settings,
      Clock clock) {
    this(db, ssm, api, null, settings, clock);
  }

  /**
   * @param api API Gateway's management API of the WebSocket API, to close a removed operator's
   *     connections; null where there is none (then they live until they idle out)
   * @param sns the client of the stack's notification topic, or null where there is none
   */
  public RestHandler(
      DynamoDbClient db,
      SsmParameterReader ssm,
      ApiGatewayManagementApiClient api,
      SnsClient sns,
      Settings settings,
      Clock clock) {
    SsmApiToken token =
        new SsmApiToken(
            ssm, settings.required(Settings.API_TOKEN_PARAM), clock, SsmApiToken.DEFAULT_CACHE);
    Stores stores = Stores.of(db, settings, clock);
    Network network = Neighbourhood.of(settings);
    // POST /uplinks: the same use case as the IoT rule's organizer; the devices-table stream
    // inspects and notifies.
    IngestMessage ingest =
        IngestMessage.inspectedFromTheDeviceStream(
            new Organizer(
                new IngestParser(), stores.devices(), stores.history(), stores.rejects(), clock));
    // One Lambda instance sees only its share of the traffic: counts would mislead, so none.
    IngestSources sources = new IngestSources(clock, IngestSources.buildVersion());
    sources.source("mqtt", "managed by AWS IoT Core").uncounted();
    sources.source("webhook", "up").uncounted();
    this.router =
        new RestApi(
            new Queries(
                stores.devices(), stores.history(), stores.problems(), stores.rejects(), network),
            new ResolveProblem(stores.problems(), Transactions.DIRECT, ChangeFeed.NONE, clock),
            operations(db, api, settings, clock, stores, authenticate(db, token, settings)),
            // Answered after the write: the device and history rows are stored when this returns.
            body ->
                ingest.handle(ingest.receive(body, IngestParser.MAX_UPLINK_BYTES, null)).outcome(),
            sources,
            org.kloaka.core.port.Health.alwaysOk(),
            notifications(ssm, sns, settings, clock, stores, network),
            // Reads the timeline table by time through its index, never a scan (decision 030).
            new Insights(stores.timeline(), stores.problems(), network, clock));
  }

  /**
   * {@code GET /notifications}, {@code POST /notifications/test} and the counts of {@code GET
   * /status}, or null without a notification file. The channels are built on the first test
   * message, with their secrets read then (never in the SnapStart snapshot); the scheduled sender
   * does the sending.
   */
  private static DeliverDueNotifications notifications(
      SsmParameterReader ssm,
      SnsClient sns,
      Settings settings,
      Clock clock,
      Stores stores,
      Network network) {
    NotifyParameter notify = NotifyParameter.of(settings);
    if (notify.plan().isEmpty()) {
      return null;
    }
    String topic = settings.optional(Settings.NOTIFY_TOPIC);
    return NotifyParameter.deliver(
        stores,
        new LazyChannels(
            notify.plan(),
            () -> notify.channels(ssm, sns, topic, DeliverNotificationsHandler.CHANNEL_TIMEOUT)),
        network,
        clock);
  }

  /** Who calls: the install token from SSM, or an operator's token from the operators table. */
  static Authenticate authenticate(DynamoDbClient db, SsmApiToken token, Settings settings) {
    TokenCheck install = token.check();
    return new Authenticate(
        install::accepts,
        new DynamoOperatorStore(db, settings.required(Settings.OPERATORS_TABLE)),
        Sha256Tokens.INSTANCE);
  }

  private static RestApi.Operations operations(
      DynamoDbClient db,
      ApiGatewayManagementApiClient api,
      Settings settings,
      Clock clock,
      Stores stores,
      Authenticate authenticate) {
    OperatorSessions sessions =
        api == null
            ? OperatorSessions.NONE
            : new ConnectionCloser(
                api, new Connections(db, settings.required(Settings.CONNECTIONS_TABLE), clock));
    return new RestApi.Operations(
        authenticate,
        new AcknowledgeProblem(stores.problems(), Transactions.DIRECT, ChangeFeed.NONE, clock),
        new CommentOnProblem(stores.problems(), stores.timeline(), clock),
        new TimelineQueries(stores.problems(), stores.timeline()),
        new ManageOperators(
            new DynamoOperatorStore(db, settings.required(Settings.OPERATORS_TABLE)),
            sessions,
            Sha256Tokens.INSTANCE,
            new SecureRandom(),
            clock));
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    try {
      return HttpApiEvents.toEvent(router.handle(HttpApiEvents.toRequest(event)));
    } catch (IllegalArgumentException e) {
      LOG.warn("unusable HTTP API event: {}", e.getMessage());
      return HttpApiEvents.toEvent(new ApiResponse(400, BAD_EVENT, Map.of()));
    }
  }

  private static byte[] json(Responses.Error error) {
    try {
      return Json.newMapper().writeValueAsBytes(error);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
