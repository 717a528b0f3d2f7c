package org.kloaka.console.viewmodel;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
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
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemType;
import org.kloaka.model.SensorId;

/**
 * The problems table: every known record, unresolved first then newest first, filtered by state,
 * type, tube and text; announces new problems and resolves them through the backend.
 *
 * <p>Two safety rules (docs/decisions/024-console-for-a-shift.md): while {@link #hold()} is set —
 * the pointer is over the table or the table has the keyboard — shown rows keep their places and
 * new arrivals wait in {@link #newCount()} ("2 new — show") until {@link #showNew()} or the hold
 * ends; and "Mark resolved" waits {@link #undoWindow()} before its PATCH goes out, so {@link
 * #undo()} can take it back.
 */
public final class ProblemsViewModel {

  private static final Comparator<ProblemRow> ORDER =
      Comparator.comparing((ProblemRow r) -> r.problem().isResolved())
          .thenComparing(r -> -r.problem().problemTime())
          .thenComparing(ProblemRow::id);

  /** More new rows than this at once replace the list instead of being inserted one by one. */
  private static final int INSERT_AT_MOST = 8;

  /** How long a "Mark resolved" can be undone before its PATCH is sent. */
  public static final Duration UNDO_WINDOW = Duration.ofSeconds(5);

  private final Backend backend;
  private final Executor ui;
  private final Clock clock;
  private final Consumer<String> messages;
  private final Map<String, ProblemRow> rows = new HashMap<>();
  private final ObservableList<ProblemRow> visible = FXCollections.observableArrayList();
  private final ObservableList<String> tubes = FXCollections.observableArrayList();
  private final ObjectProperty<StatusFilter> status =
      new SimpleObjectProperty<>(this, "status", StatusFilter.ALL);
  private final ObjectProperty<ProblemType> type = new SimpleObjectProperty<>(this, "type");
  private final ObjectProperty<String> tube = new SimpleObjectProperty<>(this, "tube");
  private final StringProperty text = new SimpleStringProperty(this, "text", "");
  private final BooleanProperty hold = new SimpleBooleanProperty(this, "hold");
  private final ObjectProperty<Duration> undoWindow =
      new SimpleObjectProperty<>(this, "undoWindow", UNDO_WINDOW);
  private final ReadOnlyIntegerWrapper newCount = new ReadOnlyIntegerWrapper(this, "newCount");
  private final ReadOnlyIntegerWrapper unresolvedCount = new ReadOnlyIntegerWrapper(this, "count");
  private final ReadOnlyIntegerWrapper activeCount = new ReadOnlyIntegerWrapper(this, "active");
  private final ReadOnlyIntegerWrapper clearedCount = new ReadOnlyIntegerWrapper(this, "cleared");
  private final ReadOnlyIntegerWrapper silentCount = new ReadOnlyIntegerWrapper(this, "silent");
  private final ReadOnlyIntegerWrapper undoCount = new ReadOnlyIntegerWrapper(this, "undoCount");
  private final ReadOnlyStringWrapper undoText = new ReadOnlyStringWrapper(this, "undoText", "");
  private final ReadOnlyLongWrapper announcements = new ReadOnlyLongWrapper(this, "announcements");
  private final ReadOnlyObjectWrapper<Problem> lastAnnounced =
      new ReadOnlyObjectWrapper<>(this, "lastAnnounced");
  private final ReadOnlyLongWrapper changes = new ReadOnlyLongWrapper(this, "changes");
  private final Confirmation confirmation = new Confirmation();
  private Consumer<Problem> onChange = p -> {};
  private Function<SensorId, String> names = id -> null;
  private boolean loadedOnce;
  private boolean batching;
  private boolean batchDirty;
  private final ObjectProperty<Duration> refreshEvery =
      new SimpleObjectProperty<>(this, "refreshEvery", Duration.ZERO);
  private Instant lastRefresh;

