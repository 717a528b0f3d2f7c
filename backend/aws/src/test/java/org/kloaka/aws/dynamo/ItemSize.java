package org.kloaka.aws.dynamo;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An item's size as DynamoDB bills it (its documented rules): names and string values count their
 * UTF-8 bytes; a number about one byte per two significant digits plus one; a boolean or null one
 * byte; a list or map 3 bytes plus 1 byte per element plus its contents. Write units are whole KB.
 */
final class ItemSize {

  private ItemSize() {}

  static int of(Map<String, AttributeValue> item) {
    int size = 0;
    for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
      size += utf8(attribute.getKey()) + of(attribute.getValue());
    }
    return size;
  }

  /** Write units for an UpdateItem/PutItem of this item: one per started KB. */
  static int writeUnits(int bytes) {
    return Math.max(1, (bytes + 1023) / 1024);
  }

  private static int of(AttributeValue value) {
    if (value.s() != null) {
      return utf8(value.s());
    }
    if (value.n() != null) {
      return number(value.n());
    }
    if (value.bool() != null || Boolean.TRUE.equals(value.nul())) {
      return 1;
    }
    if (value.hasL()) {
      int size = 3;
      for (AttributeValue element : value.l()) {
        size += 1 + of(element);
      }
      return size;
    }
    if (value.hasM()) {
      int size = 3;
      for (Map.Entry<String, AttributeValue> entry : value.m().entrySet()) {
        size += 1 + utf8(entry.getKey()) + of(entry.getValue());
      }
      return size;
    }
    throw new IllegalArgumentException("no size rule for " + value);
  }

  private static int number(String text) {
    BigDecimal number = new BigDecimal(text).stripTrailingZeros();
    int digits = number.signum() == 0 ? 1 : number.precision();
    return (digits + 1) / 2 + 1;
  }

  private static int utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }
}
