package org.kloaka.aws.stream;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.kloaka.aws.dynamo.DeviceItems;
import org.kloaka.core.DeviceRules.DeviceChange;
import org.kloaka.core.Inspector;
import org.kloaka.model.Device;
import org.kloaka.model.SensorId;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Runs the core's {@link Inspector} for the devices-table stream: once per sensor whose {@code
 * last_value}/{@code last_update} changed in the record (an INSERT counts; a late message, which
 * only adds a measurement, does not).
 *
 * <p>A sensor is inspected at most once per batch: the inspector reads the devices as they are now,
 * which is at least as new as every record in the batch, so a second inspection could change
 * nothing. Redelivered batches are harmless because the inspector is idempotent.
 */
public final class DeviceStreamInspector {

  private final Inspector inspector;

  public DeviceStreamInspector(Inspector inspector) {
    this.inspector = inspector;
  }

  public StreamsEventResponse handle(DynamodbEvent event) {
    Set<SensorId> inspected = new HashSet<>();
    return StreamBatch.process(
        event,
        record -> {
          SensorId changed =
              changedSensor(StreamImages.oldImage(record), StreamImages.newImage(record));
          if (changed != null && inspected.add(changed)) {
            inspector.inspect(changed);
          }
        });
  }

  /** The sensor whose last value or update moved between the two images, or null. */
  static SensorId changedSensor(
      Map<String, AttributeValue> oldImage, Map<String, AttributeValue> newImage) {
    if (newImage == null) {
      return null;
    }
    Device after = DeviceItems.fromItem(newImage);
    Device before = oldImage == null ? null : DeviceItems.fromItem(oldImage);
    return new DeviceChange(before, after, true).lastChanged() ? after.id() : null;
  }
}