  /**
   * @param ui where backend answers are applied (the FX thread; a direct executor in tests)
   * @param messages where failures go to be shown to the operator
   */
  public ProblemsViewModel(Backend backend, Executor ui, Clock clock, Consumer<String> messages) {
    this.backend = backend;
    this.ui = ui;
    this.clock = clock;
    this.messages = messages;
    status.addListener((o, was, now) -> refreshVisible(true));
    type.addListener((o, was, now) -> refreshVisible(true));
    tube.addListener((o, was, now) -> refreshVisible(true));
    text.addListener((o, was, now) -> refreshVisible(true));
    hold.addListener(
        (o, was, now) -> {
          if (!now) {
            refreshVisible(true);
          }
        });
  }

  /** Called with every record that changes, so the line and the details follow. */
  void onChange(Consumer<Problem> listener) {
    this.onChange = listener;
  }

  /** Sensor names for the text filter. */
  void names(Function<SensorId, String> lookup) {
    this.names = lookup;
  }

  /** The rows to show, in order. */
  public ObservableList<ProblemRow> rows() {
    return visible;
  }

  /** The tube numbers that have problems, for the tube filter. */
  public ObservableList<String> tubes() {
    return tubes;
  }

  public ObjectProperty<StatusFilter> status() {
    return status;
  }

  /** Only this type, or null for both. */
  public ObjectProperty<ProblemType> type() {
    return type;
  }

  /** Only pairs touching this tube number, or null for every tube. */
  public ObjectProperty<String> tube() {
    return tube;
  }

  /** Only rows whose ids, pair, type or sensor names contain this text (case-insensitive). */
  public StringProperty text() {
    return text;
  }

  /** Set while the operator points at or keys through the table: shown rows must not move. */
  public BooleanProperty hold() {
    return hold;
  }

  /** How many rows wait to be shown because of {@link #hold()}. */
  public ReadOnlyIntegerProperty newCount() {
    return newCount.getReadOnlyProperty();
  }

  public ObjectProperty<Duration> undoWindow() {
    return undoWindow;
  }

  /** Unresolved records (active or cleared), whatever the filter. */
  public ReadOnlyIntegerProperty unresolvedCount() {
    return unresolvedCount.getReadOnlyProperty();
  }

  /**
   * Unresolved SILENT records whose sensor is still silent (not counted in {@link #activeCount}).
   */
  public ReadOnlyIntegerProperty silentCount() {
    return silentCount.getReadOnlyProperty();
  }

  /** The "silent sensors" view: the open SILENT records, whatever else was filtered. */
  public void showSilentSensors() {
    text.set("");
    tube.set(null);
    type.set(ProblemType.SILENT);
    status.set(StatusFilter.UNRESOLVED);
  }

  /** Unresolved pair records (not SILENT) whose pair still looks faulty. */
  public ReadOnlyIntegerProperty activeCount() {
    return activeCount.getReadOnlyProperty();
  }

  /** Unresolved records whose flow is normal again: waiting for an operator to resolve them. */
  public ReadOnlyIntegerProperty clearedCount() {
    return clearedCount.getReadOnlyProperty();
  }

  /** Resolves waiting out their undo window. */
  public ReadOnlyIntegerProperty undoCount() {
    return undoCount.getReadOnlyProperty();
  }

  /** "Resolving 01 → 02 in 4 s", or empty. */
  public ReadOnlyStringProperty undoText() {
    return undoText.getReadOnlyProperty();
  }

  /** The question before a bulk resolve. */
  public Confirmation confirmation() {
    return confirmation;
  }

  /** Counts new problems announced since start, pushed or found by a re-sync after a gap. */
  public ReadOnlyLongProperty announcements() {
    return announcements.getReadOnlyProperty();
  }

  public ReadOnlyObjectProperty<Problem> lastAnnounced() {
    return lastAnnounced.getReadOnlyProperty();
  }

