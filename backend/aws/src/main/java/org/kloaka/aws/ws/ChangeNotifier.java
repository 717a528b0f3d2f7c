package org.kloaka.aws.ws;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kloaka.api.Push;
import org.kloaka.aws.dynamo.DeviceItems;
import org.kloaka.aws.dynamo.ProblemItems;
import org.kloaka.aws.stream.StreamBatch;
import org.kloaka.aws.stream.StreamImages;
import org.kloaka.core.DeviceRules.DeviceChange;
import org.kloaka.core.ProblemLifecycle;
import org.kloaka.model.Device;
import org.kloaka.model.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Turns the problems- and devices-table streams into the WebSocket frames of CONTRACT §5, with the
 * core's rules: a problem change is pushed when {@link ProblemLifecycle#worthPushing} says so (a
 * redelivered or {@code last_seen}-only change is not), a device change when its {@code
 * last_value}/{@code last_update} moved.
 *
 * <p>The whole batch is decoded before anything is sent; a record that cannot be decoded is
 * reported with all after it, and only the frames before it go out. So a retried batch never
 * resends a frame that already went out.
 */
public final class ChangeNotifier {

  private static final Logger LOG = LoggerFactory.getLogger(ChangeNotifier.class);

  private final Pusher pusher;
  private final String devicesTable;
  private final String problemsTable;

  public ChangeNotifier(Pusher pusher, String devicesTable, String problemsTable) {
    this.pusher = pusher;
    this.devicesTable = devicesTable;
    this.problemsTable = problemsTable;
  }

  public StreamsEventResponse handle(DynamodbEvent event) {
    List<DynamodbStreamRecord> records =
        event == null || event.getRecords() == null ? List.of() : event.getRecords();
    List<Push> frames = new ArrayList<>();
    int decoded = 0;
    for (; decoded < records.size(); decoded++) {
      DynamodbStreamRecord record = records.get(decoded);
      try {
        Push frame = frameFor(record);
        if (frame != null) {
          frames.add(frame);
        }
      } catch (RuntimeException e) {
        LOG.error("stream record {} cannot be decoded", StreamBatch.sequenceNumber(record), e);
        break;
      }
    }
    try {
      Pusher.Delivery delivery = pusher.push(frames);
      LOG.info(
          "{} records, {} frames: {} sent, {} failed, {} connections gone",
          records.size(),
          frames.size(),
          delivery.sent(),
          delivery.failed(),
          delivery.gone().size());
    } catch (SdkException e) {
      LOG.error("cannot read the open connections; the batch will be retried", e);
      return StreamBatch.failedFrom(records, 0);
    }
    return StreamBatch.failedFrom(records, decoded);
  }

  /** The frame a record calls for, or null. */
  Push frameFor(DynamodbStreamRecord record) {
    Map<String, AttributeValue> newImage = StreamImages.newImage(record);
    if (newImage == null) {
      return null; // a REMOVE: nothing for consoles
    }
    Map<String, AttributeValue> oldImage = StreamImages.oldImage(record);
    String table = StreamImages.tableOf(record);
    if (problemsTable.equals(table)) {
      Problem after = ProblemItems.fromItem(newImage);
      Problem before = oldImage == null ? null : ProblemItems.fromItem(oldImage);
      return ProblemLifecycle.worthPushing(before, after) ? new Push.ProblemPush(after) : null;
    }
    if (devicesTable.equals(table)) {
      Device after = DeviceItems.fromItem(newImage);
      Device before = oldImage == null ? null : DeviceItems.fromItem(oldImage);
      if (!new DeviceChange(before, after, true).lastChanged()) {
        return null;
      }
      return new Push.DevicePush(
          new Push.DeviceState(after.id(), after.lastValue(), after.lastUpdate()));
    }
    throw new IllegalArgumentException(
        "stream record from table '"
            + table
            + "' ("
            + record.getEventSourceARN()
            + "); expected "
            + devicesTable
            + " or "
            + problemsTable);
  }
}
