package org.kloaka.aws.dynamo;

import static org.kloaka.aws.dynamo.Attributes.n;
import static org.kloaka.aws.dynamo.Attributes.s;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kloaka.core.port.OperatorStore;
import org.kloaka.model.Operator;
import org.kloaka.model.Role;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Operators in one table keyed by {@code key}: {@code name#<name>} holds the account and its
 * token's digest, {@code token#<digest>} the same account under its digest, so a call's token is
 * one consistent GetItem (an index would be eventually consistent: a removed token could work a
 * moment longer). Both items are written and deleted in one transaction.
 */
public final class DynamoOperatorStore implements OperatorStore {

  static final String KEY = "key";
  private static final String BY_NAME = "name#";
  private static final String BY_TOKEN = "token#";

  private final DynamoDbClient db;
  private final String table;

  public DynamoOperatorStore(DynamoDbClient db, String table) {
    this.db = db;
    this.table = table;
  }

  @Override
  public boolean add(Operator operator, String tokenDigest) {
    Map<String, AttributeValue> byName = item(BY_NAME + operator.name(), operator, tokenDigest);
    Map<String, AttributeValue> byToken = item(BY_TOKEN + tokenDigest, operator, tokenDigest);
    try {
      db.transactWriteItems(r -> r.transactItems(conditionalPut(byName), conditionalPut(byToken)));
      return true;
    } catch (TransactionCanceledException e) {
      if (e.cancellationReasons().stream()
          .anyMatch(reason -> "ConditionalCheckFailed".equals(reason.code()))) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public Optional<Operator> byDigest(String tokenDigest) {
    Map<String, AttributeValue> item = Reads.item(db, table, KEY, BY_TOKEN + tokenDigest);
    return item == null ? Optional.empty() : Optional.of(operator(item));
  }

  @Override
  public List<Operator> list() {
    List<Operator> operators = new ArrayList<>();
    db.scanPaginator(
            r ->
                r.tableName(table)
                    .consistentRead(true)
                    .filterExpression("begins_with(#k, :p)")
                    .expressionAttributeNames(Map.of("#k", KEY))
                    .expressionAttributeValues(Map.of(":p", s(BY_NAME))))
        .items()
        .forEach(item -> operators.add(operator(item)));
    operators.sort(Comparator.comparing(Operator::name));
    return operators;
  }

  @Override
  public boolean remove(String name) {
    Map<String, AttributeValue> item = Reads.item(db, table, KEY, BY_NAME + name);
    if (item == null) {
      return false;
    }
    String digest = Attributes.string(item, "token_digest");
    try {
      db.transactWriteItems(
          r -> r.transactItems(delete(BY_NAME + name, true), delete(BY_TOKEN + digest, false)));
      return true;
    } catch (TransactionCanceledException e) {
      return false; // removed meanwhile by another call
    }
  }

  private Map<String, AttributeValue> item(String key, Operator operator, String digest) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(KEY, s(key));
    item.put("name", s(operator.name()));
    item.put("role", s(operator.role().wire()));
    item.put("created", n(operator.created()));
    item.put("token_digest", s(digest));
    return item;
  }

  private TransactWriteItem conditionalPut(Map<String, AttributeValue> item) {
    return TransactWriteItem.builder()
        .put(
            Put.builder()
                .tableName(table)
                .item(item)
                .conditionExpression("attribute_not_exists(#k)")
                .expressionAttributeNames(Map.of("#k", KEY))
                .build())
        .build();
  }

  private TransactWriteItem delete(String key, boolean mustExist) {
    Delete.Builder delete = Delete.builder().tableName(table).key(Map.of(KEY, s(key)));
    if (mustExist) {
      delete
          .conditionExpression("attribute_exists(#k)")
          .expressionAttributeNames(Map.of("#k", KEY));
    }
    return TransactWriteItem.builder().delete(delete.build()).build();
  }

  private static Operator operator(Map<String, AttributeValue> item) {
    return new Operator(
        Attributes.string(item, "name"),
        Role.ofWire(Attributes.string(item, "role")),
        Attributes.number(item, "created"));
  }
}
