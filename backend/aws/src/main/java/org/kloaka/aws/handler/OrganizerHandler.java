package org.kloaka.aws.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Optional;
import org.kloaka.aws.config.AwsClients;
import org.kloaka.aws.config.Settings;
import org.kloaka.aws.config.Stores;
import org.kloaka.aws.dynamo.OnceIngest;
import org.kloaka.core.Organizer;
import org.kloaka.core.app.IngestMessage;
import org.kloaka.ingest.IngestParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The IoT rules' action (on {@code kloaka_from_device} and TTN's {@code lorawan/+/uplink}): the
 * event is a {@link RuleEvent}, the payload base64-encoded with the rule's {@code newuuid()} and
 * {@code timestamp()}, handed to the core's {@link IngestMessage} use case with that delivery, and
 * stored once by {@link OnceIngest} however often Lambda retries. An event that is not such an
 * envelope is taken as the payload itself (either shape of docs/ingest.md). A bad payload is kept
 * as a reject and the invocation succeeds; a storage failure throws, so Lambda retries the
 * asynchronous invocation and finally parks it in the on-failure queue.
 *
 * <p>No changes are published here: consoles hear of device changes from the devices-table stream
 * (the notifier), and {@code InspectPairs} runs from that stream too.
 */
public final class OrganizerHandler implements RequestStreamHandler {

  private static final Logger LOG = LoggerFactory.getLogger(OrganizerHandler.class);

  private final IngestMessage ingest;

  /** For the Lambda runtime. */
  public OrganizerHandler() {
    this(AwsClients.dynamoDb(), Settings.fromEnvironment(), Clock.systemUTC());
  }

  public OrganizerHandler(DynamoDbClient db, Settings settings, Clock clock) {
    Stores stores = Stores.of(db, settings, clock);
    OnceIngest once =
        new OnceIngest(
            db,
            settings.required(Settings.DEVICES_TABLE),
            settings.required(Settings.HISTORY_TABLE),
            settings.required(Settings.REJECTS_TABLE),
            settings.historyKept(),
            Settings.REJECTS_KEPT);
    this.ingest =
        IngestMessage.inspectedFromTheDeviceStream(
            new Organizer(
                new IngestParser(), stores.devices(), stores.history(), stores.rejects(), clock),
            once);
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    byte[] bytes = input.readAllBytes();
    Optional<RuleEvent> event = RuleEvent.of(bytes);
    IngestMessage.Command command =
        event
            .map(
                e ->
                    ingest.receive(
                        e.payload(), e.maxBytes(), new IngestMessage.Delivery(e.uuid(), e.ts())))
            .orElseGet(() -> ingest.receive(bytes));
    Organizer.Outcome outcome = ingest.handle(command).outcome();
    if (outcome instanceof Organizer.Outcome.Rejected rejected) {
      LOG.info("message rejected: {}", rejected.reason());
    } else if (outcome instanceof Organizer.Outcome.Duplicate) {
      LOG.info("message {} was stored before (a retry); nothing changed", event.get().uuid());
    }
  }
}
