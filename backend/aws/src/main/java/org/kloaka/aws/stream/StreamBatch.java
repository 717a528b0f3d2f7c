package org.kloaka.aws.stream;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse.BatchItemFailure;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Processes a stream batch record by record and answers with ReportBatchItemFailures.
 *
 * <p>At the first record that fails, processing stops and that record and every one after it are
 * reported: Lambda resumes from the lowest reported sequence number anyway, so going on would only
 * do the later records twice (twice the pushes, for the notifier).
 */
public final class StreamBatch {

  private static final Logger LOG = LoggerFactory.getLogger(StreamBatch.class);

  /** What to do with one record; throws to fail it. */
  @FunctionalInterface
  public interface RecordStep {
    void process(DynamodbStreamRecord record) throws Exception;
  }

  private StreamBatch() {}

  public static StreamsEventResponse process(DynamodbEvent event, RecordStep step) {
    List<DynamodbStreamRecord> records =
        event == null || event.getRecords() == null ? List.of() : event.getRecords();
    for (int i = 0; i < records.size(); i++) {
      DynamodbStreamRecord record = records.get(i);
      try {
        step.process(record);
      } catch (Exception e) {
        LOG.error(
            "stream record {} ({} of {}) failed; reporting it and the {} after it for retry",
            sequenceNumber(record),
            i + 1,
            records.size(),
            records.size() - i - 1,
            e);
        return failedFrom(records, i);
      }
    }
    return new StreamsEventResponse(new ArrayList<>());
  }

  /** Every record from {@code first} on, as batch item failures. */
  public static StreamsEventResponse failedFrom(List<DynamodbStreamRecord> records, int first) {
    List<BatchItemFailure> failures = new ArrayList<>();
    for (int j = first; j < records.size(); j++) {
      failures.add(new BatchItemFailure(sequenceNumber(records.get(j))));
    }
    return new StreamsEventResponse(failures);
  }

  public static String sequenceNumber(DynamodbStreamRecord record) {
    return record.getDynamodb() == null ? null : record.getDynamodb().getSequenceNumber();
  }
}
