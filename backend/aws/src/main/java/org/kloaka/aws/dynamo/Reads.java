package org.kloaka.aws.dynamo;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** The reads the stores share: a consistent GetItem and a Query paged up to a limit. */
final class Reads {

  private Reads() {}

  /** The item with this single-attribute key, strongly consistent, or null. */
  static Map<String, AttributeValue> item(
      DynamoDbClient db, String table, String keyName, String keyValue) {
    GetItemResponse response =
        db.getItem(
            r ->
                r.tableName(table)
                    .key(Map.of(keyName, Attributes.s(keyValue)))
                    .consistentRead(true));
    return response.hasItem() && !response.item().isEmpty() ? response.item() : null;
  }

  /**
   * Runs {@code query} page after page, adding decoded items to {@code into} until it holds {@code
   * limit} or the query is exhausted.
   */
  static <T> void query(
      DynamoDbClient db,
      QueryRequest query,
      int limit,
      Function<Map<String, AttributeValue>, T> decode,
      List<T> into) {
    Map<String, AttributeValue> startKey = null;
    do {
      QueryRequest.Builder page = query.toBuilder().limit(limit - into.size());
      if (startKey != null) {
        page.exclusiveStartKey(startKey);
      }
      QueryResponse response = db.query(page.build());
      for (Map<String, AttributeValue> item : response.items()) {
        into.add(decode.apply(item));
      }
      startKey =
          response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
              ? response.lastEvaluatedKey()
              : null;
    } while (startKey != null && into.size() < limit);
  }
}
