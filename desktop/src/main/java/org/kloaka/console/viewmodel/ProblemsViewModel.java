package org.kloaka.console.viewmodel;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.kloaka.console.client.Backend;
import org.kloaka.console.client.BackendException;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemStatus;

/**
 * The problems table: every known record, unresolved first then newest first, optionally only the
 * unresolved ones; announces new problems and resolves them through the backend.
 */
public final class ProblemsViewModel {

  private static final Comparator<ProblemRow> ORDER =
      Comparator.comparing((ProblemRow r) -> r.problem().isResolved())
          .thenComparing(r -> -r.problem().problemTime())
          .thenComparing(ProblemRow::id);

  private final Backend backend;
  private final Executor ui;
  private final Clock clock;
  private final Consumer<String> messages;
  private final Map<String, ProblemRow> rows = new HashMap<>();
  private final ObservableList<ProblemRow> visible = FXCollections.observableArrayList();
  private final BooleanProperty unresolvedOnly = new SimpleBooleanProperty(this, "unresolvedOnly");
  private final ReadOnlyIntegerWrapper unresolvedCount = new ReadOnlyIntegerWrapper(this, "count");
  private final ReadOnlyLongWrapper announcements = new ReadOnlyLongWrapper(this, "announcements");
  private final ReadOnlyObjectWrapper<Problem> lastAnnounced =
      new ReadOnlyObjectWrapper<>(this, "lastAnnounced");
  private final ReadOnlyLongWrapper changes = new ReadOnlyLongWrapper(this, "changes");
  private Consumer<Problem> onChange = p -> {};
  private boolean loadedOnce;

  /**
   * @param ui where backend answers are applied (the FX thread; a direct executor in tests)
   * @param messages where failures go to be shown to the operator
   */
  public ProblemsViewModel(Backend backend, Executor ui, Clock clock, Consumer<String> messages) {
    this.backend = backend;
    this.ui = ui;
    this.clock = clock;
    this.messages = messages;
    unresolvedOnly.addListener((o, was, now) -> refreshVisible());
  }

  /** Called with every record that changes, so the line and the details follow. */
  void onChange(Consumer<Problem> listener) {
    this.onChange = listener;
  }

  /** The rows to show, in order. */
  public ObservableList<ProblemRow> rows() {
    return visible;
  }

  public BooleanProperty unresolvedOnly() {
    return unresolvedOnly;
  }

  public ReadOnlyIntegerProperty unresolvedCount() {
    return unresolvedCount.getReadOnlyProperty();
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
        rows.put(problem.problemId(), new ProblemRow(problem, true, false, null));
      } else {
        rows.put(
            problem.problemId(),
            before == null
                ? new ProblemRow(problem, false, false, null)
                : before.with(newer(before.problem(), problem)));
      }
    }
    loadedOnce = true;
    unseen.sort(Comparator.comparingLong(Problem::problemTime));
    for (Problem problem : unseen) {
      announce(problem);
    }
    refreshVisible();
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
        new ProblemRow(next, isNew || (before != null && before.fresh()), false, null));
    if (isNew) {
      announce(problem);
    }
    refreshVisible();
    onChange.accept(next);
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
      rows.put(problemId, new ProblemRow(row.problem(), false, row.pending(), row.error()));
      refreshVisible();
    }
  }

  /**
   * "Mark resolved": shows the change at once, sends the PATCH, and either takes the backend's
   * record or puts the row back and says why.
   */
  public void resolve(String problemId, String note) {
    ProblemRow row = rows.get(problemId);
    if (row == null || row.pending()) {
      return;
    }
    rows.put(problemId, new ProblemRow(row.problem(), false, true, null));
    refreshVisible();
    backend
        .resolve(problemId, note)
        .whenCompleteAsync(
            (resolved, failure) -> {
              ProblemRow now = rows.get(problemId);
              if (failure != null) {
                String why = BackendException.describe(failure);
                Problem held = now == null ? row.problem() : now.problem();
                rows.put(problemId, new ProblemRow(held, false, false, why));
                messages.accept("Could not resolve " + row.pairText() + ": " + why);
                refreshVisible();
                return;
              }
              Problem held = now == null ? resolved : newer(now.problem(), resolved);
              rows.put(problemId, new ProblemRow(held, false, false, null));
              refreshVisible();
              onChange.accept(held);
            },
            ui);
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

  private void refreshVisible() {
    List<ProblemRow> list = new ArrayList<>();
    int count = 0;
    for (ProblemRow row : rows.values()) {
      boolean open = row.problem().problemStatus() == ProblemStatus.UNRESOLVED;
      if (open) {
        count++;
      }
      if (open || !unresolvedOnly.get()) {
        list.add(row);
      }
    }
    list.sort(ORDER);
    if (sameOrder(list)) {
      for (int i = 0; i < list.size(); i++) {
        if (!visible.get(i).equals(list.get(i))) {
          visible.set(i, list.get(i)); // one row changed: keep the others (and the selection)
        }
      }
    } else {
      visible.setAll(list);
    }
    unresolvedCount.set(count);
    changes.set(changes.get() + 1);
  }
}
