package org.kloaka.aws.ws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The open WebSocket connections, one item each in the connections table: {@code connection_id},
 * {@code connected_at}, {@code expires_at} and the {@code operator} whose token opened it. API
 * Gateway closes a connection after 2 hours at most, so an item lives 2 hours (DynamoDB's TTL
 * removes it; {@link #live} ignores expired items before TTL gets to them). {@code $disconnect} is
 * best effort: a connection that went away without it answers 410 Gone to the next push and is
 * removed then.
 */
public final class Connections {

  /** API Gateway's maximum WebSocket connection duration. */
  public static final Duration MAX_LIFETIME = Duration.ofHours(2);

  static final String ID = "connection_id";

  private final DynamoDbClient db;
  private final String table;
  private final Clock clock;

  public Connections(DynamoDbClient db, String table, Clock clock) {
    this.db = db;
    this.table = table;
    this.clock = clock;
  }

  public void add(String connectionId) {
    add(connectionId, null);
  }

  /**
   * @param operator the operator whose token opened it (so that removing the operator closes it),
   *     or null
   */
  public void add(String connectionId, String operator) {
    Instant now = clock.instant();
    Map<String, AttributeValue> item = new java.util.HashMap<>();
    item.put(ID, s(connectionId));
    item.put("connected_at", n(now.getEpochSecond()));
    item.put("expires_at", n(now.plus(MAX_LIFETIME).getEpochSecond()));
    if (operator != null) {
      item.put(OPERATOR, s(operator));
    }
    db.putItem(r -> r.tableName(table).item(item));
  }

  static final String OPERATOR = "operator";

  /** The ids of the connections {@code operator}'s token opened (a Scan: they are few). */
  public List<String> of(String operator) {
    ScanRequest scan =
        ScanRequest.builder()
            .tableName(table)
            .consistentRead(true)
            .projectionExpression("#id")
            .filterExpression("#op = :op")
            .expressionAttributeNames(Map.of("#id", ID, "#op", OPERATOR))
            .expressionAttributeValues(Map.of(":op", s(operator)))
            .build();
    List<String> ids = new ArrayList<>();
    db.scanPaginator(scan).items().forEach(item -> ids.add(item.get(ID).s()));
    return ids;
  }

  public void remove(String connectionId) {
    db.deleteItem(r -> r.tableName(table).key(Map.of(ID, s(connectionId))));
  }

  /** The ids of connections that have not expired yet. */
  public List<String> live() {
    ScanRequest scan =
        ScanRequest.builder()
            .tableName(table)
            .projectionExpression("#id")
            .filterExpression("#exp > :now")
            .expressionAttributeNames(Map.of("#id", ID, "#exp", "expires_at"))
            .expressionAttributeValues(Map.of(":now", n(clock.instant().getEpochSecond())))
            .build();
    List<String> ids = new ArrayList<>();
    db.scanPaginator(scan).items().forEach(item -> ids.add(item.get(ID).s()));
    return ids;
  }

  private static AttributeValue s(String value) {
    return AttributeValue.builder().s(value).build();
  }

  private static AttributeValue n(long value) {
    return AttributeValue.builder().n(Long.toString(value)).build();
  }
}