  /** Bumped on every change of any row, for views that show relative times. */
  public ReadOnlyLongProperty changes() {
    return changes.getReadOnlyProperty();
  }

  public Optional<ProblemRow> row(String problemId) {
    return Optional.ofNullable(rows.get(problemId));
  }

  public Clock clock() {
    return clock;
  }

  /**
   * Everything after a re-sync; records no longer listed are dropped. The first load announces
   * nothing (that is what was already there); a later one — after a reconnection — announces every
   * problem the console had not seen, as if it had been pushed: during the gap it was news.
   */
  public void replace(Collection<Problem> problems) {
    Map<String, ProblemRow> previous = new HashMap<>(rows);
    rows.clear();
    List<Problem> unseen = new ArrayList<>();
    for (Problem problem : problems) {
      ProblemRow before = previous.get(problem.problemId());
      boolean isNew = loadedOnce && isNewOccurrence(before, problem);
      if (isNew) {
        unseen.add(problem);
      }
      rows.put(
          problem.problemId(),
          before == null
              ? new ProblemRow(problem, isNew, false, null)
              : carry(before, newer(before.problem(), problem), isNew));
    }
    loadedOnce = true;
    unseen.sort(Comparator.comparingLong(Problem::problemTime));
    for (Problem problem : unseen) {
      announce(problem);
    }
    updateUndo();
    refreshVisible(false);
  }

  /**
   * The row for {@code next} given the row held: a resolve waiting out its undo window stays
   * waiting on the same occurrence, and is dropped (with a word to the operator) when the record
   * says resolved already or the pair faulted anew.
   */
  private ProblemRow carry(ProblemRow before, Problem next, boolean isNew) {
    boolean fresh = isNew || before.fresh();
    if (before.undoable()) {
      if (!next.isResolved() && next.problemTime() == before.problem().problemTime()) {
        return new ProblemRow(next, fresh, true, null, before.sendAt(), before.note());
      }
      if (!next.isResolved()) {
        messages.accept(
            before.pairText() + " faulted again: the resolve was not sent (the new fault is open)");
      }
      return new ProblemRow(next, fresh, false, null);
    }
    return new ProblemRow(next, fresh, false, null);
  }

  /**
   * Whether {@code problem} is an occurrence the console has not shown: none, RESOLVED, or older.
   */
  private static boolean isNewOccurrence(ProblemRow before, Problem problem) {
    return !problem.isResolved()
        && (before == null
            || before.problem().isResolved()
            || before.problem().problemTime() < problem.problemTime());
  }

  private void announce(Problem problem) {
    lastAnnounced.set(problem);
    announcements.set(announcements.get() + 1);
  }

  /**
   * A pushed record. A problem that is new — its pair had no record, or a RESOLVED one, or an older
   * one — is announced; a record older than the one held is ignored.
   */
  public void apply(Problem problem) {
    ProblemRow before = rows.get(problem.problemId());
    Problem next = before == null ? problem : newer(before.problem(), problem);
    if (before != null && next == before.problem()) {
      return;
    }
    boolean isNew = isNewOccurrence(before, problem);
    rows.put(
        problem.problemId(),
        before == null ? new ProblemRow(next, true, false, null) : carry(before, next, isNew));
    if (isNew) {
      announce(problem);
    }
    if (batching) {
      batchDirty = true;
    } else {
      updateUndo();
      refreshVisible(false);
    }
    onChange.accept(next);
  }

  /**
   * Applies a batch of pushes with one re-sort and one table update at its end, not one per push: a
   * burst of thousands of pushes must not cost thousands of sorts on the FX thread.
   */
  void batch(Runnable pushes) {
    batching = true;
    try {
      pushes.run();
    } finally {
      batching = false;
    }
    Duration every = refreshEvery.get();
    if (batchDirty
        && (every.isZero()
            || lastRefresh == null
            || !clock.instant().isBefore(lastRefresh.plus(every)))) {
      updateUndo();
      refreshVisible(false);
    }
  }

