package org.kloaka.aws.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kloaka.api.Json;
import org.kloaka.aws.moto.StreamTap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Stream images as Lambda delivers them (JSON through the runtime's deserializer) → SDK values. */
class StreamImagesTest {

  @Test
  void everyAttributeTypeSurvivesTheConversion() throws Exception {
    String event =
        """
        {"Records": [{"eventID": "1", "eventName": "MODIFY", "eventVersion": "1.1",
          "eventSource": "aws:dynamodb", "awsRegion": "eu-south-1",
          "eventSourceARN": "arn:aws:dynamodb:eu-south-1:123456789012:table/kloaka-prod-devices/stream/2026-11-28T00:00:00.000",
          "dynamodb": {"ApproximateCreationDateTime": 1795860000, "Keys": {"id": {"S": "01"}},
            "NewImage": {"s": {"S": "x"}, "n": {"N": "62.5"}, "b": {"B": "AQI="}, "t": {"BOOL": true},
              "z": {"NULL": true}, "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2"]},
              "l": {"L": [{"M": {"filling": {"S": "100"}, "dt": {"N": "1795860000"}}}]}},
            "SequenceNumber": "42", "SizeBytes": 100, "StreamViewType": "NEW_AND_OLD_IMAGES"}}]}
        """;
    DynamodbEvent parsed = StreamTap.toEvent(Json.newMapper().readTree(event));
    DynamodbStreamRecord record = parsed.getRecords().get(0);

    Map<String, AttributeValue> image = StreamImages.newImage(record);

    assertThat(image.get("s").s()).isEqualTo("x");
    assertThat(image.get("n").n()).isEqualTo("62.5");
    assertThat(image.get("b").b()).isEqualTo(SdkBytes.fromByteArray(new byte[] {1, 2}));
    assertThat(image.get("t").bool()).isTrue();
    assertThat(image.get("z").nul()).isTrue();
    assertThat(image.get("ss").ss()).containsExactly("a", "b");
    assertThat(image.get("ns").ns()).containsExactly("1", "2");
    assertThat(image.get("l").l()).hasSize(1);
    assertThat(image.get("l").l().get(0).m().get("dt").n()).isEqualTo("1795860000");
    assertThat(StreamImages.oldImage(record)).isNull();
    assertThat(StreamImages.tableOf(record)).isEqualTo("kloaka-prod-devices");
  }

  @Test
  void aRecordWithoutSourceNamesNoTable() {
    DynamodbStreamRecord record = new DynamodbStreamRecord();
    assertThat(StreamImages.tableOf(record)).isNull();
    record.setEventSourceARN("arn:aws:sqs:eu-south-1:123456789012:queue");
    assertThat(StreamImages.tableOf(record)).isNull();
  }
}
