package org.kloaka.console.viewmodel;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.kloaka.console.client.Backend;
import org.kloaka.console.client.BackendException;
import org.kloaka.model.Measurement;
import org.kloaka.model.Problem;
import org.kloaka.model.SensorId;
import org.kloaka.model.Signal;

/**
 * The bottom pane: facts about the selected sensor with its history, or the selected pair with its
 * problem and the "Mark resolved" command.
 */
public final class DetailsViewModel {

  /** What the pane shows. */
  public enum Mode {
    NONE,
    SENSOR,
    PAIR
  }

  /** The history chart's maximum number of points per request. */
  static final int HISTORY_LIMIT = 2000;

  private final Backend backend;
  private final Executor ui;
  private final LineViewModel line;
  private final ProblemsViewModel problems;
  private final TimeText time;

  private final ReadOnlyObjectWrapper<Mode> mode =
      new ReadOnlyObjectWrapper<>(this, "mode", Mode.NONE);
  private final ReadOnlyStringWrapper heading = new ReadOnlyStringWrapper(this, "heading", "");
  private final ReadOnlyStringWrapper facts = new ReadOnlyStringWrapper(this, "facts", "");
  private final ObjectProperty<HistoryRange> range =
      new SimpleObjectProperty<>(this, "range", HistoryRange.DAY);
  private final ObservableList<Measurement> history = FXCollections.observableArrayList();
  private final ObservableList<Measurement> downstreamHistory = FXCollections.observableArrayList();
  private final ObservableList<Problem> marks = FXCollections.observableArrayList();
  private final ReadOnlyObjectWrapper<SensorId[]> charted =
      new ReadOnlyObjectWrapper<>(this, "charted", new SensorId[0]);
  private final ReadOnlyStringWrapper historyState =
      new ReadOnlyStringWrapper(this, "historyState", "");
  private final ReadOnlyObjectWrapper<Problem> problem =
      new ReadOnlyObjectWrapper<>(this, "problem");
  private final StringProperty note = new SimpleStringProperty(this, "note", "");
  private final BooleanProperty canResolve = new SimpleBooleanProperty(this, "canResolve");

  /** The caller may only look (a viewer's token): nothing to resolve, whatever the record. */
  private final BooleanProperty readOnly = new SimpleBooleanProperty(this, "readOnly");

  private final ReadOnlyObjectWrapper<Instant> historyFrom =
      new ReadOnlyObjectWrapper<>(this, "historyFrom");
  private final ReadOnlyObjectWrapper<Instant> historyUntil =
      new ReadOnlyObjectWrapper<>(this, "historyUntil");
  private final Confirmation confirmation = new Confirmation();
  private final TimelineViewModel timeline;
  private Consumer<Selection> select = s -> {};
  private SensorId sensor;
  private String pairId;
  private long historyRequest;

  public DetailsViewModel(
      Backend backend, Executor ui, LineViewModel line, ProblemsViewModel problems, TimeText time) {
    this.backend = backend;
    this.ui = ui;
    this.line = line;
    this.problems = problems;
    this.time = time;
    range.addListener((o, was, now) -> loadHistory());
    timeline = new TimelineViewModel(backend, ui, line.clock(), time, problems::apply);
  }

  /** The selected pair's timeline, comments and Acknowledge. */
  public TimelineViewModel timeline() {
    return timeline;
  }

  public ReadOnlyObjectProperty<Mode> mode() {
    return mode.getReadOnlyProperty();
  }

  public ReadOnlyStringProperty heading() {
    return heading.getReadOnlyProperty();
  }

  /** Facts as "label: value" lines. */
  public ReadOnlyStringProperty facts() {
    return facts.getReadOnlyProperty();
  }

  public ObjectProperty<HistoryRange> range() {
    return range;
  }

  /** The selected sensor's history, or in a pair's details the upstream sensor's; oldest first. */
  public ObservableList<Measurement> history() {
    return history;
  }

  /**
   * In a pair's details, the downstream sensor's history (drawn over the upstream's); else empty.
   */
  public ObservableList<Measurement> downstreamHistory() {
    return downstreamHistory;
  }

  /** The problem records whose start falls in the chart's window, for its markers. */
  public ObservableList<Problem> marks() {
    return marks;
  }

