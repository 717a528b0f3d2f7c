package org.kloaka.core.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.kloaka.model.Filling;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemEvent;
import org.kloaka.model.ProblemEvent.Type;
import org.kloaka.model.ProblemStatus;
import org.kloaka.model.ProblemType;
import org.kloaka.model.SensorId;

/**
 * Test kit for the hot spots (docs/api.md): occurrences as a test caused or generated them, the
 * ranking they should give — computed here, by the documented definitions, without the server's
 * code — and the server's answer in the same shape for comparison.
 */
public final class FaultHistory {

  /**
   * One occurrence.
   *
   * @param activeSpans closed spans [from, to] of time active
   * @param activeSince when it last became active, if it still is; null otherwise
   * @param acknowledged null when never acknowledged
   * @param resolved null while unresolved
   */
  public record Occurrence(
      String pair,
      long opened,
      List<long[]> activeSpans,
      Long activeSince,
      Long acknowledged,
      Long resolved) {}

  private FaultHistory() {}

  /** The expected rows of {@code GET /insights/pairs} for the window {@code since..until}. */
  public static List<Map<String, Object>> ranking(
      List<Occurrence> occurrences, long since, long until) {
    Map<String, List<Occurrence>> byPair = new LinkedHashMap<>();
    for (Occurrence o : occurrences) {
      if (o.opened() >= since && o.opened() <= until) {
        byPair.computeIfAbsent(o.pair(), p -> new ArrayList<>()).add(o);
      }
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    byPair.forEach(
        (pair, list) -> {
          long openTotal = 0;
          long longest = 0;
          long activeTotal = 0;
          long last = 0;
          List<Long> acks = new ArrayList<>();
          List<Long> resolves = new ArrayList<>();
          for (Occurrence o : list) {
            long end = o.resolved() == null ? until : o.resolved();
            openTotal += end - o.opened();
            longest = Math.max(longest, end - o.opened());
            for (long[] span : o.activeSpans()) {
              activeTotal += span[1] - span[0];
            }
            if (o.activeSince() != null) {
              activeTotal += until - o.activeSince();
            }
            last = Math.max(last, o.opened());
            if (o.acknowledged() != null) {
              acks.add(o.acknowledged() - o.opened());
            }
            if (o.resolved() != null) {
              resolves.add(o.resolved() - o.opened());
            }
          }
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("problem_id", pair);
          row.put("occurrences", list.size());
          row.put("open_s", openTotal);
          row.put("longest_open_s", longest);
          row.put("active_s", activeTotal);
          row.put("median_ack_s", median(acks));
          row.put("median_resolve_s", median(resolves));
          row.put("last_problem_time", last);
          rows.add(row);
        });
    rows.sort(
        Comparator.<Map<String, Object>>comparingInt(r -> -(Integer) r.get("occurrences"))
            .thenComparingLong(r -> -(Long) r.get("open_s"))
            .thenComparing(r -> (String) r.get("problem_id")));
    return rows;
  }

  static Long median(List<Long> values) {
    if (values.isEmpty()) {
      return null;
    }
    List<Long> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** The server's {@code pairs} in the shape of {@link #ranking}. */
  public static List<Map<String, Object>> rows(JsonNode pairs) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (JsonNode p : pairs) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("problem_id", p.path("problem_id").asText());
      row.put("occurrences", p.path("occurrences").asInt());
      row.put("open_s", p.path("open_s").asLong());
      row.put("longest_open_s", p.path("longest_open_s").asLong());
      row.put("active_s", p.path("active_s").asLong());
      row.put("median_ack_s", nullableLong(p.path("median_ack_s")));
      row.put("median_resolve_s", nullableLong(p.path("median_resolve_s")));
      row.put("last_problem_time", p.path("last_problem_time").asLong());
      rows.add(row);
    }
    return rows;
  }

  private static Long nullableLong(JsonNode value) {
    return value.isNull() || value.isMissingNode() ? null : value.asLong();
  }

