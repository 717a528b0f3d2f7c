package org.kloaka.console.viewmodel;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.kloaka.console.client.ConnectionStatus;
import org.kloaka.console.client.ConnectionStatus.State;

/**
 * The top bar and the status bar: the system's state in words, the connection, the backend's
 * address, the last event, and one message line for errors. Texts that depend on the time are
 * recomputed by {@link #tick()}.
 */
public final class StatusViewModel {

  private final Clock clock;
  private final TimeText time;
  private final ReadOnlyObjectWrapper<ConnectionStatus> connection;
  private final ReadOnlyStringWrapper connectionText =
      new ReadOnlyStringWrapper(this, "connectionText");
  private final ReadOnlyBooleanWrapper live = new ReadOnlyBooleanWrapper(this, "live");
  private final ReadOnlyStringWrapper address = new ReadOnlyStringWrapper(this, "address", "");
  private final ReadOnlyObjectWrapper<Instant> lastEvent =
      new ReadOnlyObjectWrapper<>(this, "lastEvent");
  private final ReadOnlyStringWrapper lastEventText =
      new ReadOnlyStringWrapper(this, "lastEventText", "no events yet");
  private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "");
  private final ReadOnlyBooleanWrapper alert = new ReadOnlyBooleanWrapper(this, "alert");
  private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title", "Kloaka");
  private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
  private final BooleanProperty sound = new SimpleBooleanProperty(this, "sound", false);
  private final BooleanProperty largeText = new SimpleBooleanProperty(this, "largeText", false);
  private final ObjectProperty<String> emptyHint =
      new SimpleObjectProperty<>(this, "emptyHint", "");
  private int unresolved;
  private boolean loaded;

  public StatusViewModel(Clock clock, TimeText time) {
    this.clock = clock;
    this.time = time;
    this.connection =
        new ReadOnlyObjectWrapper<>(
            this, "connection", ConnectionStatus.of(State.CONNECTING, clock.instant()));
    tick();
  }

  public ReadOnlyObjectProperty<ConnectionStatus> connection() {
    return connection.getReadOnlyProperty();
  }

  /** "connected", "syncing…", "reconnecting in 4 s", "offline since 2026-11-28 14:05". */
  public ReadOnlyStringProperty connectionText() {
    return connectionText.getReadOnlyProperty();
  }

  /** True while the shown state is in step with the backend; false greys the view. */
  public ReadOnlyBooleanProperty live() {
    return live.getReadOnlyProperty();
  }

  public ReadOnlyStringProperty address() {
    return address.getReadOnlyProperty();
  }

  public ReadOnlyObjectProperty<Instant> lastEvent() {
    return lastEvent.getReadOnlyProperty();
  }

  public ReadOnlyStringProperty lastEventText() {
    return lastEventText.getReadOnlyProperty();
  }

  /** "All flows normal" / "1 unresolved problem" / "3 unresolved problems". */
  public ReadOnlyStringProperty summary() {
    return summary.getReadOnlyProperty();
  }

  /** True while there are unresolved problems. */
  public ReadOnlyBooleanProperty alert() {
    return alert.getReadOnlyProperty();
  }

  /** The window title, with the count of unresolved problems. */
  public ReadOnlyStringProperty title() {
    return title.getReadOnlyProperty();
  }

  /** The last error worth telling the operator, or empty. */
  public ReadOnlyStringProperty message() {
    return message.getReadOnlyProperty();
  }

  public BooleanProperty sound() {
    return sound;
  }

  public BooleanProperty largeText() {
    return largeText;
  }

  /** What to do when the line is empty (names the real MQTT address when known). */
  public ObjectProperty<String> emptyHint() {
    return emptyHint;
  }

  public void address(String text) {
    address.set(text);
  }

  public void connection(ConnectionStatus status) {
    connection.set(status);
    tick();
  }

  public void event() {
    lastEvent.set(clock.instant());
    tick();
  }

  public void show(String text) {
    message.set(text == null ? "" : text);
  }

  public void dismissMessage() {
    message.set("");
  }

  /** After a (re-)sync: the summary counts become meaningful. */
  void loaded() {
    loaded = true;
    unresolved(unresolved);
  }

  void unresolved(int count) {
    unresolved = count;
    if (!loaded) {
      summary.set("Loading…");
      alert.set(false);
    } else if (count == 0) {
      summary.set("All flows normal");
      alert.set(false);
    } else {
      summary.set(count + (count == 1 ? " unresolved problem" : " unresolved problems"));
      alert.set(true);
    }
    title.set(count == 0 ? "Kloaka" : "(" + count + ") Kloaka — " + summary.get());
  }

  /** Recomputes the texts that depend on the time. */
  public void tick() {
    Instant now = clock.instant();
    ConnectionStatus status = connection.get();
    live.set(status.state() == State.LIVE);
    connectionText.set(
        switch (status.state()) {
          case CONNECTING -> "connecting…";
          case SYNCING -> "syncing…";
          case LIVE -> "connected";
          case STOPPED -> "offline since " + time.exact(status.since());
          case RECONNECTING -> {
            long seconds =
                status.nextAttempt() == null
                    ? 0
                    : Math.max(0, Duration.between(now, status.nextAttempt()).toMillis() + 999)
                        / 1000;
            yield (seconds <= 0 ? "reconnecting…" : "reconnecting in " + seconds + " s")
                + " (offline since "
                + time.exact(status.since())
                + ")";
          }
        });
    Instant last = lastEvent.get();
    lastEventText.set(
        last == null ? "no events yet" : "last event " + TimeText.relative(last, now));
  }
}
