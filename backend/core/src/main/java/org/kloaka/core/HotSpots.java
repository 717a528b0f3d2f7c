package org.kloaka.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kloaka.core.port.TimelineStore;
import org.kloaka.model.ProblemEvent;
import org.kloaka.model.ProblemType;

/**
 * The hot-spot ranking of docs/api.md ("Hot spots") from timeline events alone, so it cannot drift
 * from what happened: the occurrences of each pair that opened in a window, how long each stayed
 * unresolved and active, how fast it was acknowledged and resolved. See
 * docs/decisions/030-insights-and-exports.md for why these definitions.
 */
public final class HotSpots {

  /** One pair's figures; the medians are null when no occurrence was acknowledged / resolved. */
  public record Figures(
      String problemId,
      ProblemType problem,
      int occurrences,
      long openS,
      long longestOpenS,
      long activeS,
      Long medianAckS,
      Long medianResolveS,
      long lastProblemTime) {}

  /** Worst first: more occurrences, then longer open in all, then the pair's id. */
  public static final Comparator<Figures> WORST_FIRST =
      Comparator.comparingInt(Figures::occurrences)
          .reversed()
          .thenComparing(Comparator.comparingLong(Figures::openS).reversed())
          .thenComparing(Figures::problemId);

  private HotSpots() {}

  /**
   * Ranks the pairs whose occurrences opened in {@code since..until}.
   *
   * @param events every event with {@code since <= time <= until}, any order; events of occurrences
   *     that opened before {@code since} are ignored (they are not this window's)
   */
  public static List<Figures> rank(List<ProblemEvent> events, long since, long until) {
    Map<String, Map<Long, List<ProblemEvent>>> byPair = new HashMap<>();
    for (ProblemEvent e : events) {
      if (e.problemTime() >= since && e.problemTime() <= until && e.time() <= until) {
        byPair
            .computeIfAbsent(e.problemId(), id -> new HashMap<>())
            .computeIfAbsent(e.problemTime(), t -> new ArrayList<>())
            .add(e);
      }
    }
    List<Figures> ranked = new ArrayList<>();
    byPair.forEach((id, occurrences) -> ranked.add(figures(id, occurrences, until)));
    ranked.sort(WORST_FIRST);
    return ranked;
  }

  private static Figures figures(String id, Map<Long, List<ProblemEvent>> occurrences, long until) {
    long open = 0;
    long longest = 0;
    long active = 0;
    long last = Long.MIN_VALUE;
    ProblemEvent latest = null;
    List<Long> acks = new ArrayList<>();
    List<Long> resolves = new ArrayList<>();
    for (Map.Entry<Long, List<ProblemEvent>> occurrence : occurrences.entrySet()) {
      Occurrence o = Occurrence.of(occurrence.getKey(), occurrence.getValue(), until);
      open += o.openS;
      longest = Math.max(longest, o.openS);
      active += o.activeS;
      last = Math.max(last, occurrence.getKey());
      if (o.ackS != null) {
        acks.add(o.ackS);
      }
      if (o.resolveS != null) {
        resolves.add(o.resolveS);
      }
      if (latest == null || TimelineStore.ORDER.compare(o.latest, latest) > 0) {
        latest = o.latest;
      }
    }
    return new Figures(
        id,
        latest.problem(),
        occurrences.size(),
        open,
        longest,
        active,
        median(acks),
        median(resolves),
        last);
  }

  /** One occurrence's figures, replayed from its events in timeline order. */
  private record Occurrence(
      long openS, long activeS, Long ackS, Long resolveS, ProblemEvent latest) {

    static Occurrence of(long opened, List<ProblemEvent> events, long until) {
      List<ProblemEvent> ordered = new ArrayList<>(events);
      ordered.sort(TimelineStore.ORDER);
      boolean active = true;
      long activeSince = opened;
      long activeS = 0;
      Long ackAt = null;
      Long resolvedAt = null;
      for (ProblemEvent e : ordered) {
        if (resolvedAt != null) {
          break;
        }
        switch (e.type()) {
          case INACTIVE -> {
            if (active) {
              activeS += e.time() - activeSince;
              active = false;
            }
          }
          case ACTIVE -> {
            if (!active) {
              activeSince = e.time();
              active = true;
            }
          }
          case ACKNOWLEDGED -> ackAt = ackAt == null ? e.time() : ackAt;
          case RESOLVED -> {
            resolvedAt = e.time();
            // Resolving acknowledges an unacknowledged problem too.
            ackAt = ackAt == null ? e.time() : ackAt;
          }
          default -> {
            // opened, changed, comment, notified, notify_failed: no change of state
          }
        }
      }
      long end = resolvedAt == null ? until : resolvedAt;
      if (active) {
        activeS += Math.max(0, end - activeSince);
      }
      return new Occurrence(
          Math.max(0, end - opened),
          activeS,
          ackAt == null ? null : ackAt - opened,
          resolvedAt == null ? null : resolvedAt - opened,
          ordered.get(ordered.size() - 1));
    }
  }

  /**
   * The median in whole seconds: the middle value, or the mean of the two middle ones, rounded
   * down.
   */
  static Long median(List<Long> values) {
    if (values.isEmpty()) {
      return null;
    }
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1
        ? sorted.get(n / 2)
        : Math.floorDiv(sorted.get(n / 2 - 1) + sorted.get(n / 2), 2);
  }
}