  /** Generated occurrences and the timeline events a store would hold for them. */
  public record Generated(List<Occurrence> occurrences, List<ProblemEvent> events) {}

  /**
   * Faults on {@code tubes} independent two-sensor tubes (sensor 1 → sensor 2 of tubes 1..n) from
   * {@code start} to {@code end}: each tube's occurrences follow each other after a random gap
   * around {@code meanGap} seconds; each may go inactive and active again, is acknowledged and
   * resolved, except the last ones, which may still be open at {@code end}.
   */
  public static Generated generate(long seed, int tubes, long start, long end, long meanGap) {
    Random random = new Random(seed);
    List<Occurrence> occurrences = new ArrayList<>();
    List<ProblemEvent> events = new ArrayList<>();
    for (int tube = 1; tube <= tubes; tube++) {
      String pair = Problem.idOf(new SensorId(tube, 1), new SensorId(tube, 2));
      // Some pipes are much worse than others.
      long gap = Math.max(600, meanGap / (1 + random.nextInt(4)));
      long t = start + (long) (random.nextDouble() * gap);
      while (t < end) {
        long opened = t;
        ProblemType type = random.nextBoolean() ? ProblemType.OBSTRUCTION : ProblemType.PROBLEM;
        events.add(new ProblemEvent(pair, Type.OPENED, opened, null, null, opened, type));
        List<long[]> spans = new ArrayList<>();
        long activeFrom = opened;
        long now = opened;
        boolean active = true;
        for (int flips = random.nextInt(4); flips > 0; flips--) {
          long next = now + 60 + random.nextInt(7200);
          if (next >= end) {
            break;
          }
          now = next;
          events.add(
              new ProblemEvent(
                  pair, active ? Type.INACTIVE : Type.ACTIVE, now, null, null, opened, type));
          if (active) {
            spans.add(new long[] {activeFrom, now});
          } else {
            activeFrom = now;
          }
          active = !active;
        }
        long ack = now + 30 + random.nextInt(3600);
        long resolved = ack + random.nextInt(6 * 3600);
        boolean done = resolved < end && random.nextInt(10) > 0;
        Long acknowledged = null;
        if (ack < end && (done || random.nextBoolean())) {
          acknowledged = ack;
          events.add(new ProblemEvent(pair, Type.ACKNOWLEDGED, ack, "crew", null, opened, type));
        }
        if (done) {
          if (active) {
            spans.add(new long[] {activeFrom, resolved});
          }
          events.add(
              new ProblemEvent(pair, Type.RESOLVED, resolved, "crew", "cleared", opened, type));
          occurrences.add(new Occurrence(pair, opened, spans, null, acknowledged, resolved));
          t = resolved + 1 + (long) (random.nextDouble() * 2 * gap);
        } else {
          occurrences.add(
              new Occurrence(pair, opened, spans, active ? activeFrom : null, acknowledged, null));
          break;
        }
      }
    }
    return new Generated(occurrences, events);
  }

  /**
   * The latest occurrence of each pair as its problem record (values 100 over 0, no
   * acknowledgement).
   */
  public static List<Problem> records(List<Occurrence> occurrences) {
    Map<String, Occurrence> latest = new LinkedHashMap<>();
    occurrences.forEach(o -> latest.merge(o.pair(), o, (a, b) -> b.opened() > a.opened() ? b : a));
    List<Problem> records = new ArrayList<>();
    for (Occurrence o : latest.values()) {
      int tube =
          Integer.parseInt(
              o.pair().substring(0, o.pair().indexOf('-') < 0 ? 1 : o.pair().indexOf('-')));
      records.add(
          new Problem(
              o.pair(),
              ProblemType.OBSTRUCTION,
              o.opened(),
              o.resolved() == null ? ProblemStatus.UNRESOLVED : ProblemStatus.RESOLVED,
              new SensorId(tube, 1),
              new SensorId(tube, 2),
              Filling.of(100),
              Filling.of(0),
              o.activeSince() != null,
              o.opened(),
              o.resolved(),
              o.resolved() == null ? null : "crew",
              null));
    }
    return records;
  }
}
