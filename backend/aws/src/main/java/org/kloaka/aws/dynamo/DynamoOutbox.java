package org.kloaka.aws.dynamo;

import static org.kloaka.aws.dynamo.Attributes.n;
import static org.kloaka.aws.dynamo.Attributes.s;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.kloaka.core.notify.Notification;
import org.kloaka.core.port.NotificationOutbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The notification outbox in one DynamoDB table (docs/notifications.md, docs/decisions/031):
 * partition {@code problem_id}, sort key {@code entry} = {@code <12-digit problem_time>#<step or
 * r>#<channel>}, so an occurrence's entries are one Query and an entry is added only if absent.
 * {@link DynamoProblemStore} writes new entries in the same TransactWriteItems as the problem
 * change that made them due.
 *
 * <p>Two sparse indexes: {@value #DUE} (partition {@code queue} = {@code pending} or {@code
 * failed}, sort key {@code ready_key} = {@code <channel>#<12-digit second>}) finds a channel's due
 * entries and counts them; {@value #BY_CHANGE} (partition {@code span}, sort key {@code changed})
 * lists what changed last. A claim is one UpdateItem conditional on the {@code ready_key} the
 * sender read, moving it to the lease's end: of two overlapping scheduled runs exactly one wins
 * each entry, and an entry whose sender died is claimable again when its lease ends.
 */
public final class DynamoOutbox implements NotificationOutbox {

  private static final Logger log = LoggerFactory.getLogger(DynamoOutbox.class);

  static final String PROBLEM_ID = "problem_id";
  static final String ENTRY = "entry";
  static final String DUE = "due";
  static final String BY_CHANGE = "by_change";
  private static final String QUEUE = "queue";
  private static final String READY_KEY = "ready_key";
  private static final String SPAN = "span";
  private static final String CHANGED = "changed";
  private static final String PENDING = "pending";
  private static final String FAILED = "failed";
  private static final String ALL = "all";

  private final DynamoDbClient db;
  private final String table;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, String> claims = new ConcurrentHashMap<>(); // entry key → claim token

  public DynamoOutbox(DynamoDbClient db, String table) {
    this.db = db;
    this.table = table;
  }

  public String table() {
    return table;
  }

  @Override
  public void add(List<Notification> entries) {
    for (Notification entry : entries) {
      try {
        db.putItem(
            r ->
                r.tableName(table)
                    .item(toItem(entry))
                    .conditionExpression("attribute_not_exists(#p)")
                    .expressionAttributeNames(Map.of("#p", PROBLEM_ID)));
      } catch (ConditionalCheckFailedException e) {
        // Already there: a redelivered change adds nothing.
      }
    }
  }

  /** The Put of a new entry, if absent, for a transaction of the problem change that made it. */
  Put putIfAbsent(Notification entry) {
    return Put.builder()
        .tableName(table)
        .item(toItem(entry))
        .conditionExpression("attribute_not_exists(#p)")
        .expressionAttributeNames(Map.of("#p", PROBLEM_ID))
        .build();
  }

  @Override
  public void cancelAfter(String problemId, long problemTime, long stopTime, long now) {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    Reads.query(
        db,
        QueryRequest.builder()
            .tableName(table)
            .consistentRead(true)
            .keyConditionExpression("#p = :p AND begins_with(#e, :occurrence)")
            .expressionAttributeNames(Map.of("#p", PROBLEM_ID, "#e", ENTRY))
            .expressionAttributeValues(
                Map.of(":p", s(problemId), ":occurrence", s(String.format("%012d#", problemTime))))
            .build(),
        // An occurrence has steps × channels entries and one resolution notice per channel.
        1000,
        item -> item,
        items);
    for (Map<String, AttributeValue> item : items) {
      Notification entry = fromItem(item);
      if (entry.isLadderStep()
          && entry.state() == Notification.State.PENDING
          && entry.dueAt() > stopTime) {
        Notification cancelled =
            entry.with(
                Notification.State.CANCELLED, entry.attempts(), entry.nextAttemptAt(), null, now);
        write(cancelled, "#st = :pendingState", Map.of(":pendingState", s(PENDING)));
      }
    }
  }

  @Override
  public List<Notification> claimDue(String channel, long now, long leaseUntil, int limit) {
    String token = HexFormat.of().formatHex(token());
    List<Notification> mine = new ArrayList<>();
    eachPage(
        QueryRequest.builder()
            .tableName(table)
            .indexName(DUE)
            .keyConditionExpression("#q = :q AND #r BETWEEN :from AND :to")
            .expressionAttributeNames(Map.of("#q", QUEUE, "#r", READY_KEY))
            .expressionAttributeValues(
                Map.of(
                    ":q", s(PENDING),
                    ":from", s(channel + "#"),
                    ":to", s(readyKey(channel, now))))
            .limit(Math.max(limit, 10))
            .build(),
        page -> {
          for (Map<String, AttributeValue> seen : page.items()) {
            if (mine.size() >= limit) {
              break;
            }
            Notification claimed = claim(seen, channel, leaseUntil, token);
            if (claimed != null) {
              mine.add(claimed);
            }
          }
          return mine.size() < limit;
        });
    return mine;
  }

  /** Runs {@code query} page after page until {@code page} answers false or the query ends. */
  private void eachPage(QueryRequest query, Predicate<QueryResponse> page) {
    Map<String, AttributeValue> start = null;
    do {
      QueryRequest.Builder next = query.toBuilder();
      if (start != null) {
        next.exclusiveStartKey(start);
      }
      QueryResponse response = db.query(next.build());
      if (!page.test(response)) {
        return;
      }
      start =
          response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
              ? response.lastEvaluatedKey()
              : null;
    } while (start != null);
  }

  private byte[] token() {
    byte[] bytes = new byte[12];
    random.nextBytes(bytes);
    return bytes;
  }

  /** Takes one entry the index showed, or null when another sender took or finished it first. */
  private Notification claim(
      Map<String, AttributeValue> seen, String channel, long leaseUntil, String token) {
    try {
      Map<String, AttributeValue> now =
          db.updateItem(
                  UpdateItemRequest.builder()
                      .tableName(table)
                      .key(Map.of(PROBLEM_ID, seen.get(PROBLEM_ID), ENTRY, seen.get(ENTRY)))
                      .updateExpression("SET #r = :lease, claim = :token")
                      .conditionExpression("#q = :q AND #r = :seen")
                      .expressionAttributeNames(Map.of("#q", QUEUE, "#r", READY_KEY))
                      .expressionAttributeValues(
                          Map.of(
                              ":q", s(PENDING),
                              ":seen", seen.get(READY_KEY),
                              ":lease", s(readyKey(channel, leaseUntil)),
                              ":token", s(token)))
                      .returnValues(ReturnValue.ALL_NEW)
                      .build())
              .attributes();
      Notification entry = fromItem(now);
      claims.put(entry.key(), token);
      return entry;
    } catch (ConditionalCheckFailedException e) {
      return null;
    }
  }

  @Override
  public void finish(List<Notification> outcomes) {
    for (Notification outcome : outcomes) {
      String token = claims.remove(outcome.key());
      if (token == null) {
        write(outcome, "attribute_exists(#p)", Map.of());
      } else if (!write(outcome, "claim = :token", Map.of(":token", s(token)))) {
        // The lease ran out and another sender claimed the entry: its outcome is the one kept.
        log.warn(
            "outcome of notification {} not written: another sender claimed it after this one's"
                + " lease ended",
            outcome.key());
      }
    }
  }

  /** Writes an entry's state under {@code condition}; false when the condition failed. */
  private boolean write(
      Notification entry, String condition, Map<String, AttributeValue> conditionValues) {
    Map<String, String> names = new HashMap<>();
    names.put("#p", PROBLEM_ID);
    names.put("#st", "state");
    names.put("#q", QUEUE);
    names.put("#r", READY_KEY);
    names.put("#span", SPAN);
    names.put("#changed", CHANGED);
    Map<String, AttributeValue> values = new HashMap<>(conditionValues);
    values.put(":state", s(entry.state().wire()));
    values.put(":attempts", n(entry.attempts()));
    values.put(":attemptAt", n(entry.nextAttemptAt()));
    values.put(":span", s(ALL));
    values.put(":changed", s(changedKey(entry)));
    List<String> set =
        new ArrayList<>(
            List.of(
                "#st = :state",
                "attempts = :attempts",
                "attempt_at = :attemptAt",
                "#span = :span",
                "#changed = :changed"));
    List<String> remove = new ArrayList<>(List.of("claim"));
    if (entry.error() == null) {
      remove.add("#error");
    } else {
      set.add("#error = :error");
      values.put(":error", s(entry.error()));
    }
    names.put("#error", "error");
    if (entry.doneAt() == null) {
      remove.add("done_at");
    } else {
      set.add("done_at = :doneAt");
      values.put(":doneAt", n(entry.doneAt()));
    }
    switch (entry.state()) {
      case PENDING -> {
        set.add("#q = :queue");
        set.add("#r = :ready");
        values.put(":queue", s(PENDING));
        values.put(":ready", s(readyKey(entry.channel(), entry.nextAttemptAt())));
      }
      case FAILED -> {
        set.add("#q = :queue");
        set.add("#r = :ready");
        values.put(":queue", s(FAILED));
        values.put(":ready", s(readyKey(entry.channel(), entry.doneAt())));
      }
      default -> {
        remove.add("#q");
        remove.add("#r");
      }
    }
    try {
      db.updateItem(
          UpdateItemRequest.builder()
              .tableName(table)
              .key(key(entry))
              .updateExpression(
                  "SET " + String.join(", ", set) + " REMOVE " + String.join(", ", remove))
              .conditionExpression(condition)
              .expressionAttributeNames(used(names, condition, set, remove))
              .expressionAttributeValues(values)
              .build());
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  /** DynamoDB refuses names an expression does not use. */
  private static Map<String, String> used(
      Map<String, String> names, String condition, List<String> set, List<String> remove) {
    String all = condition + " " + String.join(" ", set) + " " + String.join(" ", remove);
    Map<String, String> kept = new HashMap<>();
    names.forEach(
        (placeholder, name) -> {
          if (all.matches("(?s).*" + placeholder + "\\b.*")) {
            kept.put(placeholder, name);
          }
        });
    return kept;
  }

  @Override
  public List<Notification> newest(int limit) {
    List<Notification> found = new ArrayList<>();
    if (limit < 1) {
      return found;
    }
    Reads.query(
        db,
        QueryRequest.builder()
            .tableName(table)
            .indexName(BY_CHANGE)
            .keyConditionExpression("#s = :s")
            .expressionAttributeNames(Map.of("#s", SPAN))
            .expressionAttributeValues(Map.of(":s", s(ALL)))
            .scanIndexForward(false)
            .build(),
        limit,
        DynamoOutbox::fromItem,
        found);
    return found;
  }

  @Override
  public Counts counts() {
    return new Counts(count(PENDING), count(FAILED));
  }

  private long count(String queue) {
    long[] total = {0};
    eachPage(
        QueryRequest.builder()
            .tableName(table)
            .indexName(DUE)
            .keyConditionExpression("#q = :q")
            .expressionAttributeNames(Map.of("#q", QUEUE))
            .expressionAttributeValues(Map.of(":q", s(queue)))
            .select(Select.COUNT)
            .build(),
        page -> {
          total[0] += page.count();
          return true;
        });
    return total[0];
  }

  static Map<String, AttributeValue> key(Notification entry) {
    return Map.of(PROBLEM_ID, s(entry.problemId()), ENTRY, s(sortKey(entry)));
  }

  private static String sortKey(Notification entry) {
    return String.format("%012d", entry.problemTime())
        + "#"
        + (entry.isLadderStep() ? String.valueOf(entry.step()) : "r")
        + "#"
        + entry.channel();
  }

  private static String readyKey(String channel, long second) {
    return channel + "#" + String.format("%012d", second);
  }

  private static String changedKey(Notification entry) {
    long at = entry.doneAt() != null ? entry.doneAt() : entry.nextAttemptAt();
    return String.format("%012d", at) + "#" + entry.key();
  }

  static Map<String, AttributeValue> toItem(Notification entry) {
    Map<String, AttributeValue> item = new HashMap<>(key(entry));
    item.put("problem_time", n(entry.problemTime()));
    item.put("channel", s(entry.channel()));
    item.put("event", s(entry.event().name()));
    item.put("step", n(entry.step()));
    item.put("due_at", n(entry.dueAt()));
    item.put(
        "problem", AttributeValue.builder().m(ProblemItems.toItem(entry.problem(), 0)).build());
    item.put("state", s(entry.state().wire()));
    item.put("attempts", n(entry.attempts()));
    item.put("attempt_at", n(entry.nextAttemptAt()));
    if (entry.state() == Notification.State.PENDING) {
      item.put(QUEUE, s(PENDING));
      item.put(READY_KEY, s(readyKey(entry.channel(), entry.nextAttemptAt())));
    }
    return item;
  }

  static Notification fromItem(Map<String, AttributeValue> item) {
    return new Notification(
        Attributes.string(item, PROBLEM_ID),
        Attributes.number(item, "problem_time"),
        (int) Attributes.number(item, "step"),
        Attributes.string(item, "channel"),
        Notification.Event.valueOf(Attributes.string(item, "event")),
        Attributes.number(item, "due_at"),
        ProblemItems.fromItem(item.get("problem").m()),
        Notification.State.valueOf(
            Attributes.string(item, "state").toUpperCase(java.util.Locale.ROOT)),
        (int) Attributes.number(item, "attempts"),
        Attributes.number(item, "attempt_at"),
        Attributes.optionalString(item, "error"),
        Attributes.optionalNumber(item, "done_at"));
  }
}
