package org.kloaka.console.viewmodel;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
import org.kloaka.model.Reject;

/**
 * The "Rejected messages" tab: what devices sent that Kloaka refused, and why, newest first. Live
 * while it is shown ({@link #active()}): the backend pushes no rejects (docs/websocket.md), so the
 * list is re-read every {@link #POLL_EVERY}; the rows are replaced only when the answer differs, so
 * the selection and the scroll position stay while nothing new came.
 */
public final class RejectsViewModel {

  static final int LIMIT = 500;

  /** How often the shown tab re-reads the list. */
  public static final Duration POLL_EVERY = Duration.ofSeconds(5);

  private final Backend backend;
  private final Executor ui;
  private final Clock clock;
  private final TimeText time;
  private final ObservableList<Reject> rows = FXCollections.observableArrayList();
  private final ReadOnlyStringWrapper state = new ReadOnlyStringWrapper(this, "state", "");
  private final ReadOnlyStringWrapper empty =
      new ReadOnlyStringWrapper(this, "empty", "No rejected messages loaded yet.");
  private final ReadOnlyStringWrapper detail = new ReadOnlyStringWrapper(this, "detail", "");
  private final ObjectProperty<Reject> selected = new SimpleObjectProperty<>(this, "selected");
  private final BooleanProperty active = new SimpleBooleanProperty(this, "active");
  private Instant lastAsked;
  private boolean loading;

  public RejectsViewModel(Backend backend, Executor ui, Clock clock, TimeText time) {
    this.backend = backend;
    this.ui = ui;
    this.clock = clock;
    this.time = time;
    selected.addListener((o, was, now) -> detail.set(describe(now)));
    active.addListener(
        (o, was, now) -> {
          if (now) {
            refresh();
          }
        });
  }

  public ObservableList<Reject> rows() {
    return rows;
  }

  /** "loading…", "updated 14:05:03", or why the list could not be read. */
  public ReadOnlyStringProperty state() {
    return state.getReadOnlyProperty();
  }

  /** What the empty table says (one message, in the table). */
  public ReadOnlyStringProperty empty() {
    return empty.getReadOnlyProperty();
  }

  /** The selected reject in full: its reason, when, and the whole payload kept (up to 4 KiB). */
  public ReadOnlyStringProperty detail() {
    return detail.getReadOnlyProperty();
  }

  public ObjectProperty<Reject> selected() {
    return selected;
  }

  /** True while the tab is shown: the list is then kept current. */
  public BooleanProperty active() {
    return active;
  }

  /** Once a second: re-reads the list every {@link #POLL_EVERY} while the tab is shown. */
  public void tick() {
    if (active.get()
        && !loading
        && (lastAsked == null || !clock.instant().isBefore(lastAsked.plus(POLL_EVERY)))) {
      refresh();
    }
  }

  public void refresh() {
    loading = true;
    lastAsked = clock.instant();
    if (rows.isEmpty()) {
      state.set("loading…");
    }
    backend
        .rejects(LIMIT)
        .whenCompleteAsync(
            (list, failure) -> {
              loading = false;
              if (failure != null) {
                state.set(
                    "Could not load rejected messages: " + BackendException.describe(failure));
                return;
              }
              show(list == null ? List.of() : list);
            },
            ui);
  }

  private void show(List<Reject> list) {
    if (!rows.equals(list)) {
      Reject keep = selected.get();
      rows.setAll(list);
      selected.set(keep != null && list.contains(keep) ? keep : null);
    }
    empty.set("No rejected messages — everything devices sent was understood.");
    state.set("updated " + time.exactSeconds(clock.instant()).substring(11));
  }

  private String describe(Reject reject) {
    if (reject == null) {
      return "";
    }
    return "Why: "
        + reject.reason()
        + "\nReceived: "
        + time.exactSeconds(TimeText.epoch(reject.received()))
        + "\nPayload ("
        + reject.payload().length()
        + " characters as stored, up to 4 KiB):\n"
        + reject.payload();
  }
}
