package org.kloaka.aws.dynamo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kloaka.core.port.ProblemStore;
import org.kloaka.core.port.Stored;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemStatus;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Problems in one DynamoDB table keyed by {@code problem_id}. Every write is conditional on the
 * version read, so a redelivered stream record that re-inspects a pair either finds nothing to
 * change or loses the race cleanly: it never creates a second record.
 */
public final class DynamoProblemStore implements ProblemStore {

  /** Newest {@code problem_time} first, ties by id (the port's order). */
  static final Comparator<Problem> NEWEST_FIRST =
      Comparator.comparingLong(Problem::problemTime).reversed().thenComparing(Problem::problemId);

  private final DynamoDbClient db;
  private final String table;

  public DynamoProblemStore(DynamoDbClient db, String table) {
    this.db = db;
    this.table = table;
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

  @Override
  public boolean replace(Stored<Problem> expected, Problem next) {
    Long expectedVersion = expected == null ? null : expected.version();
    return ConditionalPut.put(
        db,
        table,
        ProblemItems.PROBLEM_ID,
        ProblemItems.toItem(next, ConditionalPut.nextVersion(expectedVersion)),
        expectedVersion);
  }
}