  /**
   * Pushed changes reach the table at most this often (zero: at once). The line, the details and
   * the announcement follow each push; the table's rows — the costliest part of a frame, as every
   * changed row re-lays its cells — are re-sorted a few times a second during a burst (decision
   * 033). What waits is shown by the next {@link #batch} ({@link #pendingRefresh()}).
   */
  public ObjectProperty<Duration> refreshEvery() {
    return refreshEvery;
  }

  /** Pushed changes wait for {@link #refreshEvery()}: run a batch again soon. */
  boolean pendingRefresh() {
    return batchDirty;
  }

  /**
   * Which of two records of one pair is the later state: a later {@code problem_time} is a later
   * record; within one record RESOLVED is final; else the later {@code last_seen}; a tie goes to
   * the incoming one.
   */
  static Problem newer(Problem held, Problem incoming) {
    if (incoming.problemTime() != held.problemTime()) {
      return incoming.problemTime() > held.problemTime() ? incoming : held;
    }
    if (held.isResolved() != incoming.isResolved()) {
      return held.isResolved() ? held : incoming;
    }
    return incoming.lastSeen() < held.lastSeen() ? held : incoming;
  }

  /** The operator has seen a new problem: stop highlighting it. */
  public void acknowledge(String problemId) {
    ProblemRow row = rows.get(problemId);
    if (row != null && row.fresh()) {
      rows.put(
          problemId,
          new ProblemRow(
              row.problem(), false, row.pending(), row.error(), row.sendAt(), row.note()));
      refreshVisible(false);
    }
  }

  /** Shows the rows held back by {@link #hold()}, in order. */
  public void showNew() {
    refreshVisible(true);
  }

  /**
   * "Mark resolved": shows the change at once; the PATCH goes out when the undo window has passed
   * (at once when it is zero), and the row either takes the backend's record or goes back and says
   * why.
   */
  public void resolve(String problemId, String note) {
    ProblemRow row = rows.get(problemId);
    if (row == null || row.pending() || row.problem().isResolved()) {
      return;
    }
    Duration window = undoWindow.get();
    if (window == null || window.isZero() || window.isNegative()) {
      send(problemId, note);
      return;
    }
    rows.put(
        problemId,
        new ProblemRow(row.problem(), false, true, null, clock.instant().plus(window), note));
    updateUndo();
    refreshVisible(false);
  }

  /** Takes back every resolve still in its undo window; answers their ids. */
  public List<String> undo() {
    List<String> undone = new ArrayList<>();
    for (ProblemRow row : List.copyOf(rows.values())) {
      if (row.undoable()) {
        rows.put(row.id(), new ProblemRow(row.problem(), false, false, null));
        undone.add(row.id());
      }
    }
    updateUndo();
    refreshVisible(false);
    return undone;
  }

  /** Sends the resolves whose undo window has passed; keeps the countdown text current. */
  public void tick() {
    Instant now = clock.instant();
    for (ProblemRow row : List.copyOf(rows.values())) {
      if (row.undoable() && !now.isBefore(row.sendAt())) {
        send(row.id(), row.note());
      }
    }
    updateUndo();
  }

  /** Sends every waiting resolve now (the console is closing); completes when all answered. */
  public CompletableFuture<Void> flush() {
    List<CompletableFuture<?>> sent = new ArrayList<>();
    for (ProblemRow row : List.copyOf(rows.values())) {
      if (row.undoable()) {
        sent.add(send(row.id(), row.note()));
      }
    }
    updateUndo();
    return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
  }

