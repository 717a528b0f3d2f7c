package org.kloaka.aws.dynamo;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.kloaka.core.port.PendingStore;
import org.kloaka.core.port.Stored;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Confirmation waits in the alarm-state table, one item per pair ({@code key} = {@code
 * pending#<problem_id>}), version-checked like every other write of the core.
 */
public final class DynamoPendingStore implements PendingStore {

  static final String KEY = "key";
  static final String PREFIX = "pending#";

  private final DynamoDbClient db;
  private final String table;

  public DynamoPendingStore(DynamoDbClient db, String table) {
    this.db = db;
    this.table = table;
  }

  @Override
  public Optional<Stored<Pending>> find(String problemId) {
    Map<String, AttributeValue> item = Reads.item(db, table, KEY, PREFIX + problemId);
    if (item == null) {
      return Optional.empty();
    }
    Long version = Attributes.optionalNumber(item, "version");
    return Optional.of(
        new Stored<>(
            new Pending(problemId, Attributes.number(item, "since")),
            version == null ? 0 : version));
  }

  @Override
  public boolean replace(Stored<Pending> expected, Pending next) {
    Long expectedVersion = expected == null ? null : expected.version();
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(KEY, Attributes.s(PREFIX + next.problemId()));
    item.put("since", Attributes.n(next.since()));
    item.put("version", Attributes.n(ConditionalPut.nextVersion(expectedVersion)));
    return ConditionalPut.put(db, table, KEY, item, expectedVersion);
  }

  @Override
  public boolean remove(Stored<Pending> expected) {
    try {
      db.deleteItem(
          r ->
              r.tableName(table)
                  .key(Map.of(KEY, Attributes.s(PREFIX + expected.value().problemId())))
                  .conditionExpression("#v = :v")
                  .expressionAttributeNames(Map.of("#v", "version"))
                  .expressionAttributeValues(Map.of(":v", Attributes.n(expected.version()))));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }
}
