package org.kloaka.aws.stream;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.kloaka.aws.dynamo.DeviceItems;
import org.kloaka.core.app.InspectPairs;
import org.kloaka.model.Device;
import org.kloaka.model.SensorId;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Runs the core's {@link InspectPairs} use case for the devices-table stream, on each record's old
 * and new image: the use case's rule decides, as it does for the local runtime, that a sensor is
 * inspected when its {@code last_value}/{@code last_update} changed (an INSERT counts; a late
 * message or a same-second repeat, which only add a measurement, do not).
 *
 * <p>A sensor is inspected at most once per batch: the inspector reads the devices as they are now,
 * which is at least as new as every record in the batch, so a second inspection could change
 * nothing. Redelivered batches are harmless because the inspector is idempotent.
 */
public final class DeviceStreamInspector {

  private final InspectPairs inspectPairs;

  public DeviceStreamInspector(InspectPairs inspectPairs) {
    this.inspectPairs = inspectPairs;
  }

  public StreamsEventResponse handle(DynamodbEvent event) {
    Set<SensorId> inspected = new HashSet<>();
    return StreamBatch.process(
        event,
        record -> {
          InspectPairs.Command command =
              command(StreamImages.oldImage(record), StreamImages.newImage(record));
          if (command != null
              && InspectPairs.shouldInspect(command.before(), command.after())
              && inspected.add(command.after().id())) {
            inspectPairs.handle(command);
          }
        });
  }

  /** The record's two images as the use case's command; null when the device was deleted. */
  static InspectPairs.Command command(
      Map<String, AttributeValue> oldImage, Map<String, AttributeValue> newImage) {
    if (newImage == null) {
      return null;
    }
    Device after = DeviceItems.fromItem(newImage);
    Device before = oldImage == null ? null : DeviceItems.fromItem(oldImage);
    return new InspectPairs.Command(before, after);
  }
}