  private CompletableFuture<?> send(String problemId, String note) {
    ProblemRow row = rows.get(problemId);
    rows.put(problemId, new ProblemRow(row.problem(), false, true, null));
    refreshVisible(false);
    CompletableFuture<Problem> answer = backend.resolve(problemId, note);
    answer.whenCompleteAsync(
        (resolved, failure) -> {
          ProblemRow now = rows.get(problemId);
          if (failure != null) {
            String why = BackendException.describe(failure);
            Problem held = now == null ? row.problem() : now.problem();
            rows.put(problemId, new ProblemRow(held, false, false, why));
            messages.accept("Could not resolve " + row.pairText() + ": " + why);
            refreshVisible(false);
            return;
          }
          Problem held = now == null ? resolved : newer(now.problem(), resolved);
          rows.put(problemId, new ProblemRow(held, false, false, null));
          refreshVisible(false);
          onChange.accept(held);
        },
        ui);
    return answer;
  }

  private void updateUndo() {
    Instant last = null;
    ProblemRow one = null;
    int count = 0;
    for (ProblemRow row : rows.values()) {
      if (row.undoable()) {
        count++;
        one = row;
        last = last == null || row.sendAt().isAfter(last) ? row.sendAt() : last;
      }
    }
    undoCount.set(count);
    if (count == 0) {
      undoText.set("");
      return;
    }
    long seconds = Math.max(0, (Duration.between(clock.instant(), last).toMillis() + 999) / 1000);
    undoText.set(
        "Resolving "
            + (count == 1 ? one.pairText() : count + " problems")
            + (seconds > 0 ? " in " + seconds + " s" : "…"));
  }

  /**
   * The row to select after {@code problemId} was resolved: the next open one below it in the
   * table, else the nearest open one above, else none.
   */
  public Optional<String> nextAfter(String problemId) {
    int at = -1;
    for (int i = 0; i < visible.size(); i++) {
      if (visible.get(i).id().equals(problemId)) {
        at = i;
      }
    }
    for (int i = at + 1; i < visible.size(); i++) {
      if (visible.get(i).open()) {
        return Optional.of(visible.get(i).id());
      }
    }
    for (int i = at - 1; i >= 0; i--) {
      if (visible.get(i).open()) {
        return Optional.of(visible.get(i).id());
      }
    }
    return Optional.empty();
  }

  /** Asks, then resolves every unresolved record whose flow is normal again. */
  public void resolveAllCleared() {
    List<String> cleared = new ArrayList<>();
    for (ProblemRow row : rows.values()) {
      if (row.open() && !row.problem().active()) {
        cleared.add(row.id());
      }
    }
    if (cleared.isEmpty()) {
      return;
    }
    int n = cleared.size();
    String what = n == 1 ? "the 1 cleared problem" : "all " + n + " cleared problems";
    confirmation.ask(
        "Resolve "
            + what
            + " (flow normal again)? "
            + (undoWindow.get().isZero() ? "" : "You can undo for a few seconds."),
        n == 1 ? "Resolve 1" : "Resolve " + n,
        () -> cleared.forEach(id -> resolve(id, "flow normal again (resolved in bulk)")));
  }

  private boolean accepts(ProblemRow row) {
    Problem p = row.problem();
    if (!status.get().accepts(p) || (type.get() != null && p.problem() != type.get())) {
      return false;
    }
    String onTube = tube.get();
    if (onTube != null
        && !onTube.equals(Integer.toString(p.upstreamId().tube()))
        && (p.downstreamId() == null
            || !onTube.equals(Integer.toString(p.downstreamId().tube())))) {
      return false;
    }
    String query = text.get() == null ? "" : text.get().strip().toLowerCase(Locale.ROOT);
    if (query.isEmpty()) {
      return true;
    }
    List<String> haystack = new ArrayList<>();
    haystack.add(p.problemId());
    haystack.add(row.pairText());
    haystack.add(p.problem().toString());
    List<SensorId> sensors = new ArrayList<>();
    sensors.add(p.upstreamId());
    if (p.downstreamId() != null) {
      sensors.add(p.downstreamId()); // a SILENT record names one sensor
    }
    for (SensorId id : sensors) {
      haystack.add(id.toString());
      String name = names.apply(id);
      if (name != null) {
        haystack.add(name);
      }
    }
    for (String candidate : haystack) {
      if (candidate.toLowerCase(Locale.ROOT).contains(query)) {
        return true;
      }
    }
    return false;
  }

