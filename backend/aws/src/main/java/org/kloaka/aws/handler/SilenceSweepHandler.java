package org.kloaka.aws.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.time.Clock;
import org.kloaka.aws.config.Alarms;
import org.kloaka.aws.config.AwsClients;
import org.kloaka.aws.config.Settings;
import org.kloaka.core.app.SweepSilentSensors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The scheduled silent-sensor sweep (serverless.yml: every minute) → the core's {@link
 * SweepSilentSensors}. It reads only the devices last heard since the previous sweep's cut-off,
 * from the devices table's index by hour (docs/decisions/026); the SILENT records it writes reach
 * consoles through the problems table's stream. A failed run is simply the next run's work: the
 * cut-off moves only after a sweep completes.
 */
public final class SilenceSweepHandler implements RequestHandler<ScheduledEvent, String> {

  private static final Logger log = LoggerFactory.getLogger(SilenceSweepHandler.class);

  private final SweepSilentSensors sweep;

  /** For the Lambda runtime. */
  public SilenceSweepHandler() {
    this(AwsClients.dynamoDb(), Settings.fromEnvironment(), Clock.systemUTC());
  }

  public SilenceSweepHandler(DynamoDbClient db, Settings settings, Clock clock) {
    this.sweep = new Alarms(db, settings, clock).sweep();
  }

  /**
   * @return what the sweep did, for the Lambda's log and tests
   */
  @Override
  public String handleRequest(ScheduledEvent event, Context context) {
    SweepSilentSensors.Result result = sweep.sweep();
    String summary =
        "swept up to "
            + result.cutoff()
            + ": "
            + result.candidates()
            + " candidates, "
            + result.marked()
            + " marked silent";
    log.info(summary);
    return summary;
  }
}
