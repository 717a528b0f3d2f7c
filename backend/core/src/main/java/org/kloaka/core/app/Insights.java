package org.kloaka.core.app;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.kloaka.core.HotSpots;
import org.kloaka.core.network.Network;
import org.kloaka.core.port.ProblemStore;
import org.kloaka.core.port.Stored;
import org.kloaka.core.port.TimelineStore;
import org.kloaka.model.PairInsights;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemEvent;
import org.kloaka.model.SensorId;
import org.kloaka.network.NetworkDescription;

/**
 * Use cases that read the stored timeline (docs/api.md, "Hot spots", "Shift", "CSV"): the pairs
 * that fault again and again, what happened during a shift, and each listed problem's timeline for
 * the CSV export. Read only; every answer comes from the events as stored, never from counters.
 *
 * <p>Each reads the timeline by time (one range of the store's time index), never every pair's
 * history: docs/decisions/030-insights-and-exports.md has the read costs.
 */
public final class Insights {

  public static final int DEFAULT_DAYS = 30;
  public static final int MAX_DAYS = 365;
  public static final long DAY_S = 86_400;

  /** The longest span a shift report covers. */
  public static final long MAX_SPAN_S = MAX_DAYS * DAY_S;

  /** A shift report without {@code since} covers the last 12 hours before {@code until}. */
  public static final long DEFAULT_SHIFT_S = 12 * 3600;

  public static final int DEFAULT_EVENTS = 10_000;
  public static final int MAX_EVENTS = 10_000;

  /** What a shift report lists unless asked for other types. */
  public static final Set<ProblemEvent.Type> HANDOVER =
      EnumSet.of(
          ProblemEvent.Type.OPENED,
          ProblemEvent.Type.ACKNOWLEDGED,
          ProblemEvent.Type.COMMENT,
          ProblemEvent.Type.RESOLVED);

  /** Up to this many listed problems, their timelines are read pair by pair; above, by time. */
  static final int PER_PAIR_READS = 50;

  static final int PAGE = 10_000;

