package org.kloaka.aws.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import org.kloaka.aws.config.AwsClients;
import org.kloaka.aws.config.Settings;
import org.kloaka.aws.config.Stores;
import org.kloaka.core.Organizer;
import org.kloaka.core.app.IngestMessage;
import org.kloaka.ingest.IngestParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The IoT rule's action ({@code SELECT * FROM 'kloaka_from_device'}): the event is the device's
 * payload itself, in either shape of docs/ingest.md, handed to the core's {@link IngestMessage} use
 * case as raw bytes. A bad payload is kept as a reject and the invocation succeeds; a storage
 * failure throws, so Lambda retries the asynchronous invocation and finally parks it in the
 * on-failure queue.
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
    this.ingest =
        IngestMessage.inspectedFromTheDeviceStream(
            new Organizer(
                new IngestParser(), stores.devices(), stores.history(), stores.rejects(), clock));
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    Organizer.Outcome outcome = ingest.handle(ingest.receive(input.readAllBytes())).outcome();
    if (outcome instanceof Organizer.Outcome.Rejected rejected) {
      LOG.info("message rejected: {}", rejected.reason());
    }
  }
}
