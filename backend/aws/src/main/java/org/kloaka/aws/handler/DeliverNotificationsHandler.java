package org.kloaka.aws.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.time.Clock;
import java.time.Duration;
import org.kloaka.aws.config.AwsClients;
import org.kloaka.aws.config.Neighbourhood;
import org.kloaka.aws.config.NotifyParameter;
import org.kloaka.aws.config.Settings;
import org.kloaka.aws.config.SsmParameterReader;
import org.kloaka.aws.config.Stores;
import org.kloaka.aws.notify.DeliveryRun;
import org.kloaka.core.app.DeliverDueNotifications;
import org.kloaka.notify.NotifyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The scheduled sender (serverless.yml: every minute) → the core's {@link DeliverDueNotifications}
 * through a {@link DeliveryRun}: claims due outbox entries with conditional writes, sends them
 * (webhook, e-mail, the stack's SNS topic), writes outcomes and {@code notified} / {@code
 * notify_failed} timeline events; failures are retried for 24 h (the core's {@code RetryPolicy}).
 *
 * <p>It runs without SnapStart and builds its channels at the cold start, reading their SSM secrets
 * then: a bad notification file or an unreadable secret fails the start with a message naming it
 * (in the function's log and, with the failed event, in its failure queue).
 */
public final class DeliverNotificationsHandler implements RequestHandler<ScheduledEvent, String> {

  private static final Logger log = LoggerFactory.getLogger(DeliverNotificationsHandler.class);

  /** A channel's own answer time (webhook request, SMTP conversation). */
  static final Duration CHANNEL_TIMEOUT = Duration.ofSeconds(30);

  /** Without a Lambda context (tests): as long as the function's timeout. */
  static final long DEFAULT_BUDGET_MILLIS = Duration.ofMinutes(2).toMillis();

  private final DeliveryRun run;

  /** For the Lambda runtime. */
  public DeliverNotificationsHandler() {
    this(
        AwsClients.dynamoDb(),
        AwsClients.ssm(),
        AwsClients.sns(),
        Settings.fromEnvironment(),
        Clock.systemUTC());
  }

  public DeliverNotificationsHandler(
      DynamoDbClient db, SsmParameterReader ssm, SnsClient sns, Settings settings, Clock clock) {
    this(db, ssm, sns, settings, clock, DeliveryRun.WAIT);
  }

  DeliverNotificationsHandler(
      DynamoDbClient db,
      SsmParameterReader ssm,
      SnsClient sns,
      Settings settings,
      Clock clock,
      Duration wait) {
    NotifyParameter notify = NotifyParameter.of(settings);
    if (notify.plan().isEmpty()) {
      log.info("no notification file ({}): nothing to send", Settings.NOTIFY);
      this.run = null;
      return;
    }
    Stores stores = Stores.of(db, settings, clock);
    try {
      DeliverDueNotifications deliver =
          NotifyParameter.deliver(
              stores,
              notify.channels(ssm, sns, settings.optional(Settings.NOTIFY_TOPIC), CHANNEL_TIMEOUT),
              Neighbourhood.of(settings),
              clock);
      this.run = new DeliveryRun(deliver, wait);
    } catch (NotifyException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /**
   * @return what the run did, for the Lambda's log and tests
   */
  @Override
  public String handleRequest(ScheduledEvent event, Context context) {
    if (run == null) {
      return "no notification file";
    }
    DeliveryRun.Result result =
        run.run(
            context == null
                ? remainingFrom(System.nanoTime())
                : () -> context.getRemainingTimeInMillis());
    String summary =
        result.delivered()
            + " delivered, "
            + result.retrying()
            + " to retry, "
            + result.failed()
            + " failed for good, "
            + result.cancelled()
            + " cancelled, "
            + result.unfinished()
            + " still sending";
    log.info(summary);
    return summary;
  }

  private static java.util.function.LongSupplier remainingFrom(long started) {
    return () -> DEFAULT_BUDGET_MILLIS - (System.nanoTime() - started) / 1_000_000;
  }
}
