package org.kloaka.aws.dynamo;

import static org.kloaka.aws.dynamo.Attributes.n;
import static org.kloaka.aws.dynamo.Attributes.s;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.kloaka.core.port.RejectStore;
import org.kloaka.model.Reject;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Refused messages: partition {@code bucket} = the UTC day they arrived ({@code 2026-11-28}), sort
 * key {@code seq} (time, then arrival). A day per partition spreads a flood of bad messages over
 * time and lets {@link #newest} walk back day by day; TTL ({@code expires_at}) drops rejects after
 * {@code keep}, so the table stays bounded without a cleanup job.
 */
public final class DynamoRejectStore implements RejectStore {

  private final DynamoDbClient db;
  private final String table;
  private final Clock clock;
  private final Duration keep;
  private final RandomGenerator random;

  public DynamoRejectStore(
      DynamoDbClient db, String table, Clock clock, Duration keep, RandomGenerator random) {
    this.db = db;
    this.table = table;
    this.clock = clock;
    this.keep = keep;
    this.random = random;
  }

  @Override
  public void add(Reject reject) {
    Instant arrival = clock.instant();
    Map<String, AttributeValue> item =
        Map.of(
            "bucket", s(bucket(reject.received())),
            "seq", s(SortKeys.key(reject.received(), arrival, random)),
            "reason", s(reject.reason()),
            "received", n(reject.received()),
            "payload", s(reject.payload()),
            "expires_at", n(arrival.plus(keep).getEpochSecond()));
    db.putItem(r -> r.tableName(table).item(item));
  }

  /** Walks back from today's bucket, one day at a time, until {@code limit} or {@code keep}. */
  @Override
  public List<Reject> newest(int limit) {
    List<Reject> newest = new ArrayList<>(Math.min(Math.max(limit, 0), 1024));
    LocalDate day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    long days = keep.toDays() + 1;
    for (long back = 0; back <= days && newest.size() < limit; back++) {
      collectDay(day.minusDays(back).toString(), limit, newest);
    }
    return newest;
  }

  private void collectDay(String bucket, int limit, List<Reject> into) {
    QueryRequest query =
        QueryRequest.builder()
            .tableName(table)
            .keyConditionExpression("#b = :b")
            .expressionAttributeNames(Map.of("#b", "bucket"))
            .expressionAttributeValues(Map.of(":b", s(bucket)))
            .scanIndexForward(false)
            .build();
    Reads.query(
        db,
        query,
        limit,
        item ->
            new Reject(
                Attributes.string(item, "reason"),
                Attributes.number(item, "received"),
                Attributes.string(item, "payload")),
        into);
  }

  static String bucket(long epochSecond) {
    return LocalDate.ofInstant(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC).toString();
  }
}
