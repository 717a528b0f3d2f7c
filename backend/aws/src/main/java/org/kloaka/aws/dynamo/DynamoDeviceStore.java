package org.kloaka.aws.dynamo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kloaka.core.DeviceRules;
import org.kloaka.core.port.DeviceStore;
import org.kloaka.core.port.Stored;
import org.kloaka.model.Device;
import org.kloaka.model.Measurement;
import org.kloaka.model.SensorId;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Devices in one DynamoDB table keyed by {@code id}. An item holds the device's state only, a few
 * hundred bytes, so every device write costs one write unit whatever the history: its recent
 * measurements are its newest {@code keep} rows of the history table, read by {@link #find} (a
 * {@code GET /devices/{id}}), never by ingest (docs/decisions/028).
 */
public final class DynamoDeviceStore implements DeviceStore {

  private final DynamoDbClient db;
  private final String table;
  private final DynamoHistoryStore history;
  private final int keep;

  /**
   * @param history where the recent measurements are read from: the table the organizer appends
   *     every accepted reading to
   * @param keep how many recent measurements {@link #find} gives
   */
  public DynamoDeviceStore(DynamoDbClient db, String table, DynamoHistoryStore history, int keep) {
    this.db = db;
    this.table = table;
    this.history = history;
    this.keep = DeviceRules.checkKeep(keep);
  }

  /** The state (strongly consistent), then its newest {@code keep} history rows. */
  @Override
  public Optional<Stored<Device>> find(SensorId id) {
    return findState(id)
        .map(
            state ->
                new Stored<>(
                    state.value().withMeasurements(history.recent(id, keep)), state.version()));
  }

  /** Strongly consistent: the organizer's read-modify-write and the inspector need the latest. */
  @Override
  public Optional<Stored<Device>> findState(SensorId id) {
    Map<String, AttributeValue> item = Reads.item(db, table, DeviceItems.ID, id.toString());
    return item == null
        ? Optional.empty()
        : Optional.of(
            new Stored<>(
                DeviceItems.fromItem(item).withoutMeasurements(), DeviceItems.version(item)));
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
  public int keep() {
    return keep;
  }

  /**
   * {@inheritDoc} Only the state is written (one PutItem of well under 1 KB, conditional on the
   * version): {@code added} is the history row the caller appends.
   */
  @Override
  public boolean record(Stored<Device> expected, Device state, Measurement added) {
    DeviceStore.requireState(state);
    Long expectedVersion = expected == null ? null : expected.version();
    return ConditionalPut.put(
        db,
        table,
        DeviceItems.ID,
        DeviceItems.toItem(state, ConditionalPut.nextVersion(expectedVersion)),
        expectedVersion);
  }
}
