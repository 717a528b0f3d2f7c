package org.kloaka.aws.dynamo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kloaka.core.port.DeviceStore;
import org.kloaka.core.port.Stored;
import org.kloaka.model.Device;
import org.kloaka.model.SensorId;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Devices in one DynamoDB table keyed by {@code id}. Each item holds only the bounded list of
 * recent measurements (the organizer's {@code keep}), so it stays a few KB whatever the history.
 */
public final class DynamoDeviceStore implements DeviceStore {

  private final DynamoDbClient db;
  private final String table;

  public DynamoDeviceStore(DynamoDbClient db, String table) {
    this.db = db;
    this.table = table;
  }

  /** Strongly consistent: the organizer's read-modify-write and the inspector need the latest. */
  @Override
  public Optional<Stored<Device>> find(SensorId id) {
    Map<String, AttributeValue> item = Reads.item(db, table, DeviceItems.ID, id.toString());
    return item == null
        ? Optional.empty()
        : Optional.of(new Stored<>(DeviceItems.fromItem(item), DeviceItems.version(item)));
  }

  @Override
  public List<Device> list() {
    ScanRequest scan =
        ScanRequest.builder()
            .tableName(table)
            .projectionExpression("#i, #lv, #lu, #s, #e, #b, #f")
            .expressionAttributeNames(
                Map.of(
                    "#i", DeviceItems.ID,
                    "#lv", DeviceItems.LAST_VALUE,
                    "#lu", DeviceItems.LAST_UPDATE,
                    "#s", DeviceItems.SIGNAL,
                    "#e", DeviceItems.DEV_EUI,
                    "#b", DeviceItems.BATTERY,
                    "#f", DeviceItems.F_CNT))
            .build();
    List<Device> devices = new ArrayList<>();
    db.scanPaginator(scan).items().forEach(item -> devices.add(DeviceItems.fromItem(item)));
    devices.sort(Comparator.comparing(Device::id));
    return devices;
  }

  @Override
  public boolean replace(Stored<Device> expected, Device next) {
    Long expectedVersion = expected == null ? null : expected.version();
    return ConditionalPut.put(
        db,
        table,
        DeviceItems.ID,
        DeviceItems.toItem(next, ConditionalPut.nextVersion(expectedVersion)),
        expectedVersion);
  }
}
