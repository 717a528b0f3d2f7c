package org.kloaka.aws.moto;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kloaka.aws.config.Settings;
import org.kloaka.aws.config.SsmParameterReader;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * One test's view of moto: fresh tables shaped as serverless.yml declares them (same keys, streams
 * with NEW_AND_OLD_IMAGES on devices and problems, TTL attributes), SDK clients, and the handlers'
 * environment.
 */
public final class MotoAws {

  public static final String DEVICES = "kloaka-test-devices";
  public static final String HISTORY = "kloaka-test-history";
  public static final String PROBLEMS = "kloaka-test-problems";
  public static final String REJECTS = "kloaka-test-rejects";
  public static final String CONNECTIONS = "kloaka-test-connections";
  public static final String ALARM_STATE = "kloaka-test-alarm-state";
  public static final String TIMELINE = "kloaka-test-timeline";
  public static final String OPERATORS = "kloaka-test-operators";
  public static final String NOTIFICATIONS = "kloaka-test-notifications";
  public static final String TOKEN_PARAM = "/kloaka/test/api-token";

  private final MotoServer server;
  private final DynamoDbClient db;
  private final SsmClient ssm;

  public MotoAws(MotoServer server) {
    this.server = server;
    this.db = server.dynamoDb();
    this.ssm = server.ssm();
    table(DEVICES, "id", null, true, null);
    table(HISTORY, "id", "seq", false, "expires_at");
    table(PROBLEMS, "problem_id", null, true, null);
    table(REJECTS, "bucket", "seq", false, "expires_at");
    table(CONNECTIONS, "connection_id", null, false, "expires_at");
    table(ALARM_STATE, "key", null, false, null);
    byLastHour();
    timelineTable();
    table(OPERATORS, "key", null, false, null);
    notificationsTable();
  }

