package org.kloaka.aws.dynamo;

import static org.kloaka.aws.dynamo.Attributes.n;
import static org.kloaka.aws.dynamo.Attributes.s;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.kloaka.core.DeviceRules;
import org.kloaka.core.DeviceRules.DeviceChange;
import org.kloaka.core.Organizer;
import org.kloaka.core.Organizer.Outcome;
import org.kloaka.core.Rejects;
import org.kloaka.core.port.Stored;
import org.kloaka.ingest.IngestResult.Reading;
import org.kloaka.ingest.IngestResult.Rejection;
import org.kloaka.model.Device;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Stores one message of an IoT rule exactly once, however often Lambda retries the asynchronous
 * invocation (docs/decisions/020): the rule's {@code newuuid()} and {@code timestamp()} are the
 * same in every retry, so they make the history row's sort key, and the row is written only if
 * absent, in one transaction with the version-checked device write. A retry finds the row and
 * changes nothing; a conflicting device write is read again and retried, as the organizer does. A
 * reject is written the same way, keyed by the message.
 */
public final class OnceIngest {

  private final DynamoDbClient db;
  private final DynamoDeviceStore devices;
  private final String devicesTable;
  private final String historyTable;
  private final String rejectsTable;
  private final Duration historyKeep;
  private final Duration rejectsKeep;
  private final int keep;

  public OnceIngest(
      DynamoDbClient db,
      String devicesTable,
      String historyTable,
      String rejectsTable,
      Duration historyKeep,
      Duration rejectsKeep,
      int keep) {
    this.db = db;
    this.devices = new DynamoDeviceStore(db, devicesTable);
    this.devicesTable = devicesTable;
    this.historyTable = historyTable;
    this.rejectsTable = rejectsTable;
    this.historyKeep = historyKeep;
    this.rejectsKeep = rejectsKeep;
    this.keep = keep;
  }

  /**
   * @param messageId the rule's {@code newuuid()}
   * @param arrivalMillis the rule's {@code timestamp()}: when IoT Core took the message
   */
  public Outcome apply(Organizer.Parsed parsed, String messageId, long arrivalMillis) {
    Instant arrival = Instant.ofEpochMilli(arrivalMillis);
    // The same tail for every retry of this message: the sort key is the message's own.
    long tail = ((long) messageId.hashCode()) << 32;
    RandomGenerator fixed = () -> tail;
    if (parsed.result() instanceof Rejection rejection) {
      return reject(parsed, rejection, arrival, fixed);
    }
    Reading reading = (Reading) parsed.result();
    String seq = SortKeys.key(reading.time(), arrival, fixed);
    for (int attempt = 1; attempt <= 50; attempt++) {
      Optional<Stored<Device>> current = devices.find(reading.id());
      DeviceChange change = DeviceRules.apply(current.map(Stored::value), reading, keep);
      Long expected = current.map(Stored::version).orElse(null);
      Put device =
          ConditionalPut.conditioned(
                  Put.builder()
                      .tableName(devicesTable)
                      .item(
                          DeviceItems.toItem(change.after(), ConditionalPut.nextVersion(expected))),
                  DeviceItems.ID,
                  expected)
              .build();
      Put row =
          Put.builder()
              .tableName(historyTable)
              .item(historyItem(reading, seq, arrival))
              .conditionExpression("attribute_not_exists(#s)")
              .expressionAttributeNames(Map.of("#s", DynamoHistoryStore.SEQ))
              .build();
      try {
        db.transactWriteItems(
            r ->
                r.transactItems(
                    TransactWriteItem.builder().put(device).build(),
                    TransactWriteItem.builder().put(row).build()));
        return new Outcome.Accepted(change);
      } catch (TransactionCanceledException e) {
        List<CancellationReason> reasons = e.cancellationReasons();
        if (reasons.size() == 2 && failedCondition(reasons.get(1))) {
          return new Outcome.Duplicate();
        }
        if (reasons.isEmpty() || !failedCondition(reasons.get(0))) {
          throw e;
        }
        // The device changed since it was read: read it again.
      }
    }
    throw new IllegalStateException("device " + reading.id() + " kept changing under 50 attempts");
  }

  private Outcome reject(
      Organizer.Parsed parsed, Rejection rejection, Instant arrival, RandomGenerator fixed) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("bucket", s(DynamoRejectStore.bucket(parsed.received())));
    item.put("seq", s(SortKeys.key(parsed.received(), arrival, fixed)));
    item.put("reason", s(rejection.reason()));
    item.put("received", n(parsed.received()));
    item.put("payload", s(Rejects.preview(parsed.payload())));
    item.put("expires_at", n(arrival.plus(rejectsKeep).getEpochSecond()));
    try {
      db.putItem(
          r ->
              r.tableName(rejectsTable)
                  .item(item)
                  .conditionExpression("attribute_not_exists(#s)")
                  .expressionAttributeNames(Map.of("#s", "seq")));
      return new Outcome.Rejected(rejection.reason());
    } catch (ConditionalCheckFailedException e) {
      return new Outcome.Duplicate();
    }
  }

  private Map<String, AttributeValue> historyItem(Reading reading, String seq, Instant arrival) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(DynamoHistoryStore.ID, s(reading.id().toString()));
    item.put(DynamoHistoryStore.SEQ, s(seq));
    item.put("filling", s(reading.filling().toString()));
    item.put("dt", n(reading.time()));
    Map<String, AttributeValue> signal = DeviceItems.signal(reading.signal());
    if (!signal.isEmpty()) {
      item.put("signal", AttributeValue.builder().m(signal).build());
    }
    item.put(DynamoHistoryStore.EXPIRES_AT, n(arrival.plus(historyKeep).getEpochSecond()));
    return item;
  }

  private static boolean failedCondition(CancellationReason reason) {
    return "ConditionalCheckFailed".equals(reason.code());
  }
}
