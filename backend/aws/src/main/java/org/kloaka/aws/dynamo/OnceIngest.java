package org.kloaka.aws.dynamo;

import static org.kloaka.aws.dynamo.Attributes.n;
import static org.kloaka.aws.dynamo.Attributes.s;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
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
import org.kloaka.ingest.IngestResult.Reading;
import org.kloaka.ingest.IngestResult.Rejection;
import org.kloaka.model.Device;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Stores one message of an IoT rule exactly once, however often Lambda retries the asynchronous
 * invocation (docs/decisions/020, 028): the rule's {@code newuuid()} and {@code timestamp()} are
 * the same in every retry, so they make the history row's sort key. Two writes of one unit each, no
 * transaction (a transaction would bill each of its writes twice):
 *
 * <ol>
 *   <li>the history row, only if absent;
 *   <li>the device's state, conditional on the version read ({@link ConflictRetry} re-reads and
 *       re-applies on a conflict), with {@code last_seq}: the sort key of the reading applied. A
 *       late reading (older than the device's last update) changes no state and writes none.
 * </ol>
 *
 * <p>A retry whose row is already there must tell whether the first try also wrote the device. The
 * device's last update never moves back, and a reading applied leaves the device at or past it in
 * (time, sort key) order: so when the device already is at or past this reading, it is a {@link
 * Outcome.Duplicate} and nothing is written; otherwise the device write is what the first try did
 * not get to, and is done now. A reject is written once the same way, keyed by the message.
 */
public final class OnceIngest implements StoreOnce {

  private final DynamoDbClient db;
  private final String devicesTable;
  private final String historyTable;
  private final String rejectsTable;
  private final Duration historyKeep;
  private final Duration rejectsKeep;

  public OnceIngest(
      DynamoDbClient db,
      String devicesTable,
      String historyTable,
      String rejectsTable,
      Duration historyKeep,
      Duration rejectsKeep) {
    this.db = db;
    this.devicesTable = devicesTable;
    this.historyTable = historyTable;
    this.rejectsTable = rejectsTable;
    this.historyKeep = historyKeep;
    this.rejectsKeep = rejectsKeep;
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
    boolean retried = !putIfAbsent(historyTable, historyItem(reading, seq, arrival));
    return ConflictRetry.untilDone(
        () -> "device " + reading.id(),
        () -> {
          Optional<Map<String, AttributeValue>> item =
              Optional.ofNullable(
                  Reads.item(db, devicesTable, DeviceItems.ID, reading.id().toString()));
          if (retried && item.isPresent() && alreadyApplied(item.get(), reading.time(), seq)) {
            return Attempt.done(new Outcome.Duplicate());
          }
          Optional<Device> current = item.map(i -> DeviceItems.fromItem(i).withoutMeasurements());
          DeviceChange change = DeviceRules.apply(current, reading);
          if (!change.current()) {
            // A late reading leaves the device as it is: its history row is all it adds.
            return Attempt.done(new Outcome.Accepted(change));
          }
          Long expected = item.map(DeviceItems::version).orElse(null);
          boolean written =
              ConditionalPut.put(
                  db,
                  devicesTable,
                  DeviceItems.ID,
                  DeviceItems.toItem(change.after(), ConditionalPut.nextVersion(expected), seq),
                  expected);
          return written ? Attempt.done(new Outcome.Accepted(change)) : Attempt.conflict();
        });
  }

  /**
   * Whether the device item already reflects the reading of {@code time} with sort key {@code seq}:
   * it is past that second, or at it with this reading's key or a later one.
   */
  static boolean alreadyApplied(Map<String, AttributeValue> item, long time, String seq) {
    long lastUpdate = Attributes.number(item, DeviceItems.LAST_UPDATE);
    if (lastUpdate != time) {
      return lastUpdate > time;
    }
    String lastSeq = DeviceItems.lastSeq(item);
    return lastSeq != null && lastSeq.compareTo(seq) >= 0;
  }

  private boolean putIfAbsent(String table, Map<String, AttributeValue> item) {
    try {
      db.putItem(
          r ->
              r.tableName(table)
                  .item(item)
                  .conditionExpression("attribute_not_exists(#s)")
                  .expressionAttributeNames(Map.of("#s", "seq")));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
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
    return putIfAbsent(rejectsTable, item)
        ? new Outcome.Rejected(rejection.reason())
        : new Outcome.Duplicate();
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
}
