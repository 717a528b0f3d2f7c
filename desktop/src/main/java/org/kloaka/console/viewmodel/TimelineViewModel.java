package org.kloaka.console.viewmodel;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.kloaka.console.client.Backend;
import org.kloaka.console.client.BackendException;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemEvent;

/**
 * The selected pair's timeline (docs/problems.md, "Timeline"): what happened to it, oldest first,
 * with the operators' comments; the comment box; and "Acknowledge" — someone is on it — as distinct
 * from resolving. Re-read after every change the operator makes and whenever the pair's record
 * changes by a push.
 */
public final class TimelineViewModel {

  /** How many of the pair's most recent events are shown. */
  static final int LIMIT = 200;

  private final Backend backend;
  private final Executor ui;
  private final Clock clock;
  private final TimeText time;
  private final Consumer<Problem> applied;
  private final ObservableList<ProblemEvent> events = FXCollections.observableArrayList();
  private final ObservableList<String> entries = FXCollections.observableArrayList();
  private final StringProperty comment = new SimpleStringProperty(this, "comment", "");
  private final ReadOnlyStringWrapper state = new ReadOnlyStringWrapper(this, "state", "");
  private final BooleanProperty mayAct = new SimpleBooleanProperty(this, "mayAct");
  private final ReadOnlyBooleanWrapper canAcknowledge =
      new ReadOnlyBooleanWrapper(this, "canAcknowledge");
  private final ReadOnlyBooleanWrapper shown = new ReadOnlyBooleanWrapper(this, "shown");
  private final BooleanBinding canComment;
  private Consumer<String> messages = m -> {};
  private String pairId;
  private Problem record;
  private long request;

  TimelineViewModel(
      Backend backend, Executor ui, Clock clock, TimeText time, Consumer<Problem> applied) {
    this.backend = backend;
    this.ui = ui;
    this.clock = clock;
    this.time = time;
    this.applied = applied;
    canComment =
        Bindings.createBooleanBinding(
            () -> shown.get() && mayAct.get() && !comment.get().isBlank(), shown, mayAct, comment);
    mayAct.addListener((o, was, now) -> updateCommands());
  }

  /** The events, oldest first. */
  public ObservableList<ProblemEvent> events() {
    return events;
  }

  /** The events as the operator reads them: "2026-11-28 14:05 ana comment: sent a crew". */
  public ObservableList<String> entries() {
    return entries;
  }

  public StringProperty comment() {
    return comment;
  }

  /** "loading…", why the timeline cannot be read, or empty. */
  public ReadOnlyStringProperty state() {
    return state.getReadOnlyProperty();
  }

  /** Whether the signed-in caller may acknowledge and comment (role operator or admin). */
  public BooleanProperty mayAct() {
    return mayAct;
  }

  /** The shown record is open, not acknowledged yet, and the caller may act. */
  public ReadOnlyBooleanProperty canAcknowledge() {
    return canAcknowledge.getReadOnlyProperty();
  }

  public BooleanBinding canComment() {
    return canComment;
  }

  /** Where errors go (the status line). */
  void messages(Consumer<String> sink) {
    this.messages = sink;
  }

  /** Shows the timeline of {@code pair} (null clears it). */
  void show(String pair, Problem current) {
    boolean other = pair == null || !pair.equals(pairId);
    pairId = pair;
    record = current;
    shown.set(pair != null);
    updateCommands();
    if (other) {
      comment.set("");
      events.clear();
      entries.clear();
      state.set("");
      if (pair != null) {
        reload();
      }
    }
  }

  /** The pair's record changed (a push, or the answer to a command): re-read the timeline. */
  void changed(Problem current) {
    boolean moved = record == null || !record.equals(current);
    record = current;
    updateCommands();
    if (moved && pairId != null) {
      reload();
    }
  }

  /** How many times the pair faulted before the shown occurrence, as far as the timeline goes. */
  public long faultedBefore() {
    if (record == null) {
      return 0;
    }
    return events.stream()
        .filter(e -> e.type() == ProblemEvent.Type.OPENED)
        .filter(e -> e.problemTime() < record.problemTime())
        .count();
  }

  public void reload() {
    String pair = pairId;
    if (pair == null) {
      return;
    }
    long asked = ++request;
    if (events.isEmpty()) {
      state.set("loading the timeline…");
    }
    backend
        .events(pair, LIMIT)
        .whenCompleteAsync(
            (list, failure) -> {
              if (asked != request) {
                return; // the operator moved on, or a newer read is under way
              }
              if (failure != null) {
                state.set("Timeline unavailable: " + BackendException.describe(failure));
                return;
              }
              List<ProblemEvent> all = list == null ? List.of() : list;
              events.setAll(all);
              entries.setAll(all.stream().map(this::describe).toList());
              state.set(all.isEmpty() ? "Nothing on the timeline yet." : "");
            },
            ui);
  }

  /** "Acknowledge" (A): the record says who is on it; the timeline shows it at once. */
  public void acknowledge() {
    if (!canAcknowledge.get()) {
      return;
    }
    String pair = pairId;
    canAcknowledge.set(false);
    backend
        .acknowledge(pair)
        .whenCompleteAsync(
            (problem, failure) -> {
              if (failure != null) {
                messages.accept(
                    "Could not acknowledge " + pair + ": " + BackendException.describe(failure));
                updateCommands();
                return;
              }
              applied.accept(problem);
              if (pair.equals(pairId)) {
                changed(problem);
                reload();
              }
            },
            ui);
  }

  /** Adds the typed comment to the pair's timeline; the field empties once it is stored. */
  public void addComment() {
    if (!canComment.get()) {
      return;
    }
    String pair = pairId;
    String text = comment.get().strip();
    backend
        .comment(pair, text)
        .whenCompleteAsync(
            (event, failure) -> {
              if (failure != null) {
                messages.accept(
                    "Could not add the comment to "
                        + pair
                        + ": "
                        + BackendException.describe(failure));
                return;
              }
              if (pair.equals(pairId)) {
                if (text.equals(comment.get().strip())) {
                  comment.set("");
                }
                reload();
              }
            },
            ui);
  }

  private void updateCommands() {
    canAcknowledge.set(
        mayAct.get() && record != null && !record.isResolved() && !record.isAcknowledged());
  }

  private String describe(ProblemEvent event) {
    StringBuilder text = new StringBuilder(time.exact(TimeText.epoch(event.time())));
    text.append("  ").append(event.by() == null ? "system" : event.by()).append("  ");
    text.append(
        switch (event.type()) {
          case OPENED -> "opened" + (event.problem() == null ? "" : ": " + event.problem());
          case CHANGED -> "changed" + (event.problem() == null ? "" : " to " + event.problem());
          case INACTIVE -> "flow normal again";
          case ACTIVE -> "faulty again";
          case ACKNOWLEDGED -> "acknowledged";
          case COMMENT -> "comment";
          case RESOLVED -> "resolved";
          case NOTIFIED -> "notified";
          case NOTIFY_FAILED -> "notification failed";
        });
    if (event.note() != null && !event.note().isBlank()) {
      text.append(": ").append(event.note());
    }
    return text.toString();
  }

  /** "2 h 5 min" since the shown occurrence began, until it was resolved or now. */
  public String openFor() {
    if (record == null) {
      return "";
    }
    long end =
        record.isResolved() && record.resolvedTime() != null
            ? record.resolvedTime()
            : clock.instant().getEpochSecond();
    return TimeText.span(Math.max(0, end - record.problemTime())).toLowerCase(Locale.ROOT);
  }
}