  /** The sensors the chart shows: one, or upstream and downstream. Set before the lists fill. */
  public ReadOnlyObjectProperty<SensorId[]> charted() {
    return charted.getReadOnlyProperty();
  }

  /** "loading…", "no measurements in the last 24 h", an error, or empty when the chart has data. */
  public ReadOnlyStringProperty historyState() {
    return historyState.getReadOnlyProperty();
  }

  /** The start of the window the chart shows. */
  public ReadOnlyObjectProperty<Instant> historyFrom() {
    return historyFrom.getReadOnlyProperty();
  }

  /** The end of the window the chart shows (when it was asked for). */
  public ReadOnlyObjectProperty<Instant> historyUntil() {
    return historyUntil.getReadOnlyProperty();
  }

  public ReadOnlyObjectProperty<Problem> problem() {
    return problem.getReadOnlyProperty();
  }

  public StringProperty note() {
    return note;
  }

  public BooleanProperty canResolve() {
    return canResolve;
  }

  /** Bound to the signed-in role: a viewer's console offers no Resolve. */
  public BooleanProperty readOnly() {
    return readOnly;
  }

  /** Why, while {@link #readOnly()}. */
  public javafx.beans.property.StringProperty readOnlyReason() {
    return readOnlyReason;
  }

  private final javafx.beans.property.StringProperty readOnlyReason =
      new javafx.beans.property.SimpleStringProperty(this, "readOnlyReason", "");

  /**
   * "Acknowledge" (someone is on it) as distinct from resolving: an open record nobody has
   * acknowledged, and a caller whose role may (GET /me says operator or admin).
   */
  public ReadOnlyBooleanProperty canAcknowledge() {
    return timeline.canAcknowledge();
  }

  /** "Acknowledge" (A) for the shown problem. */
  public void acknowledge() {
    timeline.acknowledge();
  }

  /** The question before resolving a pair that still looks faulty. */
  public Confirmation confirmation() {
    return confirmation;
  }

  /** Where the next selection goes after a resolve (the console's selection). */
  void onSelect(Consumer<Selection> next) {
    this.select = next;
  }

  /** Shows what the operator selected (null clears the pane). */
  public void show(Selection selection) {
    sensor = null;
    pairId = null;
    confirmation.cancel();
    if (!(selection instanceof Selection.Pair)) {
      timeline.show(null, null);
    }
    if (selection instanceof Selection.Sensor s) {
      sensor = s.id();
      mode.set(Mode.SENSOR);
      refresh();
      loadHistory();
    } else if (selection instanceof Selection.Pair p) {
      pairId = p.pairId();
      note.set("");
      mode.set(Mode.PAIR);
      refresh();
      timeline.show(pairId, problem.get());
      loadHistory();
    } else {
      mode.set(Mode.NONE);
      note.set("");
      heading.set("");
      facts.set("");
      problem.set(null);
      history.clear();
      downstreamHistory.clear();
      marks.clear();
      canResolve.set(false);
    }
  }

  /** Re-reads the shown facts after pushes (the history chart is not re-fetched). */
  public void refresh() {
    if (sensor != null) {
      showSensor();
    } else if (pairId != null) {
      showPair();
    }
  }

  private void showSensor() {
    var node = line.sensor(sensor).orElse(null);
    if (node == null) {
      heading.set("Sensor " + sensor);
      facts.set("Not on the line.");
      return;
    }
    heading.set("Sensor " + node.label());
    Instant now = line.clock().instant();
    Instant last = TimeText.epoch(node.lastUpdate());
    StringBuilder text = new StringBuilder();
    if (node.value() == null) {
      text.append("Never reported.\n");
    } else {
      text.append("Level: ").append(node.level()).append(" (").append(node.value()).append(" %)\n");
      text.append("Last update: ")
          .append(time.exact(last))
          .append("  (")
          .append(TimeText.relative(last, now))
          .append(")\n");
      if (line.isStale(node)) {
        text.append("Stale: silent ")
            .append(TimeText.span(now.getEpochSecond() - node.lastUpdate()))
            .append('\n');
      }
    }
    Signal signal = node.signal();
    if (signal != null && !signal.isEmpty()) {
      text.append("Signal: ");
      if (signal.rssi() != null) {
        text.append("RSSI ").append(signal.rssi().intValue()).append(" dBm  ");
      }
      if (signal.snr() != null) {
        text.append("SNR ").append(signal.snr()).append(" dB");
      }
      text.append('\n');
    }
    if (node.hasPosition()) {
      text.append(
          String.format(java.util.Locale.ROOT, "Position: %.5f, %.5f%n", node.lat(), node.lon()));
    }
    facts.set(text.toString().strip());
    canResolve.set(false);
    problem.set(null);
  }

