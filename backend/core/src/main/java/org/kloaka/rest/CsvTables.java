package org.kloaka.rest;

import java.util.List;
import org.kloaka.model.Device;
import org.kloaka.model.Measurement;
import org.kloaka.model.Problem;
import org.kloaka.model.Reject;
import org.kloaka.model.SensorId;
import org.kloaka.rest.Csv.Column;

/**
 * The columns of each CSV export (docs/api.md, "CSV"): the JSON fields of a row, in the JSON order,
 * under their JSON names; a nested object is spread into {@code parent_field} columns.
 */
final class CsvTables {

  private CsvTables() {}

  static final List<Column<Device>> DEVICES =
      List.of(
          new Column<>("id", Device::id),
          new Column<>("last_value", Device::lastValue),
          new Column<>("last_update", Device::lastUpdate),
          new Column<>("signal_rssi", d -> d.signal() == null ? null : d.signal().rssi()),
          new Column<>("signal_snr", d -> d.signal() == null ? null : d.signal().snr()),
          new Column<>(
              "signal_gateway_id", d -> d.signal() == null ? null : d.signal().gatewayId()),
          new Column<>("dev_eui", Device::devEui),
          new Column<>("battery", Device::battery),
          new Column<>("f_cnt", Device::fCnt));

  static final List<Column<Problem>> PROBLEMS =
      List.of(
          new Column<>("problem_id", Problem::problemId),
          new Column<>("problem", Problem::problem),
          new Column<>("problem_time", Problem::problemTime),
          new Column<>("problem_status", Problem::problemStatus),
          new Column<>("upstream_id", Problem::upstreamId),
          new Column<>("downstream_id", Problem::downstreamId),
          new Column<>("upstream_value", Problem::upstreamValue),
          new Column<>("downstream_value", Problem::downstreamValue),
          new Column<>("active", Problem::active),
          new Column<>("last_seen", Problem::lastSeen),
          new Column<>("resolved_time", Problem::resolvedTime),
          new Column<>("resolved_by", Problem::resolvedBy),
          new Column<>("note", Problem::note));

  static final List<Column<Reject>> REJECTS =
      List.of(
          new Column<>("reason", Reject::reason),
          new Column<>("received", Reject::received),
          new Column<>("payload", Reject::payload));

  /**
   * A sensor's history: the sensor's id on every row, so exports of several sensors concatenate.
   */
  static List<Column<Measurement>> measurements(SensorId id) {
    return List.of(
        new Column<>("id", m -> id),
        new Column<>("filling", Measurement::filling),
        new Column<>("dt", Measurement::dt));
  }
}