  /** The notification outbox with its two sparse indexes, as serverless.yml declares it. */
  private void notificationsTable() {
    db.createTable(
        r ->
            r.tableName(NOTIFICATIONS)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                    stringAttribute("problem_id"),
                    stringAttribute("entry"),
                    stringAttribute("queue"),
                    stringAttribute("ready_key"),
                    stringAttribute("span"),
                    stringAttribute("changed"))
                .keySchema(key("problem_id", KeyType.HASH), key("entry", KeyType.RANGE))
                .globalSecondaryIndexes(
                    g ->
                        g.indexName("due")
                            .keySchema(key("queue", KeyType.HASH), key("ready_key", KeyType.RANGE))
                            .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)),
                    g ->
                        g.indexName("by_change")
                            .keySchema(key("span", KeyType.HASH), key("changed", KeyType.RANGE))
                            .projection(p -> p.projectionType(ProjectionType.ALL))));
  }

  /** The devices table's index by the hour of last_update, as serverless.yml declares it. */
  private void byLastHour() {
    db.updateTable(
        r ->
            r.tableName(DEVICES)
                .attributeDefinitions(
                    AttributeDefinition.builder()
                        .attributeName("last_hour")
                        .attributeType(ScalarAttributeType.N)
                        .build(),
                    AttributeDefinition.builder()
                        .attributeName("last_update")
                        .attributeType(ScalarAttributeType.N)
                        .build())
                .globalSecondaryIndexUpdates(
                    u ->
                        u.create(
                            c ->
                                c.indexName("by_last_hour")
                                    .keySchema(
                                        KeySchemaElement.builder()
                                            .attributeName("last_hour")
                                            .keyType(KeyType.HASH)
                                            .build(),
                                        KeySchemaElement.builder()
                                            .attributeName("last_update")
                                            .keyType(KeyType.RANGE)
                                            .build())
                                    .projection(
                                        p ->
                                            p.projectionType(ProjectionType.INCLUDE)
                                                .nonKeyAttributes("last_value")))));
  }

  /** The timeline table with its span index, as serverless.yml declares it. */
  private void timelineTable() {
    db.createTable(
        r ->
            r.tableName(TIMELINE)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                    stringAttribute("problem_id"),
                    stringAttribute("event_key"),
                    stringAttribute("span"),
                    stringAttribute("span_key"))
                .keySchema(key("problem_id", KeyType.HASH), key("event_key", KeyType.RANGE))
                .globalSecondaryIndexes(
                    g ->
                        g.indexName("by_time")
                            .keySchema(key("span", KeyType.HASH), key("span_key", KeyType.RANGE))
                            .projection(p -> p.projectionType(ProjectionType.ALL))));
  }

  private static AttributeDefinition stringAttribute(String name) {
    return AttributeDefinition.builder()
        .attributeName(name)
        .attributeType(ScalarAttributeType.S)
        .build();
  }

  private static KeySchemaElement key(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }

  public DynamoDbClient db() {
    return db;
  }

  /** The Lambdas' own SSM reader, pointed at moto. */
  public SsmParameterReader ssm() {
    return new SsmParameterReader(
        UrlConnectionHttpClient.create(),
        MotoServer.CREDENTIALS,
        MotoServer.REGION,
        server.endpoint());
  }

  public MotoServer server() {
    return server;
  }

  /** The environment serverless.yml gives the handlers, pointing at these tables. */
  public Settings settings(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>();
    env.put(Settings.DEVICES_TABLE, DEVICES);
    env.put(Settings.HISTORY_TABLE, HISTORY);
    env.put(Settings.PROBLEMS_TABLE, PROBLEMS);
    env.put(Settings.REJECTS_TABLE, REJECTS);
    env.put(Settings.CONNECTIONS_TABLE, CONNECTIONS);
    env.put(Settings.ALARM_STATE_TABLE, ALARM_STATE);
    env.put(Settings.TIMELINE_TABLE, TIMELINE);
    env.put(Settings.OPERATORS_TABLE, OPERATORS);
    env.put(Settings.API_TOKEN_PARAM, TOKEN_PARAM);
    env.put(Settings.NOTIFICATIONS_TABLE, NOTIFICATIONS);
    env.putAll(extra);
    return new Settings(env);
  }

  public Settings settings() {
    return settings(Map.of());
  }

  public void putToken(String token) {
    ssm.putParameter(
        r -> r.name(TOKEN_PARAM).type(ParameterType.SECURE_STRING).value(token).overwrite(true));
  }

  /** Every item of a table, in no particular order. */
  public List<Map<String, AttributeValue>> scan(String table) {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    db.scanPaginator(r -> r.tableName(table)).items().forEach(items::add);
    return items;
  }

  /** Reads the stream of a table from its start; each call returns only records not yet read. */
  public StreamTap tap(String table) {
    String arn = db.describeTable(r -> r.tableName(table)).table().latestStreamArn();
    return new StreamTap(server, arn);
  }

  private void table(String name, String hash, String range, boolean stream, String ttl) {
    List<AttributeDefinition> attributes = new ArrayList<>();
    List<KeySchemaElement> keys = new ArrayList<>();
    attributes.add(
        AttributeDefinition.builder()
            .attributeName(hash)
            .attributeType(ScalarAttributeType.S)
            .build());
    keys.add(KeySchemaElement.builder().attributeName(hash).keyType(KeyType.HASH).build());
    if (range != null) {
      attributes.add(
          AttributeDefinition.builder()
              .attributeName(range)
              .attributeType(ScalarAttributeType.S)
              .build());
      keys.add(KeySchemaElement.builder().attributeName(range).keyType(KeyType.RANGE).build());
    }
    db.createTable(
        r -> {
          r.tableName(name)
              .billingMode(BillingMode.PAY_PER_REQUEST)
              .attributeDefinitions(attributes)
              .keySchema(keys);
          if (stream) {
            r.streamSpecification(
                s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES));
          }
        });
    if (ttl != null) {
      db.updateTimeToLive(
          r -> r.tableName(name).timeToLiveSpecification(t -> t.attributeName(ttl).enabled(true)));
    }
  }
}
