package org.kloaka.console.viewmodel;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executor;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.kloaka.console.client.Backend;
import org.kloaka.console.client.BackendException;
import org.kloaka.model.PairInsights;

/**
 * The "Hot spots" tab: the pairs (and silent sensors) that fault again and again, worst first, over
 * a chosen window ({@code GET /insights/pairs?days=N}, docs/api.md "Hot spots"). Read when the tab
 * is shown, when the window changes, on "Refresh", and — while shown — after problems changed
 * ({@link #problemsChanged()}, which the view debounces).
 */
public final class HotSpotsViewModel {

  /** The windows offered, in days. */
  public static final List<Integer> WINDOWS = List.of(7, 30, 90, 365);

  private final Backend backend;
  private final Executor ui;
  private final Clock clock;
  private final TimeText time;
  private final ObservableList<PairInsights.Row> rows = FXCollections.observableArrayList();
  private final ObjectProperty<Integer> days = new SimpleObjectProperty<>(this, "days", 30);
  private final BooleanProperty active = new SimpleBooleanProperty(this, "active");
  private final ReadOnlyStringWrapper state = new ReadOnlyStringWrapper(this, "state", "");
  private final ReadOnlyStringWrapper empty =
      new ReadOnlyStringWrapper(this, "empty", "Hot spots are loaded when this tab is shown.");
  private long request;
  private boolean stale = true;

  public HotSpotsViewModel(Backend backend, Executor ui, Clock clock, TimeText time) {
    this.backend = backend;
    this.ui = ui;
    this.clock = clock;
    this.time = time;
    days.addListener((o, was, now) -> refresh());
    active.addListener(
        (o, was, now) -> {
          if (now && stale) {
            refresh();
          }
        });
  }

  public ObservableList<PairInsights.Row> rows() {
    return rows;
  }

  /** The window in days: one of {@link #WINDOWS}. */
  public ObjectProperty<Integer> days() {
    return days;
  }

  /** True while the tab is shown. */
  public BooleanProperty active() {
    return active;
  }

  /** "loading…", "12 pairs · updated 14:05:03", or why the ranking could not be read. */
  public ReadOnlyStringProperty state() {
    return state.getReadOnlyProperty();
  }

  /** What the empty table says. */
  public ReadOnlyStringProperty empty() {
    return empty.getReadOnlyProperty();
  }

  /** Problems changed: re-read now if shown, else when the tab is shown next. */
  public void problemsChanged() {
    stale = true;
    if (active.get()) {
      refresh();
    }
  }

  public void refresh() {
    long mine = ++request;
    int window = days.get() == null ? 30 : days.get();
    stale = false;
    state.set("loading…");
    backend
        .hotSpots(window)
        .whenCompleteAsync(
            (answer, failure) -> {
              if (mine != request) {
                return; // a newer request is under way
              }
              if (failure != null) {
                stale = true;
                state.set("Could not load the hot spots: " + BackendException.describe(failure));
                return;
              }
              rows.setAll(answer.pairs());
              empty.set(
                  "No problems opened in the last "
                      + window
                      + " days — nothing faulted again and again.");
              int n = answer.pairs().size();
              state.set(
                  (n == 1 ? "1 pair" : n + " pairs")
                      + " with problems in the last "
                      + window
                      + " days · updated "
                      + time.exactSeconds(clock.instant()).substring(11));
            },
            ui);
  }

  /** "01 · Manhole 14 → 02": ids, with the network file's names where it has them. */
  public static String pairText(PairInsights.Row row) {
    PairInsights.Names names = row.names();
    String up = label(row.upstreamId(), names == null ? null : names.upstream());
    if (row.downstreamId() == null) {
      return up + " (silent)";
    }
    return up + " → " + label(row.downstreamId(), names == null ? null : names.downstream());
  }

  /** A sensor as the line labels it: {@code 01 · Manhole 14}, or the id alone. */
  public static String label(Object id, String name) {
    return name == null || name.isBlank() ? String.valueOf(id) : id + " · " + name;
  }

  /** A length of time to the minute: "45 s", "12 min", "3 h 20 min", "2 d 4 h"; null as "—". */
  public static String duration(Long seconds) {
    if (seconds == null) {
      return "—";
    }
    long s = seconds;
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return s / 60 + " min";
    }
    if (s < 86_400) {
      long minutes = s / 60 % 60;
      return s / 3600 + " h" + (minutes == 0 ? "" : " " + minutes + " min");
    }
    long hours = s / 3600 % 24;
    return s / 86_400 + " d" + (hours == 0 ? "" : " " + hours + " h");
  }
}
