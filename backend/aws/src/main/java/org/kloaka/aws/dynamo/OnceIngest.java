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
import org.kloaka.core.ConflictRetry;
import org.kloaka.core.ConflictRetry.Attempt;
import org.kloaka.core.DeviceRules;
import org.kloaka.core.DeviceRules.DeviceChange;
import org.kloaka.core.Organizer;
import org.kloaka.core.Organizer.Outcome;
import org.kloaka.core.Rejects;
import org.kloaka.core.app.IngestMessage.Delivery;
import org.kloaka.core.port.StoreOnce;
import org.kloaka.core.port.Stored;
import org.kloaka.ingest.IngestResult.Reading;
import org.kloaka.ingest.IngestResult.Rejection;
import org.kloaka.model.Device;
import org.kloaka.model.Measurement;
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
 * changes nothing; a conflicting device write is read again and retried ({@link ConflictRetry}). A
 * reject is written the same way, keyed by the message.
 */
public final class OnceIngest implements StoreOnce {

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
    this.devices = new DynamoDeviceStore(db, devicesTable, keep);
    this.devicesTable = devicesTable;
    this.historyTable = historyTable;
    this.rejectsTable = rejectsTable;
    this.historyKeep = historyKeep;
    this.rejectsKeep = rejectsKeep;
    this.keep = keep;
  }

  /**
   * Stores one message of a rule's delivery: {@code delivery.id()} is the rule's {@code newuuid()},
   * {@code delivery.arrivalMillis()} its {@code timestamp()} (when IoT Core took the message).
   */
  @Override
  public Outcome store(Organizer.Parsed parsed, Delivery delivery) {
    Instant arrival = Instant.ofEpochMilli(delivery.arrivalMillis());
    // The same tail for every retry of this message: the sort key is the message's own.
    long tail = ((long) delivery.id().hashCode()) << 32;
    RandomGenerator fixed = () -> tail;
    if (parsed.result() instanceof Rejection rejection) {
      return reject(parsed, rejection, arrival, fixed);
    }
    Reading reading = (Reading) parsed.result();
    String seq = SortKeys.key(reading.time(), arrival, fixed);
    Measurement measurement = new Measurement(reading.filling(), reading.time());
    return ConflictRetry.untilDone(
        () -> "device " + reading.id(),
        () -> {
          Optional<Stored<Device>> current = devices.find(reading.id());
          DeviceChange change = DeviceRules.apply(current.map(Stored::value), reading);
          Long expected = current.map(Stored::version).orElse(null);
          List<Measurement> recent =
              DeviceRules.recentWith(
                  current.map(c -> c.value().measurementsOrEmpty()).orElse(List.of()),
                  measurement,
                  keep);
          Put device =
              ConditionalPut.conditioned(
                      Put.builder()
                          .tableName(devicesTable)
                          .item(
                              DeviceItems.toItem(
                                  change.after().withMeasurements(recent),
                                  ConditionalPut.nextVersion(expected))),
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
            return Attempt.done(new Outcome.Accepted(change));
          } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (reasons.size() == 2 && failedCondition(reasons.get(1))) {
              return Attempt.done(new Outcome.Duplicate());
            }
            if (reasons.isEmpty() || !failedCondition(reasons.get(0))) {
              throw e;
            }
            // The device changed since it was read: read it again.
            return Attempt.conflict();
          }
        });
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
