package org.kloaka.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.kloaka.api.NotificationAnswers.Entry;
import org.kloaka.model.Device;
import org.kloaka.model.Measurement;
import org.kloaka.model.PairInsights;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemEvent;
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

  /** A problem's row; {@code timeline} holds its current occurrence's events, one per line. */
  static List<Column<Problem>> problems(Map<String, List<ProblemEvent>> timelines) {
    return List.of(
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
        new Column<>("note", Problem::note),
        new Column<>("acknowledged_time", Problem::acknowledgedTime),
        new Column<>("acknowledged_by", Problem::acknowledgedBy),
        new Column<>(
            "timeline", p -> timelineText(timelines.getOrDefault(p.problemId(), List.of()))));
  }

  /**
   * One line per event: {@code 2026-11-28T14:05:00Z acknowledged by maria: crew on the way}, the
   * type of the problem after {@code opened} and {@code changed}.
   */
  static String timelineText(List<ProblemEvent> events) {
    StringBuilder text = new StringBuilder();
    for (ProblemEvent e : events) {
      if (text.length() > 0) {
        text.append('\n');
      }
      text.append(Instant.ofEpochSecond(e.time())).append(' ').append(e.type().wire());
      boolean typed = e.type() == ProblemEvent.Type.OPENED || e.type() == ProblemEvent.Type.CHANGED;
      if (typed && e.problem() != null) {
        text.append(' ').append(e.problem());
      }
      if (e.by() != null) {
        text.append(" by ").append(e.by());
      }
      if (e.note() != null) {
        text.append(": ").append(e.note());
      }
    }
    return text.toString();
  }

  /** Timeline events: a shift's handover, a pair's history. */
  static final List<Column<ProblemEvent>> EVENTS =
      List.of(
          new Column<>("problem_id", ProblemEvent::problemId),
          new Column<>("type", e -> e.type().wire()),
          new Column<>("time", ProblemEvent::time),
          new Column<>("by", ProblemEvent::by),
          new Column<>("note", ProblemEvent::note),
          new Column<>("problem_time", ProblemEvent::problemTime),
          new Column<>("problem", ProblemEvent::problem));

  /** Hot spots: {@code names} spread into {@code names_upstream} and {@code names_downstream}. */
  static final List<Column<PairInsights.Row>> PAIRS =
      List.of(
          new Column<>("problem_id", PairInsights.Row::problemId),
          new Column<>("problem", PairInsights.Row::problem),
          new Column<>("upstream_id", PairInsights.Row::upstreamId),
          new Column<>("downstream_id", PairInsights.Row::downstreamId),
          new Column<>("names_upstream", r -> r.names().upstream()),
          new Column<>("names_downstream", r -> r.names().downstream()),
          new Column<>("occurrences", PairInsights.Row::occurrences),
          new Column<>("open_s", PairInsights.Row::openS),
          new Column<>("longest_open_s", PairInsights.Row::longestOpenS),
          new Column<>("active_s", PairInsights.Row::activeS),
          new Column<>("median_ack_s", PairInsights.Row::medianAckS),
          new Column<>("median_resolve_s", PairInsights.Row::medianResolveS),
          new Column<>("last_problem_time", PairInsights.Row::lastProblemTime));

  /** {@code GET /notifications}: the JSON entry's fields, in its order. */
  static final List<Column<Entry>> NOTIFICATIONS =
      List.of(
          new Column<>("problem_id", Entry::problemId),
          new Column<>("problem_time", Entry::problemTime),
          new Column<>("event", Entry::event),
          new Column<>("step", Entry::step),
          new Column<>("channel", Entry::channel),
          new Column<>("state", Entry::state),
          new Column<>("due", Entry::due),
          new Column<>("attempts", Entry::attempts),
          new Column<>("time", Entry::time),
          new Column<>("error", Entry::error));

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
