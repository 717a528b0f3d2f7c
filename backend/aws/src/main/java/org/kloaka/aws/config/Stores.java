package org.kloaka.aws.config;

import java.security.SecureRandom;
import java.time.Clock;
import org.kloaka.aws.dynamo.DynamoDeviceStore;
import org.kloaka.aws.dynamo.DynamoHistoryStore;
import org.kloaka.aws.dynamo.DynamoOutbox;
import org.kloaka.aws.dynamo.DynamoProblemStore;
import org.kloaka.aws.dynamo.DynamoRejectStore;
import org.kloaka.aws.dynamo.DynamoTimelineStore;

/**
 * The DynamoDB stores on the tables the environment names, as the handlers' constructors wire them.
 * Random sort-key tails come from {@link SecureRandom}: environments restored from one SnapStart
 * snapshot must not share a random sequence. With a notification file ({@value Settings#NOTIFY}),
 * every problem write also feeds the escalation ladder's outbox (docs/decisions/031); without one,
 * {@code outbox} is null.
 */
public record Stores(
    DynamoDeviceStore devices,
    DynamoHistoryStore history,
    DynamoProblemStore problems,
    DynamoRejectStore rejects,
    DynamoTimelineStore timeline,
    DynamoOutbox outbox) {

  public static Stores of(
      software.amazon.awssdk.services.dynamodb.DynamoDbClient db, Settings settings, Clock clock) {
    SecureRandom random = new SecureRandom();
    DynamoTimelineStore timeline =
        new DynamoTimelineStore(db, settings.required(Settings.TIMELINE_TABLE));
    DynamoHistoryStore history =
        new DynamoHistoryStore(
            db, settings.required(Settings.HISTORY_TABLE), clock, settings.historyKept(), random);
    DynamoProblemStore problems =
        new DynamoProblemStore(db, settings.required(Settings.PROBLEMS_TABLE), timeline.table());
    org.kloaka.core.notify.NotificationPlan plan = NotifyParameter.of(settings).plan();
    DynamoOutbox outbox = null;
    if (!plan.isEmpty()) {
      outbox = new DynamoOutbox(db, settings.required(Settings.NOTIFICATIONS_TABLE));
      problems = problems.escalating(plan, outbox, clock);
    }
    return new Stores(
        new DynamoDeviceStore(
            db, settings.required(Settings.DEVICES_TABLE), history, settings.measurementsKeep()),
        history,
        problems,
        new DynamoRejectStore(
            db, settings.required(Settings.REJECTS_TABLE), clock, Settings.REJECTS_KEPT, random),
        timeline,
        outbox);
  }
}
