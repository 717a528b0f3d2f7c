package org.kloaka.console.viewmodel;

import java.util.concurrent.Executor;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.kloaka.console.client.Backend;
import org.kloaka.console.client.BackendException;
import org.kloaka.model.Reject;

/** The "Rejected messages" tab: what devices sent that Kloaka refused, and why, newest first. */
public final class RejectsViewModel {

  static final int LIMIT = 500;

  private final Backend backend;
  private final Executor ui;
  private final ObservableList<Reject> rows = FXCollections.observableArrayList();
  private final ReadOnlyStringWrapper state = new ReadOnlyStringWrapper(this, "state", "");

  public RejectsViewModel(Backend backend, Executor ui) {
    this.backend = backend;
    this.ui = ui;
  }

  public ObservableList<Reject> rows() {
    return rows;
  }

  /** "loading…", "No rejected messages — …", an error, or empty. */
  public ReadOnlyStringProperty state() {
    return state.getReadOnlyProperty();
  }

  public void refresh() {
    state.set("loading…");
    backend
        .rejects(LIMIT)
        .whenCompleteAsync(
            (list, failure) -> {
              if (failure != null) {
                state.set(
                    "Could not load rejected messages: " + BackendException.describe(failure));
                return;
              }
              rows.setAll(list);
              state.set(
                  list.isEmpty()
                      ? "No rejected messages — everything devices sent was understood."
                      : "");
            },
            ui);
  }
}
