package org.kloaka.aws.stream;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Turns the images of a Lambda stream event (the events library's own attribute type) into the
 * SDK's attribute values, so one codec reads table items and stream images alike.
 */
public final class StreamImages {

  private StreamImages() {}

  /** The record's NEW image, or null (a REMOVE, or a stream without new images). */
  public static Map<String, AttributeValue> newImage(DynamodbStreamRecord record) {
    return record.getDynamodb() == null ? null : convert(record.getDynamodb().getNewImage());
  }

  /** The record's OLD image, or null (an INSERT). */
  public static Map<String, AttributeValue> oldImage(DynamodbStreamRecord record) {
    return record.getDynamodb() == null ? null : convert(record.getDynamodb().getOldImage());
  }

  /**
   * The table a record comes from, read from its event source ARN ({@code …:table/NAME/stream/…}).
   */
  public static String tableOf(DynamodbStreamRecord record) {
    String arn = record.getEventSourceARN();
    if (arn == null) {
      return null;
    }
    int start = arn.indexOf(":table/");
    if (start < 0) {
      return null;
    }
    start += ":table/".length();
    int end = arn.indexOf('/', start);
    return end < 0 ? arn.substring(start) : arn.substring(start, end);
  }

  static Map<String, AttributeValue> convert(
      Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue>
          image) {
    if (image == null || image.isEmpty()) {
      return null;
    }
    Map<String, AttributeValue> converted = new LinkedHashMap<>();
    image.forEach((name, value) -> converted.put(name, convert(value)));
    return converted;
  }

  static AttributeValue convert(
      com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue value) {
    AttributeValue.Builder out = AttributeValue.builder();
    if (value.getS() != null) {
      return out.s(value.getS()).build();
    }
    if (value.getN() != null) {
      return out.n(value.getN()).build();
    }
    if (value.getBOOL() != null) {
      return out.bool(value.getBOOL()).build();
    }
    if (Boolean.TRUE.equals(value.getNULL())) {
      return out.nul(true).build();
    }
    if (value.getM() != null) {
      Map<String, AttributeValue> map = new LinkedHashMap<>();
      value.getM().forEach((k, v) -> map.put(k, convert(v)));
      return out.m(map).build();
    }
    if (value.getL() != null) {
      List<AttributeValue> list = new ArrayList<>(value.getL().size());
      value.getL().forEach(v -> list.add(convert(v)));
      return out.l(list).build();
    }
    if (value.getB() != null) {
      return out.b(bytes(value.getB())).build();
    }
    if (value.getSS() != null) {
      return out.ss(value.getSS()).build();
    }
    if (value.getNS() != null) {
      return out.ns(value.getNS()).build();
    }
    if (value.getBS() != null) {
      return out.bs(value.getBS().stream().map(StreamImages::bytes).toList()).build();
    }
    throw new IllegalArgumentException(
        "stream image holds an attribute of no known type: " + value);
  }

  private static SdkBytes bytes(ByteBuffer buffer) {
    return SdkBytes.fromByteBuffer(buffer.asReadOnlyBuffer());
  }
}
