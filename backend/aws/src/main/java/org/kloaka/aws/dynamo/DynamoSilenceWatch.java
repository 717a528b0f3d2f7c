package org.kloaka.aws.dynamo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.kloaka.core.port.SilenceWatch;
import org.kloaka.model.Device;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The silent-sensor sweep's reads on DynamoDB, without a Scan (docs/decisions/026): the devices
 * table's global secondary index {@value DeviceItems#BY_LAST_HOUR} holds each device once, under
 * the hour of its current {@code last_update} (sort key {@code last_update}), so the devices last
 * heard in a span are one Query per hour of the span — one or two per sweep. The sweep's cut-off is
 * an item of the alarm-state table ({@code key} = {@value #CURSOR}).
 *
 * <p>The index is eventually consistent: a device that reported a moment ago may still be listed
 * under its old hour. The sweep reads every candidate again, strongly, before acting.
 */
public final class DynamoSilenceWatch implements SilenceWatch {

  static final String CURSOR = "silence_swept_up_to";

  private final DynamoDbClient db;
  private final String devicesTable;
  private final String stateTable;

  public DynamoSilenceWatch(DynamoDbClient db, String devicesTable, String stateTable) {
    this.db = db;
    this.devicesTable = devicesTable;
    this.stateTable = stateTable;
  }

  @Override
  public List<Device> lastHeardIn(long after, long upTo) {
    List<Device> devices = new ArrayList<>();
    if (after >= upTo) {
      return devices;
    }
    for (long hour = DeviceItems.hourOf(after + 1); hour <= DeviceItems.hourOf(upTo); hour++) {
      QueryRequest query =
          QueryRequest.builder()
              .tableName(devicesTable)
              .indexName(DeviceItems.BY_LAST_HOUR)
              .keyConditionExpression("#h = :h AND #u BETWEEN :a AND :b")
              .expressionAttributeNames(
                  Map.of(
                      "#h", DeviceItems.LAST_HOUR,
                      "#u", DeviceItems.LAST_UPDATE))
              .expressionAttributeValues(
                  Map.of(
                      ":h", Attributes.n(hour),
                      ":a", Attributes.n(after + 1),
                      ":b", Attributes.n(upTo)))
              .build();
      Reads.query(db, query, Integer.MAX_VALUE, DeviceItems::fromItem, devices);
    }
    return devices;
  }

  @Override
  public OptionalLong sweptUpTo() {
    Map<String, AttributeValue> item = Reads.item(db, stateTable, DynamoPendingStore.KEY, CURSOR);
    return item == null ? OptionalLong.empty() : OptionalLong.of(Attributes.number(item, "value"));
  }

  @Override
  public void sweptUpTo(long cutoff) {
    try {
      db.updateItem(
          r ->
              r.tableName(stateTable)
                  .key(Map.of(DynamoPendingStore.KEY, Attributes.s(CURSOR)))
                  .updateExpression("SET #v = :c")
                  .conditionExpression("attribute_not_exists(#v) OR #v < :c")
                  .expressionAttributeNames(Map.of("#v", "value"))
                  .expressionAttributeValues(Map.of(":c", Attributes.n(cutoff))));
    } catch (ConditionalCheckFailedException e) {
      // Another sweep got further already: the cut-off never moves back.
    }
  }
}
