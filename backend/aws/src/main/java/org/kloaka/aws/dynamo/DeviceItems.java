package org.kloaka.aws.dynamo;

import static org.kloaka.aws.dynamo.Attributes.n;
import static org.kloaka.aws.dynamo.Attributes.s;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kloaka.core.port.DeviceStore;
import org.kloaka.model.Device;
import org.kloaka.model.Filling;
import org.kloaka.model.Measurement;
import org.kloaka.model.SensorId;
import org.kloaka.model.Signal;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A device as a DynamoDB item: the seed's field names ({@code id}, {@code last_value}, {@code
 * last_update}), plus {@code signal}, The Things Stack's {@code dev_eui}, {@code battery} and
 * {@code f_cnt} when known, the {@code version} that conditional writes check and, for messages of
 * an IoT rule, {@code last_seq}: the history sort key of the reading last applied. The recent
 * measurements are not in the item (they are the newest history rows, docs/decisions/028); items
 * written before that still hold a {@code measurements} list of {@code {filling, dt}}, which the
 * next write drops. Used by the store and by the stream handlers, which read the same items from
 * stream images.
 */
public final class DeviceItems {

  static final String ID = "id";
  static final String LAST_VALUE = "last_value";
  static final String LAST_UPDATE = "last_update";
  static final String MEASUREMENTS = "measurements";
  static final String SIGNAL = "signal";
  static final String VERSION = "version";
  static final String DEV_EUI = "dev_eui";
  static final String BATTERY = "battery";
  static final String F_CNT = "f_cnt";
  static final String LAST_SEQ = "last_seq";

  private DeviceItems() {}

  /**
   * The item for {@code device}'s state at {@code version}.
   *
   * @throws IllegalArgumentException when {@code device} carries measurements: they are history
   *     rows, never part of the item
   */
  public static Map<String, AttributeValue> toItem(Device device, long version) {
    return toItem(device, version, null);
  }

  /** Like {@link #toItem(Device, long)}, with the history sort key of the reading applied. */
  static Map<String, AttributeValue> toItem(Device device, long version, String lastSeq) {
    DeviceStore.requireState(device);
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(ID, s(device.id().toString()));
    item.put(LAST_VALUE, s(device.lastValue().toString()));
    item.put(LAST_UPDATE, n(device.lastUpdate()));
    if (lastSeq != null) {
      item.put(LAST_SEQ, s(lastSeq));
    }
    Map<String, AttributeValue> signal = signal(device.signal());
    if (!signal.isEmpty()) {
      item.put(SIGNAL, AttributeValue.builder().m(signal).build());
    }
    if (device.devEui() != null) {
      item.put(DEV_EUI, s(device.devEui()));
    }
    if (device.battery() != null) {
      item.put(BATTERY, AttributeValue.builder().n(device.battery().toString()).build());
    }
    if (device.fCnt() != null) {
      item.put(F_CNT, n(device.fCnt()));
    }
    item.put(VERSION, n(version));
    return item;
  }

  /**
   * The device an item holds; without {@code measurements} (a projection) the device has none.
   *
   * @throws IllegalStateException when the item is not a device item
   */
  public static Device fromItem(Map<String, AttributeValue> item) {
    SensorId id = SensorId.parse(Attributes.string(item, ID));
    Filling lastValue = Filling.parse(Attributes.string(item, LAST_VALUE));
    long lastUpdate = Attributes.number(item, LAST_UPDATE);
    List<Measurement> measurements = null;
    AttributeValue list = item.get(MEASUREMENTS);
    if (list != null && list.hasL()) {
      measurements = new ArrayList<>(list.l().size());
      for (AttributeValue entry : list.l()) {
        Map<String, AttributeValue> m = entry.m();
        measurements.add(
            new Measurement(
                Filling.parse(Attributes.string(m, "filling")), Attributes.number(m, "dt")));
      }
    }
    Signal signal = null;
    AttributeValue signalValue = item.get(SIGNAL);
    if (signalValue != null && signalValue.hasM()) {
      signal =
          new Signal(
              Attributes.optionalDouble(signalValue.m(), "rssi"),
              Attributes.optionalDouble(signalValue.m(), "snr"),
              Attributes.optionalString(signalValue.m(), "gateway_id"));
    }
    AttributeValue battery = item.get(BATTERY);
    return new Device(
        id,
        lastValue,
        lastUpdate,
        measurements,
        signal,
        Attributes.optionalString(item, DEV_EUI),
        battery == null || battery.n() == null ? null : new BigDecimal(battery.n()),
        Attributes.optionalNumber(item, F_CNT));
  }

  /** The history sort key of the reading an IoT rule's message last applied, or null. */
  static String lastSeq(Map<String, AttributeValue> item) {
    return Attributes.optionalString(item, LAST_SEQ);
  }

  /** The item's version; items written before versions existed count as 0. */
  public static long version(Map<String, AttributeValue> item) {
    Long version = Attributes.optionalNumber(item, VERSION);
    return version == null ? 0 : version;
  }

  static Map<String, AttributeValue> signal(Signal signal) {
    Map<String, AttributeValue> map = new HashMap<>();
    if (signal != null) {
      if (signal.rssi() != null) {
        map.put("rssi", n(signal.rssi()));
      }
      if (signal.snr() != null) {
        map.put("snr", n(signal.snr()));
      }
      if (signal.gatewayId() != null) {
        map.put("gateway_id", s(signal.gatewayId()));
      }
    }
    return map;
  }
}
