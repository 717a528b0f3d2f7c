package org.kloaka.aws.dynamo;

import static org.kloaka.aws.dynamo.Attributes.bool;
import static org.kloaka.aws.dynamo.Attributes.n;
import static org.kloaka.aws.dynamo.Attributes.nOrNull;
import static org.kloaka.aws.dynamo.Attributes.s;
import static org.kloaka.aws.dynamo.Attributes.sOrNull;

import java.util.HashMap;
import java.util.Map;
import org.kloaka.model.Filling;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemStatus;
import org.kloaka.model.ProblemType;
import org.kloaka.model.SensorId;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A problem as a DynamoDB item, with the seed's field names (null fields as DynamoDB NULL) plus the
 * {@code version} that conditional writes check.
 */
public final class ProblemItems {

  static final String PROBLEM_ID = "problem_id";
  static final String STATUS = "problem_status";
  static final String VERSION = "version";

  private ProblemItems() {}

  public static Map<String, AttributeValue> toItem(Problem p, long version) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(PROBLEM_ID, s(p.problemId()));
    item.put("problem", s(p.problem().name()));
    item.put("problem_time", n(p.problemTime()));
    item.put(STATUS, s(p.problemStatus().name()));
    item.put("upstream_id", s(p.upstreamId().toString()));
    item.put("downstream_id", s(p.downstreamId().toString()));
    item.put(
        "upstream_value", sOrNull(p.upstreamValue() == null ? null : p.upstreamValue().toString()));
    item.put(
        "downstream_value",
        sOrNull(p.downstreamValue() == null ? null : p.downstreamValue().toString()));
    item.put("active", bool(p.active()));
    item.put("last_seen", n(p.lastSeen()));
    item.put("resolved_time", nOrNull(p.resolvedTime()));
    item.put("resolved_by", sOrNull(p.resolvedBy()));
    item.put("note", sOrNull(p.note()));
    item.put("acknowledged_time", nOrNull(p.acknowledgedTime()));
    item.put("acknowledged_by", sOrNull(p.acknowledgedBy()));
    item.put(VERSION, n(version));
    return item;
  }

  /**
   * @throws IllegalStateException when the item is not a problem item
   */
  public static Problem fromItem(Map<String, AttributeValue> item) {
    String upstreamValue = Attributes.optionalString(item, "upstream_value");
    String downstreamValue = Attributes.optionalString(item, "downstream_value");
    return new Problem(
        Attributes.string(item, PROBLEM_ID),
        ProblemType.valueOf(Attributes.string(item, "problem")),
        Attributes.number(item, "problem_time"),
        ProblemStatus.valueOf(Attributes.string(item, STATUS)),
        SensorId.parse(Attributes.string(item, "upstream_id")),
        SensorId.parse(Attributes.string(item, "downstream_id")),
        upstreamValue == null ? null : Filling.parse(upstreamValue),
        downstreamValue == null ? null : Filling.parse(downstreamValue),
        Attributes.flag(item, "active"),
        Attributes.number(item, "last_seen"),
        Attributes.optionalNumber(item, "resolved_time"),
        Attributes.optionalString(item, "resolved_by"),
        Attributes.optionalString(item, "note"),
        Attributes.optionalNumber(item, "acknowledged_time"),
        Attributes.optionalString(item, "acknowledged_by"));
  }

  public static long version(Map<String, AttributeValue> item) {
    Long version = Attributes.optionalNumber(item, VERSION);
    return version == null ? 0 : version;
  }
}
