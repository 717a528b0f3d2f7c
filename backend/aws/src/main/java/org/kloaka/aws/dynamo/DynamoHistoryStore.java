package org.kloaka.aws.dynamo;

import static org.kloaka.aws.dynamo.Attributes.n;
import static org.kloaka.aws.dynamo.Attributes.s;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.kloaka.core.port.HistoryStore;
import org.kloaka.model.Filling;
import org.kloaka.model.Measurement;
import org.kloaka.model.SensorId;
import org.kloaka.model.Signal;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Every accepted measurement, one item each: partition {@code id}, sort key {@code seq} (time, then
 * arrival; see {@link SortKeys}). DynamoDB's TTL deletes a row {@code keep} after it arrived
 * ({@code expires_at}), so the table needs no pruning job.
 */
public final class DynamoHistoryStore implements HistoryStore {

  static final String ID = "id";
  static final String SEQ = "seq";
  static final String EXPIRES_AT = "expires_at";

  private final DynamoDbClient db;
  private final String table;
  private final Clock clock;
  private final Duration keep;
  private final RandomGenerator random;

  /**
   * @param keep how long a row lives after it arrived (KLOAKA_HISTORY_DAYS)
   */
  public DynamoHistoryStore(
      DynamoDbClient db, String table, Clock clock, Duration keep, RandomGenerator random) {
    this.db = db;
    this.table = table;
    this.clock = clock;
    this.keep = keep;
    this.random = random;
  }

  @Override
  public void append(SensorId id, Measurement measurement, Signal signal) {
    Instant arrival = clock.instant();
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(ID, s(id.toString()));
    item.put(SEQ, s(SortKeys.key(measurement.dt(), arrival, random)));
    item.put("filling", s(measurement.filling().toString()));
    item.put("dt", n(measurement.dt()));
    Map<String, AttributeValue> signalMap = DeviceItems.signal(signal);
    if (!signalMap.isEmpty()) {
      item.put("signal", AttributeValue.builder().m(signalMap).build());
    }
    item.put(EXPIRES_AT, n(arrival.plus(keep).getEpochSecond()));
    // A fresh random key: never overwrites another row, so no condition is needed.
    db.putItem(r -> r.tableName(table).item(item));
  }

  @Override
  public List<Measurement> range(SensorId id, long since, long until, int limit) {
    if (limit <= 0 || since > until) {
      return List.of();
    }
    List<Measurement> newestFirst = new ArrayList<>(Math.min(limit, 1024));
    QueryRequest query =
        QueryRequest.builder()
            .tableName(table)
            .keyConditionExpression("#id = :id AND #seq BETWEEN :lo AND :hi")
            .expressionAttributeNames(Map.of("#id", ID, "#seq", SEQ, "#f", "filling", "#dt", "dt"))
            .expressionAttributeValues(
                Map.of(
                    ":id", s(id.toString()),
                    ":lo", s(SortKeys.lowest(since)),
                    ":hi", s(SortKeys.highest(until))))
            .projectionExpression("#f, #dt")
            .scanIndexForward(false)
            .build();
    Reads.query(
        db,
        query,
        limit,
        item ->
            new Measurement(
                Filling.parse(Attributes.string(item, "filling")), Attributes.number(item, "dt")),
        newestFirst);
    Collections.reverse(newestFirst);
    return newestFirst;
  }

  /**
   * A sensor's newest {@code limit} rows, oldest first: its recent measurements ({@link
   * DynamoDeviceStore#find}).
   */
  List<Measurement> recent(SensorId id, int limit) {
    return range(id, 0, SortKeys.MAX_SECOND, limit);
  }

  /** DynamoDB's TTL expires rows on its own ({@code expires_at}); nothing to do here. */
  @Override
  public long pruneBefore(long cutoff) {
    return 0;
  }
}