  private void showPair() {
    var segment = line.segment(pairId).orElse(null);
    Problem record = problems.row(pairId).map(ProblemRow::problem).orElse(null);
    if (record == null && segment != null) {
      record = segment.problem();
    }
    problem.set(record);
    if (record != null) {
      timeline.changed(record);
    }
    StringBuilder text = new StringBuilder();
    if (segment != null) {
      heading.set("Pipe " + segment.upstream().label() + " → " + segment.downstream().label());
      text.append("Now: ").append(describe(segment.verdict())).append('\n');
      text.append("Upstream ")
          .append(segment.upstream().id())
          .append(": ")
          .append(valueOf(segment.upstream()))
          .append('\n');
      text.append("Downstream ")
          .append(segment.downstream().id())
          .append(": ")
          .append(valueOf(segment.downstream()))
          .append('\n');
    } else {
      heading.set("Pair " + pairId);
    }
    if (record == null) {
      text.append("No problem recorded on this pair.");
    } else {
      text.append("Problem: ")
          .append(record.problem())
          .append(", ")
          .append(
              record.isResolved() ? "resolved" : record.active() ? "active" : "flow normal again")
          .append('\n');
      text.append("Since: ")
          .append(time.exact(TimeText.epoch(record.problemTime())))
          .append("   last seen: ")
          .append(time.exact(TimeText.epoch(record.lastSeen())))
          .append('\n');
      text.append("At the fault (latest not-OK reading): ")
          .append(record.upstreamValue())
          .append(" → ")
          .append(record.downstreamValue())
          .append('\n');
      text.append("Open for: ").append(timeline.openFor());
      long before = timeline.faultedBefore();
      if (before > 0) {
        text.append("   faulted ")
            .append(before)
            .append(before == 1 ? " time" : " times")
            .append(" before");
      }
      text.append('\n');
      if (record.isAcknowledged() && !record.isResolved()) {
        text.append("Acknowledged: ")
            .append(time.exact(TimeText.epoch(record.acknowledgedTime())))
            .append(record.acknowledgedBy() == null ? "" : " by " + record.acknowledgedBy())
            .append('\n');
      }
      if (record.isResolved()) {
        text.append("Resolved: ")
            .append(
                time.exact(
                    record.resolvedTime() == null ? null : TimeText.epoch(record.resolvedTime())));
        if (record.resolvedBy() != null) {
          text.append(" by ").append(record.resolvedBy());
        }
        if (record.note() != null) {
          text.append(" — ").append(record.note());
        }
      }
    }
    facts.set(text.toString().strip());
    boolean pending = problems.row(pairId).map(ProblemRow::pending).orElse(false);
    canResolve.set(record != null && !record.isResolved() && !pending && !readOnly.get());
  }

  private static String valueOf(SensorNode node) {
    return node.value() == null ? "never reported" : node.value() + " % (" + node.level() + ")";
  }

  private static String describe(SegmentVerdict verdict) {
    return switch (verdict) {
      case OK -> "flow OK";
      case OBSTRUCTION -> "OBSTRUCTION — upstream runs fuller than downstream";
      case PROBLEM -> "PROBLEM — downstream runs fuller than upstream";
      case SILENT -> "not known — a sensor is silent, its last value is old";
      case UNKNOWN -> "unknown — a sensor has not reported";
    };
  }

  /**
   * "Mark resolved" for the shown problem, with the note typed so far. A pair whose record says it
   * is still faulty ({@code active}) is resolved only after the operator confirms; then the next
   * open problem is selected and the note field is empty again.
   */
  public void resolve() {
    Problem shown = problem.get();
    if (shown == null || !canResolve.get()) {
      return;
    }
    String id = shown.problemId();
    String text = note.get();
    if (shown.active()) {
      confirmation.ask(
          ProblemRow.pairText(shown)
              + " still looks faulty ("
              + shown.problem()
              + ", last seen "
              + TimeText.relative(TimeText.epoch(shown.lastSeen()), line.clock().instant())
              + "). Resolve anyway?",
          "Resolve anyway",
          () -> resolveNow(id, text));
      return;
    }
    resolveNow(id, text);
  }

