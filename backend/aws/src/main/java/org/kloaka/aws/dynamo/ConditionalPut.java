package org.kloaka.aws.dynamo;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * The version-checked write behind every store's {@code replace}: one PutItem whose condition is
 * "no item yet" or "still at the version I read". Concurrent writers therefore never overwrite each
 * other; the loser gets {@code false}, re-reads and tries again.
 */
final class ConditionalPut {

  private ConditionalPut() {}

  /**
   * Writes {@code item} (whose {@code version} attribute must already be the next version).
   *
   * @param expectedVersion the version read, or {@code null} when no item existed
   * @return false when the item changed (or appeared) since it was read
   */
  static boolean put(
      DynamoDbClient db,
      String table,
      String keyName,
      Map<String, AttributeValue> item,
      Long expectedVersion) {
    PutItemRequest.Builder request = PutItemRequest.builder().tableName(table).item(item);
    if (expectedVersion == null) {
      request
          .conditionExpression("attribute_not_exists(#k)")
          .expressionAttributeNames(Map.of("#k", keyName));
    } else if (expectedVersion == 0) {
      // An item written without a version (by hand, or before versions existed).
      request
          .conditionExpression("attribute_exists(#k) AND attribute_not_exists(#v)")
          .expressionAttributeNames(Map.of("#k", keyName, "#v", "version"));
    } else {
      request
          .conditionExpression("#v = :v")
          .expressionAttributeNames(Map.of("#v", "version"))
          .expressionAttributeValues(Map.of(":v", Attributes.n(expectedVersion)));
    }
    try {
      db.putItem(request.build());
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  /** The condition {@link #put} writes under, for a transaction's Put of the same item. */
  static software.amazon.awssdk.services.dynamodb.model.Put.Builder conditioned(
      software.amazon.awssdk.services.dynamodb.model.Put.Builder put,
      String keyName,
      Long expectedVersion) {
    if (expectedVersion == null) {
      return put.conditionExpression("attribute_not_exists(#k)")
          .expressionAttributeNames(Map.of("#k", keyName));
    }
    if (expectedVersion == 0) {
      return put.conditionExpression("attribute_exists(#k) AND attribute_not_exists(#v)")
          .expressionAttributeNames(Map.of("#k", keyName, "#v", "version"));
    }
    return put.conditionExpression("#v = :v")
        .expressionAttributeNames(Map.of("#v", "version"))
        .expressionAttributeValues(Map.of(":v", Attributes.n(expectedVersion)));
  }

  static long nextVersion(Long expectedVersion) {
    return expectedVersion == null ? 1 : expectedVersion + 1;
  }
}
