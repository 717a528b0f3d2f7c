package org.kloaka.aws.config;

import java.security.SecureRandom;
import java.time.Clock;
import org.kloaka.aws.dynamo.DynamoDeviceStore;
import org.kloaka.aws.dynamo.DynamoHistoryStore;
import org.kloaka.aws.dynamo.DynamoProblemStore;
import org.kloaka.aws.dynamo.DynamoRejectStore;
import org.kloaka.aws.dynamo.DynamoTimelineStore;

/**
 * The DynamoDB stores on the tables the environment names, as the handlers' constructors wire them.
 * Random sort-key tails come from {@link SecureRandom}: environments restored from one SnapStart
 * snapshot must not share a random sequence.
 */
public record Stores(
    DynamoDeviceStore devices,
    DynamoHistoryStore history,
    DynamoProblemStore problems,
    DynamoRejectStore rejects,
    DynamoTimelineStore timeline) {

  public static Stores of(
      software.amazon.awssdk.services.dynamodb.DynamoDbClient db, Settings settings, Clock clock) {
    SecureRandom random = new SecureRandom();
    DynamoTimelineStore timeline =
        new DynamoTimelineStore(db, settings.required(Settings.TIMELINE_TABLE));
    DynamoHistoryStore history =
        new DynamoHistoryStore(
            db, settings.required(Settings.HISTORY_TABLE), clock, settings.historyKept(), random);
    return new Stores(
        new DynamoDeviceStore(
            db, settings.required(Settings.DEVICES_TABLE), history, settings.measurementsKeep()),
        history,
        new DynamoProblemStore(db, settings.required(Settings.PROBLEMS_TABLE), timeline.table()),
        new DynamoRejectStore(
            db, settings.required(Settings.REJECTS_TABLE), clock, Settings.REJECTS_KEPT, random),
        timeline);
  }
}
