package org.kloaka.aws.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.time.Clock;
import java.time.Duration;
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
 *
 * <p>A schedule fires at most once a minute, and a silent sensor must be found within 30 s of its
 * deadline (docs/problems.md), so each run sweeps twice: at its start and {@link #SECOND_SWEEP}
 * after it, waiting in between (about 30 s of Lambda time a minute, costed in docs/aws.md). The
 * second sweep is skipped when the run has too little time left.
 */
public final class SilenceSweepHandler implements RequestHandler<ScheduledEvent, String> {

  private static final Logger log = LoggerFactory.getLogger(SilenceSweepHandler.class);

  /** When, after a run's start, its second sweep runs. */
  public static final Duration SECOND_SWEEP = Duration.ofSeconds(30);

  /** Time a run keeps after its second sweep: a sweep's own work, with room to spare. */
  static final Duration MARGIN = Duration.ofSeconds(15);

  /** How a run waits for its second sweep: real time in Lambda, a forwarded clock in tests. */
  @FunctionalInterface
  public interface Pause {
    void pause(Duration duration) throws InterruptedException;
  }

  private final SweepSilentSensors sweep;
  private final Duration secondSweep;
  private final Pause pause;

  /** For the Lambda runtime: two sweeps a run, 30 s apart. */
  public SilenceSweepHandler() {
    this(
        AwsClients.dynamoDb(),
        Settings.fromEnvironment(),
        Clock.systemUTC(),
        SECOND_SWEEP,
        duration -> Thread.sleep(duration.toMillis()));
  }

  /** One sweep a run. */
  public SilenceSweepHandler(DynamoDbClient db, Settings settings, Clock clock) {
    this(db, settings, clock, Duration.ZERO, duration -> {});
  }

  /**
   * @param secondSweep how long after its start a run sweeps again; zero for one sweep a run
   */
  public SilenceSweepHandler(
      DynamoDbClient db, Settings settings, Clock clock, Duration secondSweep, Pause pause) {
    this.sweep = new Alarms(db, settings, clock).sweep();
    this.secondSweep = secondSweep;
    this.pause = pause;
  }

  /**
   * @return what the sweep did, for the Lambda's log and tests
   */
  @Override
  public String handleRequest(ScheduledEvent event, Context context) {
    long started = System.nanoTime();
    String summary = summary(sweep.sweep());
    if (secondSweep.isZero()) {
      return summary;
    }
    Duration wait = secondSweep.minusNanos(System.nanoTime() - started);
    long left = context == null ? Long.MAX_VALUE : context.getRemainingTimeInMillis();
    if (left < wait.plus(MARGIN).toMillis()) {
      log.warn("No second sweep in this run: {} ms left", left);
      return summary;
    }
    try {
      pause.pause(wait.isNegative() ? Duration.ZERO : wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return summary;
    }
    return summary + "; then " + summary(sweep.sweep());
  }

  private static String summary(SweepSilentSensors.Result result) {
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
