package org.kloaka.aws.dynamo;

import static org.kloaka.aws.dynamo.Attributes.n;
import static org.kloaka.aws.dynamo.Attributes.s;
import static org.kloaka.aws.dynamo.Attributes.sOrNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kloaka.core.port.TimelineStore;
import org.kloaka.model.ProblemEvent;
import org.kloaka.model.ProblemType;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The pairs' timelines in one table: partition {@code problem_id}, sort key {@code event_key}
 * ({@link TimelineStore#keyOf}), so writing an equal event again overwrites it with itself — a
 * redelivery adds nothing. The index {@code by_time} (partition {@code span}, always {@value
 * #SPAN}; sort key {@code span_key} = event key and pair) serves the span of every pair in one
 * Query: a network's events are a few thousand a day, far below one partition's limits. {@link
 * DynamoProblemStore} writes a record's events with the record in one transaction.
 */
public final class DynamoTimelineStore implements TimelineStore {

  static final String PROBLEM_ID = "problem_id";
  static final String EVENT_KEY = "event_key";
  static final String INDEX = "by_time";
  static final String SPAN_ATTRIBUTE = "span";
  static final String SPAN_KEY = "span_key";
  static final String SPAN = "all";

  private final DynamoDbClient db;
  private final String table;

  public DynamoTimelineStore(DynamoDbClient db, String table) {
    this.db = db;
    this.table = table;
  }

  public String table() {
    return table;
  }

  @Override
  public void append(ProblemEvent event) {
    db.putItem(r -> r.tableName(table).item(toItem(event)));
  }

  @Override
  public List<ProblemEvent> history(String problemId, int limit) {
    List<ProblemEvent> events =
        query(
            QueryRequest.builder()
                .tableName(table)
                .consistentRead(true)
                .keyConditionExpression("#p = :p")
                .expressionAttributeNames(Map.of("#p", PROBLEM_ID))
                .expressionAttributeValues(Map.of(":p", s(problemId)))
                .scanIndexForward(false),
            limit);
    Collections.reverse(events);
    return events;
  }

  @Override
  public List<ProblemEvent> between(long since, long until, int limit) {
    return query(
        QueryRequest.builder()
            .tableName(table)
            .indexName(INDEX)
            .keyConditionExpression("#s = :s AND #k BETWEEN :from AND :to")
            .expressionAttributeNames(Map.of("#s", SPAN_ATTRIBUTE, "#k", SPAN_KEY))
            .expressionAttributeValues(
                Map.of(
                    ":s", s(SPAN),
                    // Keys start with the time in 12 digits: '$' sorts after every key of the
                    // second 'until'.
                    ":from", s(String.format("%012d", since)),
                    ":to", s(String.format("%012d", until) + "$"))),
        limit);
  }

  /** The first {@code limit} items of a query, page after page. */
  private List<ProblemEvent> query(QueryRequest.Builder query, int limit) {
    List<ProblemEvent> events = new ArrayList<>();
    if (limit < 1) {
      return events;
    }
    Map<String, AttributeValue> start = null;
    do {
      query.limit(limit - events.size()).exclusiveStartKey(start);
      QueryResponse page = db.query(query.build());
      page.items().forEach(item -> events.add(fromItem(item)));
      start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
    } while (start != null && !start.isEmpty() && events.size() < limit);
    return events;
  }

  static Map<String, AttributeValue> toItem(ProblemEvent e) {
    String key = TimelineStore.keyOf(e);
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(PROBLEM_ID, s(e.problemId()));
    item.put(EVENT_KEY, s(key));
    item.put("type", s(e.type().wire()));
    item.put("time", n(e.time()));
    item.put("by", sOrNull(e.by()));
    item.put("note", sOrNull(e.note()));
    item.put("problem_time", n(e.problemTime()));
    item.put("problem", sOrNull(e.problem() == null ? null : e.problem().name()));
    item.put(SPAN_ATTRIBUTE, s(SPAN));
    item.put(SPAN_KEY, s(key + "#" + e.problemId()));
    return item;
  }

  static ProblemEvent fromItem(Map<String, AttributeValue> item) {
    String problem = Attributes.optionalString(item, "problem");
    return new ProblemEvent(
        Attributes.string(item, PROBLEM_ID),
        ProblemEvent.Type.ofWire(Attributes.string(item, "type")),
        Attributes.number(item, "time"),
        Attributes.optionalString(item, "by"),
        Attributes.optionalString(item, "note"),
        Attributes.number(item, "problem_time"),
        problem == null ? null : ProblemType.valueOf(problem));
  }
}