  private void resolveNow(String id, String text) {
    canResolve.set(false);
    problems.resolve(id, text == null || text.isBlank() ? null : text.strip());
    note.set("");
    select.accept(problems.nextAfter(id).map(Selection.Pair::new).orElse(null));
  }

  private void loadHistory() {
    SensorId first;
    SensorId second = null;
    if (sensor != null) {
      first = sensor;
    } else if (pairId != null) {
      SensorId[] ends = endsOf(pairId);
      if (ends == null) {
        return;
      }
      first = ends[0];
      second = ends[1];
    } else {
      return;
    }
    HistoryRange span = range.get();
    long request = ++historyRequest;
    Instant until = line.clock().instant();
    Instant from = until.minus(span.span());
    historyFrom.set(from);
    historyUntil.set(until);
    charted.set(second == null ? new SensorId[] {first} : new SensorId[] {first, second});
    history.clear();
    downstreamHistory.clear();
    marks.setAll(problemsAround(first, second, from, until));
    historyState.set("loading…");
    CompletableFuture<List<Measurement>> up =
        backend.measurements(first, from, until, HISTORY_LIMIT);
    CompletableFuture<List<Measurement>> down =
        second == null
            ? CompletableFuture.completedFuture(List.of())
            : backend.measurements(second, from, until, HISTORY_LIMIT);
    boolean pair = second != null;
    up.thenCombine(down, (a, b) -> new Object[] {a, b})
        .whenCompleteAsync(
            (both, failure) -> {
              if (request != historyRequest) {
                return; // the operator moved on
              }
              if (failure != null) {
                historyState.set("History unavailable: " + BackendException.describe(failure));
                return;
              }
              @SuppressWarnings("unchecked")
              List<Measurement> a = (List<Measurement>) both[0];
              @SuppressWarnings("unchecked")
              List<Measurement> b = (List<Measurement>) both[1];
              history.setAll(a == null ? List.of() : a);
              downstreamHistory.setAll(b == null ? List.of() : b);
              historyState.set(stateOf(span, pair));
            },
            ui);
  }

  /** The chart's message: none when it has lines to show, else what there is. */
  private String stateOf(HistoryRange span, boolean pair) {
    int points = history.size() + downstreamHistory.size();
    if (points == 0) {
      return "No measurements in the last " + span;
    }
    if (!pair && points == 1) {
      Measurement only = history.get(0);
      return "One reading in the last "
          + span
          + ": "
          + only.filling()
          + " % at "
          + time.exact(TimeText.epoch(only.dt()))
          + " (the dot)";
    }
    return "";
  }

  /** Upstream and downstream of a pair: from the line, else from its problem record. */
  private SensorId[] endsOf(String pair) {
    var segment = line.segment(pair).orElse(null);
    if (segment != null) {
      return new SensorId[] {segment.upstream().id(), segment.downstream().id()};
    }
    return problems
        .row(pair)
        .map(ProblemRow::problem)
        .map(p -> new SensorId[] {p.upstreamId(), p.downstreamId()})
        .orElse(null);
  }

  /** The records of the pairs the chart's sensors belong to, begun inside the window. */
  private List<Problem> problemsAround(SensorId a, SensorId b, Instant from, Instant until) {
    java.util.Set<String> pairs = new java.util.LinkedHashSet<>();
    if (b != null) {
      pairs.add(pairId);
    } else {
      for (Segment segment : line.segments()) {
        if (segment.upstream().id().equals(a) || segment.downstream().id().equals(a)) {
          pairs.add(segment.pairId());
        }
      }
    }
    List<Problem> found = new java.util.ArrayList<>();
    for (String pair : pairs) {
      problems
          .row(pair)
          .map(ProblemRow::problem)
          .filter(
              p ->
                  p.problemTime() >= from.getEpochSecond()
                      && p.problemTime() <= until.getEpochSecond())
          .ifPresent(found::add);
    }
    return found;
  }
}
