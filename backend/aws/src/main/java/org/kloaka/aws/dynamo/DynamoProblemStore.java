package org.kloaka.aws.dynamo;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.kloaka.core.notify.Escalation;
import org.kloaka.core.notify.Notification;
import org.kloaka.core.notify.NotificationPlan;
import org.kloaka.core.port.ProblemStore;
import org.kloaka.core.port.Stored;
import org.kloaka.core.port.TimelineStore;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemEvent;
import org.kloaka.model.ProblemStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Problems in one DynamoDB table keyed by {@code problem_id}. Every write is conditional on the
 * version read, so a redelivered stream record that re-inspects a pair either finds nothing to
 * change or loses the race cleanly: it never creates a second record. A record's timeline events go
 * with it in the same transaction, and so do the notifications the change makes due when the store
 * {@link #escalating escalates} (docs/decisions/031): what is due is durable with the change.
 */
public final class DynamoProblemStore implements ProblemStore {

  private static final Logger log = LoggerFactory.getLogger(DynamoProblemStore.class);

  /** Newest {@code problem_time} first, ties by id (the port's order). */
  static final Comparator<Problem> NEWEST_FIRST =
      Comparator.comparingLong(Problem::problemTime).reversed().thenComparing(Problem::problemId);

  private final DynamoDbClient db;
  private final String table;
  private final String timelineTable;
  private final NotificationPlan plan;
  private final DynamoOutbox outbox;
  private final Clock clock;

  /**
   * @param timelineTable the table of {@link DynamoTimelineStore}, where a record's events go
   */
  public DynamoProblemStore(DynamoDbClient db, String table, String timelineTable) {
    this(db, table, timelineTable, NotificationPlan.NONE, null, null);
  }

  private DynamoProblemStore(
      DynamoDbClient db,
      String table,
      String timelineTable,
      NotificationPlan plan,
      DynamoOutbox outbox,
      Clock clock) {
    this.db = db;
    this.table = table;
    this.timelineTable = timelineTable;
    this.plan = plan;
    this.outbox = outbox;
    this.clock = clock;
  }

  /**
   * The same store, which also feeds the escalation ladder ({@link Escalation#effects}): the
   * entries a change makes due are added, if absent, in the change's own TransactWriteItems; what
   * it stops is cancelled right after the commit (a step missed then is cancelled when claimed,
   * {@link Escalation#stillDue}). The DynamoDB counterpart of the local runtime's {@code
   * EscalatingProblemStore}, which writes after the record in one SQLite transaction.
   */
  public DynamoProblemStore escalating(NotificationPlan plan, DynamoOutbox outbox, Clock clock) {
    return new DynamoProblemStore(db, table, timelineTable, plan, outbox, clock);
  }

  @Override
  public Optional<Stored<Problem>> find(String problemId) {
    Map<String, AttributeValue> item = Reads.item(db, table, ProblemItems.PROBLEM_ID, problemId);
    return item == null
        ? Optional.empty()
        : Optional.of(new Stored<>(ProblemItems.fromItem(item), ProblemItems.version(item)));
  }

  /**
   * A Scan: one record per pair of sensors keeps the table small (a thousand-sensor network has
   * about a thousand items), so an index would cost more writes than it saves reads.
   */
  @Override
  public List<Problem> list(ProblemStatus status) {
    ScanRequest.Builder scan = ScanRequest.builder().tableName(table).consistentRead(true);
    if (status != null) {
      scan.filterExpression("#st = :st")
          .expressionAttributeNames(Map.of("#st", ProblemItems.STATUS))
          .expressionAttributeValues(Map.of(":st", Attributes.s(status.name())));
    }
    List<Problem> problems = new ArrayList<>();
    db.scanPaginator(scan.build())
        .items()
        .forEach(item -> problems.add(ProblemItems.fromItem(item)));
    problems.sort(NEWEST_FIRST);
    return problems;
  }

  /**
   * One conditional PutItem, or, with events or notifications due, one TransactWriteItems of the
   * conditional record, its events (unconditional: an event's key is its identity, so a rewrite is
   * a no-op) and the new outbox entries (each only if absent).
   */
  @Override
  public boolean replace(Stored<Problem> expected, Problem next, List<ProblemEvent> events) {
    Long expectedVersion = expected == null ? null : expected.version();
    Escalation.Effects effects =
        outbox == null
            ? Escalation.Effects.NONE
            : Escalation.effects(plan, expected == null ? null : expected.value(), next);
    Map<String, AttributeValue> item =
        ProblemItems.toItem(next, ConditionalPut.nextVersion(expectedVersion));
    if (events.isEmpty() && effects.due().isEmpty()) {
      return ConditionalPut.put(db, table, ProblemItems.PROBLEM_ID, item, expectedVersion);
    }
    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(
        TransactWriteItem.builder()
            .put(
                ConditionalPut.conditioned(
                        Put.builder().tableName(table).item(item),
                        ProblemItems.PROBLEM_ID,
                        expectedVersion)
                    .build())
            .build());
    // One write per item in a transaction: equal events once.
    Set<String> keys = new HashSet<>();
    for (ProblemEvent event : events) {
      if (keys.add(TimelineStore.keyOf(event))) {
        writes.add(
            TransactWriteItem.builder()
                .put(
                    Put.builder()
                        .tableName(timelineTable)
                        .item(DynamoTimelineStore.toItem(event))
                        .build())
                .build());
      }
    }
    int firstEntry = writes.size();
    for (Notification entry : effects.due()) {
      writes.add(TransactWriteItem.builder().put(outbox.putIfAbsent(entry)).build());
    }
    if (!transact(writes, firstEntry)) {
      return false;
    }
    if (effects.stopTime() != null) {
      try {
        outbox.cancelAfter(
            next.problemId(),
            next.problemTime(),
            effects.stopTime(),
            Math.floorDiv(clock.millis(), 1000));
      } catch (RuntimeException e) {
        log.warn(
            "could not cancel the later steps of {} now; the sender cancels them when they fall"
                + " due: {}",
            next.problemId(),
            e.toString());
      }
    }
    return true;
  }

  /**
   * Runs the transaction; false when the record changed since it was read. An outbox entry that
   * exists already (its condition failed while the record's held) is kept as it is: the transaction
   * runs again without it.
   */
  private boolean transact(List<TransactWriteItem> writes, int firstEntry) {
    try {
      db.transactWriteItems(r -> r.transactItems(writes));
      return true;
    } catch (TransactionCanceledException e) {
      List<CancellationReason> reasons = e.cancellationReasons();
      if (!reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code())) {
        return false;
      }
      if (reasons.stream().anyMatch(r -> "TransactionConflict".equals(r.code()))) {
        return false; // another writer on the same record: re-read and retry
      }
      List<TransactWriteItem> without = new ArrayList<>(writes.subList(0, firstEntry));
      for (int i = firstEntry; i < writes.size(); i++) {
        if (i >= reasons.size() || !"ConditionalCheckFailed".equals(reasons.get(i).code())) {
          without.add(writes.get(i));
        }
      }
      if (without.size() == writes.size()) {
        throw e;
      }
      return transact(without, firstEntry);
    }
  }
}