  /** A window the caller asked for that cannot be answered; the message says why. */
  public static final class BadWindow extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    BadWindow(String message) {
      super(message);
    }
  }

  private final TimelineStore timeline;
  private final ProblemStore problems;
  private final Network network;
  private final Clock clock;
  private final Map<SensorId, String> names = new HashMap<>();

  public Insights(TimelineStore timeline, ProblemStore problems, Network network, Clock clock) {
    this.timeline = timeline;
    this.problems = problems;
    this.network = network;
    this.clock = clock;
    network
        .file()
        .map(NetworkDescription::tubes)
        .ifPresent(
            tubes ->
                tubes.forEach(
                    tube ->
                        tube.sensors()
                            .forEach(
                                s ->
                                    SensorId.tryParse(s.id())
                                        .ifPresent(id -> names.put(id, s.name())))));
  }

  /**
   * The pairs (and silent sensors) with occurrences that opened in the last {@code days} days,
   * worst first ({@link HotSpots#WORST_FIRST}).
   *
   * @throws BadWindow unless {@code 1 <= days <= 365}
   */
  public PairInsights pairs(int days) {
    if (days < 1 || days > MAX_DAYS) {
      throw new BadWindow("days must be from 1 to " + MAX_DAYS + ", was " + days);
    }
    long until = now();
    long since = until - days * DAY_S;
    List<ProblemEvent> events = new ArrayList<>();
    readBetween(since, until, e -> e.problemTime() >= since, Integer.MAX_VALUE, events);
    List<PairInsights.Row> rows = new ArrayList<>();
    for (HotSpots.Figures f : HotSpots.rank(events, since, until)) {
      SensorId[] ids = idsOf(f);
      rows.add(
          new PairInsights.Row(
              f.problemId(),
              f.problem(),
              ids[0],
              ids[1],
              new PairInsights.Names(nameOf(ids[0]), nameOf(ids[1])),
              f.occurrences(),
              f.openS(),
              f.longestOpenS(),
              f.activeS(),
              f.medianAckS(),
              f.medianResolveS(),
              f.lastProblemTime()));
    }
    return new PairInsights(rows, since, until);
  }

  /**
   * The events of every pair with {@code since <= time <= until} and one of {@code types}, oldest
   * first, at most {@code limit}: a shift's handover, each event naming its {@code problem_id}.
   *
   * @param since null: {@link #DEFAULT_SHIFT_S} before {@code until}
   * @param until null: now
   * @throws BadWindow when {@code until} is before {@code since} or the span is over 365 days
   */
  public List<ProblemEvent> shift(Long since, Long until, Set<ProblemEvent.Type> types, int limit) {
    long to = until == null ? now() : until;
    long from = since == null ? Math.max(0, to - DEFAULT_SHIFT_S) : since;
    if (to < from) {
      throw new BadWindow("until (" + to + ") is before since (" + from + ")");
    }
    if (to - from > MAX_SPAN_S) {
      throw new BadWindow(
          "the span from since ("
              + from
              + ") to until ("
              + to
              + ") is over "
              + MAX_DAYS
              + " days; ask for a shorter one");
    }
    List<ProblemEvent> events = new ArrayList<>();
    readBetween(from, to, e -> types.contains(e.type()), limit, events);
    return events;
  }

  /**
   * Each problem's current occurrence's events, oldest first, by {@code problem_id}, in the order
   * of {@code listed}.
   */
  public Map<String, List<ProblemEvent>> timelines(List<Problem> listed) {
    Map<String, List<ProblemEvent>> byId = new LinkedHashMap<>();
    listed.forEach(p -> byId.put(p.problemId(), new ArrayList<>()));
    if (listed.isEmpty()) {
      return byId;
    }
    Map<String, Long> occurrence = new HashMap<>();
    listed.forEach(p -> occurrence.put(p.problemId(), p.problemTime()));
    Predicate<ProblemEvent> current =
        e -> Long.valueOf(e.problemTime()).equals(occurrence.get(e.problemId()));
    if (listed.size() <= PER_PAIR_READS) {
      for (Problem p : listed) {
        timeline.history(p.problemId(), MAX_EVENTS).stream()
            .filter(current)
            .forEach(byId.get(p.problemId())::add);
      }
    } else {
      long oldest = listed.stream().mapToLong(Problem::problemTime).min().orElseThrow();
      List<ProblemEvent> events = new ArrayList<>();
      readBetween(oldest, Math.max(oldest, now()), current, Integer.MAX_VALUE, events);
      events.forEach(e -> byId.get(e.problemId()).add(e));
    }
    return byId;
  }

  /**
   * Adds the events with {@code since <= time <= until} that {@code keep} to {@code into}, oldest
   * first, until it holds {@code limit}; pages on from the last page's last second, skipping the
   * events of that second already read.
   */
  private void readBetween(
      long since,
      long until,
      Predicate<ProblemEvent> keep,
      int limit,
      Collection<ProblemEvent> into) {
    long from = since;
    // The keys of the events of the second 'from' already read: only those are computed.
    Set<String> seenAtFrom = Set.of();
    while (into.size() < limit) {
      List<ProblemEvent> page = timeline.between(from, until, PAGE);
      int fresh = 0;
      for (ProblemEvent e : page) {
        if (e.time() == from && !seenAtFrom.isEmpty() && seenAtFrom.contains(keyOf(e))) {
          continue;
        }
        fresh++;
        if (keep.test(e) && into.size() < limit) {
          into.add(e);
        }
      }
      if (page.size() < PAGE) {
        return;
      }
      if (fresh == 0) {
        throw new IllegalStateException(
            "more than " + PAGE + " timeline events in the second " + from + "; cannot page on");
      }
      long last = page.get(page.size() - 1).time();
      Set<String> atLast = new HashSet<>(last == from ? seenAtFrom : Set.of());
      for (int i = page.size() - 1; i >= 0 && page.get(i).time() == last; i--) {
        atLast.add(keyOf(page.get(i)));
      }
      seenAtFrom = atLast;
      from = last;
    }
  }

  private static String keyOf(ProblemEvent e) {
    return e.problemId() + "#" + TimelineStore.keyOf(e);
  }

  /** The pair's upstream and downstream ids ({@code [id, null]} for a single sensor). */
  private SensorId[] idsOf(HotSpots.Figures f) {
    String id = f.problemId();
    boolean single = f.problem() != null && f.problem().name().equals("SILENT");
    if (!single) {
      SensorId[] pair = splitByNeighbours(id);
      if (pair != null) {
        return pair;
      }
    }
    Optional<SensorId> sensor = SensorId.tryParse(id).filter(s -> s.toString().equals(id));
    if (single && sensor.isPresent()) {
      return new SensorId[] {sensor.get(), null};
    }
    // A network file's junction can make a split ambiguous: the record itself knows.
    Optional<Problem> record = problems.find(id).map(Stored::value);
    if (record.isPresent()) {
      return new SensorId[] {record.get().upstreamId(), record.get().downstreamId()};
    }
    return new SensorId[] {sensor.orElse(null), null};
  }

  /**
   * A pair's {@code problem_id} is its two canonical ids concatenated; of the ways to cut it, the
   * one whose second id follows the first on the network. Null when none or several do.
   */
  private SensorId[] splitByNeighbours(String id) {
    SensorId[] found = null;
    for (int cut = 1; cut < id.length(); cut++) {
      String up = id.substring(0, cut);
      String down = id.substring(cut);
      Optional<SensorId> a = SensorId.tryParse(up).filter(s -> s.toString().equals(up));
      Optional<SensorId> b = SensorId.tryParse(down).filter(s -> s.toString().equals(down));
      if (a.isPresent() && b.isPresent() && network.followingOf(a.get()).contains(b.get())) {
        if (found != null) {
          return null;
        }
        found = new SensorId[] {a.get(), b.get()};
      }
    }
    return found;
  }

  private String nameOf(SensorId id) {
    return id == null ? null : names.get(id);
  }

  private long now() {
    return clock.instant().getEpochSecond();
  }
}
