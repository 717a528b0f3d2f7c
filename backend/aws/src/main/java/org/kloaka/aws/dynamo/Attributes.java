package org.kloaka.aws.dynamo;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Small helpers to build and read DynamoDB attribute values without repeating the builders. */
final class Attributes {

  private static final AttributeValue NULL = AttributeValue.builder().nul(true).build();

  private Attributes() {}

  static AttributeValue s(String value) {
    return AttributeValue.builder().s(value).build();
  }

  static AttributeValue n(long value) {
    return AttributeValue.builder().n(Long.toString(value)).build();
  }

  static AttributeValue n(double value) {
    return AttributeValue.builder().n(Double.toString(value)).build();
  }

  static AttributeValue bool(boolean value) {
    return AttributeValue.builder().bool(value).build();
  }

  /** A string, or DynamoDB's NULL when {@code value} is null (the seed writes JSON nulls). */
  static AttributeValue sOrNull(String value) {
    return value == null ? NULL : s(value);
  }

  static AttributeValue nOrNull(Long value) {
    return value == null ? NULL : n(value);
  }

  /**
   * The string attribute {@code name}.
   *
   * @throws IllegalStateException when it is missing: a stored item that lacks a required field is
   *     corrupt, not an input error
   */
  static String string(Map<String, AttributeValue> item, String name) {
    String value = optionalString(item, name);
    if (value == null) {
      throw new IllegalStateException("item has no string attribute '" + name + "': " + item);
    }
    return value;
  }

  static String optionalString(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null ? null : value.s();
  }

  static long number(Map<String, AttributeValue> item, String name) {
    Long value = optionalNumber(item, name);
    if (value == null) {
      throw new IllegalStateException("item has no number attribute '" + name + "': " + item);
    }
    return value;
  }

  static Long optionalNumber(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null || value.n() == null ? null : Long.parseLong(value.n());
  }

  static Double optionalDouble(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value == null || value.n() == null ? null : Double.parseDouble(value.n());
  }

  static boolean flag(Map<String, AttributeValue> item, String name) {
    AttributeValue value = item.get(name);
    return value != null && Boolean.TRUE.equals(value.bool());
  }
}
