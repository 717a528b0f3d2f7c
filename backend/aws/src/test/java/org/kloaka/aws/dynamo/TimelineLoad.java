package org.kloaka.aws.dynamo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kloaka.model.ProblemEvent;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Loads many timeline events at once for tests and benchmarks: the items {@link
 * DynamoTimelineStore} writes, 25 to a BatchWriteItem, unprocessed ones sent again.
 */
public final class TimelineLoad {

  private TimelineLoad() {}

  public static void put(DynamoDbClient db, String table, List<ProblemEvent> events) {
    List<WriteRequest> batch = new ArrayList<>();
    for (ProblemEvent e : events) {
      batch.add(
          WriteRequest.builder()
              .putRequest(PutRequest.builder().item(DynamoTimelineStore.toItem(e)).build())
              .build());
      if (batch.size() == 25) {
        send(db, table, batch);
        batch = new ArrayList<>();
      }
    }
    if (!batch.isEmpty()) {
      send(db, table, batch);
    }
  }

  private static void send(DynamoDbClient db, String table, List<WriteRequest> batch) {
    Map<String, List<WriteRequest>> pending = Map.of(table, batch);
    while (!pending.isEmpty()) {
      Map<String, List<WriteRequest>> request = pending;
      BatchWriteItemResponse answer = db.batchWriteItem(r -> r.requestItems(request));
      Map<String, List<WriteRequest>> left = new HashMap<>();
      if (answer.hasUnprocessedItems()) {
        answer
            .unprocessedItems()
            .forEach(
                (name, rest) -> {
                  if (!rest.isEmpty()) {
                    left.put(name, rest);
                  }
                });
      }
      pending = left;
    }
  }

  /** For a benchmark's figures: the items' size as DynamoDB counts it, roughly (names + values). */
  public static long bytesOf(ProblemEvent e) {
    long bytes = 0;
    for (Map.Entry<String, AttributeValue> a : DynamoTimelineStore.toItem(e).entrySet()) {
      AttributeValue v = a.getValue();
      bytes +=
          a.getKey().length()
              + (v.s() != null ? v.s().length() : v.n() != null ? v.n().length() / 2 + 1 : 1);
    }
    return bytes;
  }
}