  private boolean sameOrder(List<ProblemRow> list) {
    if (list.size() != visible.size()) {
      return false;
    }
    for (int i = 0; i < list.size(); i++) {
      if (!list.get(i).id().equals(visible.get(i).id())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Recomputes the shown rows and the counts. With {@code reorder} false while {@link #hold()} is
   * set, the rows shown keep their places (with their new records) and the others are counted in
   * {@link #newCount()} instead of shown.
   */
  private void refreshVisible(boolean reorder) {
    batchDirty = false; // every row is looked at again: nothing waits any more
    lastRefresh = clock.instant();
    List<ProblemRow> target = new ArrayList<>();
    int active = 0;
    int cleared = 0;
    int silent = 0;
    Set<String> tubeIds = new TreeSet<>(Comparator.comparingInt(Integer::parseInt));
    for (ProblemRow row : rows.values()) {
      Problem p = row.problem();
      if (!p.isResolved()) {
        if (p.active() && p.problem() == ProblemType.SILENT) {
          silent++;
        } else if (p.active()) {
          active++;
        } else {
          cleared++;
        }
      }
      tubeIds.add(Integer.toString(p.upstreamId().tube()));
      if (p.downstreamId() != null) {
        tubeIds.add(Integer.toString(p.downstreamId().tube()));
      }
      if (accepts(row)) {
        target.add(row);
      }
    }
    target.sort(ORDER);
    List<ProblemRow> shown = target;
    int waiting = 0;
    if (hold.get() && !reorder && !visible.isEmpty()) {
      shown = new ArrayList<>();
      Set<String> kept = new HashSet<>();
      for (ProblemRow row : visible) {
        ProblemRow now = rows.get(row.id());
        if (now != null) {
          shown.add(now);
          kept.add(now.id());
        }
      }
      for (ProblemRow row : target) {
        if (!kept.contains(row.id())) {
          waiting++;
        }
      }
    }
    if (sameOrder(shown)) {
      for (int i = 0; i < shown.size(); i++) {
        if (!visible.get(i).equals(shown.get(i))) {
          visible.set(i, shown.get(i)); // one row changed: keep the others (and the selection)
        }
      }
    } else if (!insertedOnly(shown)) {
      visible.setAll(shown);
    }
    if (!tubes.equals(new ArrayList<>(tubeIds))) {
      tubes.setAll(tubeIds);
    }
    newCount.set(waiting);
    activeCount.set(active);
    clearedCount.set(cleared);
    silentCount.set(silent);
    unresolvedCount.set(active + cleared + silent);
    changes.set(changes.get() + 1);
  }

  /**
   * When {@code shown} is the visible rows with new ones added in between (a new problem), inserts
   * just those: the table then updates the cells of the new rows instead of rebuilding every one
   * (decision 029). False, and nothing changed, otherwise.
   */
  private boolean insertedOnly(List<ProblemRow> shown) {
    // A few new rows are inserted one by one; a burst's hundreds at once are one replacement:
    // every insertion is a change the table and its selection model process on their own.
    if (shown.size() <= visible.size() || shown.size() - visible.size() > INSERT_AT_MOST) {
      return false;
    }
    int matched = 0;
    for (ProblemRow row : shown) {
      if (matched < visible.size() && visible.get(matched).id().equals(row.id())) {
        matched++;
      }
    }
    if (matched != visible.size()) {
      return false;
    }
    for (int i = 0; i < shown.size(); i++) {
      ProblemRow row = shown.get(i);
      if (i < visible.size() && visible.get(i).id().equals(row.id())) {
        if (!visible.get(i).equals(row)) {
          visible.set(i, row);
        }
      } else {
        visible.add(i, row);
      }
    }
    return true;
  }
}
