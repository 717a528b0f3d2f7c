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
 * address, the last event, and one message line: an error, or information (an export written).
 * Texts that depend on the time are recomputed by {@link #tick()}.
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
  private final ReadOnlyBooleanWrapper messageIsInfo =
      new ReadOnlyBooleanWrapper(this, "messageIsInfo");
  private final BooleanProperty sound = new SimpleBooleanProperty(this, "sound", false);
  private final BooleanProperty largeText = new SimpleBooleanProperty(this, "largeText", false);
  private final ObjectProperty<String> emptyHint =
      new SimpleObjectProperty<>(this, "emptyHint", "");
  private final ReadOnlyObjectWrapper<Headline> headline =
      new ReadOnlyObjectWrapper<>(this, "headline", Headline.LOADING);
  private final ReadOnlyBooleanWrapper offline = new ReadOnlyBooleanWrapper(this, "offline");
  private final ReadOnlyStringWrapper banner = new ReadOnlyStringWrapper(this, "banner", "");
  private final ReadOnlyStringWrapper signedIn = new ReadOnlyStringWrapper(this, "signedIn", "");
  private final ReadOnlyBooleanWrapper mayAct = new ReadOnlyBooleanWrapper(this, "mayAct");
  private final ReadOnlyBooleanWrapper readOnly = new ReadOnlyBooleanWrapper(this, "readOnly");
  private final ReadOnlyStringWrapper readOnlyReason =
      new ReadOnlyStringWrapper(this, "readOnlyReason", "");
  private Runnable retry = () -> {};
  private int active;
  private int cleared;
  private int silent;
  private int reporting;
  private boolean loaded;

  /** When the backend was last lost, kept across retries until it is back; null while in step. */
  private Instant offlineSince;

  /** What the headline says, as a style: each has a CSS pseudo-class of its name in lower case. */
  public enum Headline {
    /** Before the first load. */
    LOADING,
    /** No sensor has ever reported: nothing to judge yet. */
    EMPTY,
    /** Every pair flows as it should and nothing waits for an operator. */
    NORMAL,
    /** No pair is faulty now, but cleared problems wait to be resolved. */
    ATTENTION,
    /** At least one pair is faulty now. */
    ALERT
  }

  public StatusViewModel(Clock clock, TimeText time) {
    this.clock = clock;
    this.time = time;
    this.connection =
        new ReadOnlyObjectWrapper<>(
            this, "connection", ConnectionStatus.of(State.CONNECTING, clock.instant()));
    summarize();
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

  /** True while at least one pair is faulty now (an active problem). */
  public ReadOnlyBooleanProperty alert() {
    return alert.getReadOnlyProperty();
  }

  public ReadOnlyObjectProperty<Headline> headline() {
    return headline.getReadOnlyProperty();
  }

  /** The backend is lost: what is shown is the last known state. */
  public ReadOnlyBooleanProperty offline() {
    return offline.getReadOnlyProperty();
  }

  /** The line across the window while not in step: "Offline since …", "Connecting to …", or "". */
  public ReadOnlyStringProperty banner() {
    return banner.getReadOnlyProperty();
  }

  /** When the backend was lost (fixed across retries), or null while connected. */
  public Instant offlineSince() {
    return offlineSince;
  }

  /** "ana · operator": who the token belongs to (GET /me), or empty while unknown. */
  public ReadOnlyStringProperty signedIn() {
    return signedIn.getReadOnlyProperty();
  }

  /** Whether the caller may acknowledge and comment (role operator or admin). */
  public ReadOnlyBooleanProperty mayAct() {
    return mayAct.getReadOnlyProperty();
  }

  /**
   * True when {@code GET /me} names a role that may only look (viewer, ingest): Resolve is offered
   * to nobody then, not only Acknowledge and comments. Unknown (an older backend without /me) is
   * not read-only: such a backend answers a resolve as before.
   */
  public ReadOnlyBooleanProperty readOnly() {
    return readOnly.getReadOnlyProperty();
  }

  /** Why the commands are off while {@link #readOnly()}: for the operator to read. */
  public ReadOnlyStringProperty readOnlyReason() {
    return readOnlyReason.getReadOnlyProperty();
  }

  /** What {@code GET /me} answered; null when the backend does not say (an older one). */
  public void signedIn(org.kloaka.api.Responses.Me me) {
    if (me == null) {
      signedIn.set("");
      mayAct.set(false);
      readOnly.set(false);
      readOnlyReason.set("");
      return;
    }
    String role = me.role() == null ? "?" : me.role().name().toLowerCase(java.util.Locale.ROOT);
    signedIn.set(me.name() + " · " + role);
    boolean may =
        me.role() == org.kloaka.model.Role.OPERATOR || me.role() == org.kloaka.model.Role.ADMIN;
    mayAct.set(may);
    readOnly.set(!may);
    readOnlyReason.set(
        may
            ? ""
            : "View only: signed in as "
                + me.name()
                + " ("
                + role
                + "). Acknowledging, resolving and comments need an operator's token.");
  }

  /** What "Retry now" does (the session's live connection tries again at once). */
  public void onRetry(Runnable action) {
    this.retry = action;
  }

  public void retryNow() {
    retry.run();
  }

  /** The window title, with the count of unresolved problems. */
  public ReadOnlyStringProperty title() {
    return title.getReadOnlyProperty();
  }

  /** The last error (or information) worth telling the operator, or empty. */
  public ReadOnlyStringProperty message() {
    return message.getReadOnlyProperty();
  }

  /** True when {@link #message()} is information ({@link #inform}), not an error. */
  public ReadOnlyBooleanProperty messageIsInfo() {
    return messageIsInfo.getReadOnlyProperty();
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
    tick();
  }

  public void connection(ConnectionStatus status) {
    switch (status.state()) {
      case LIVE -> offlineSince = null;
      case RECONNECTING, STOPPED -> {
        if (offlineSince == null) {
          offlineSince = status.since();
        }
      }
      default -> {}
    }
    connection.set(status);
    tick();
  }

  public void event() {
    lastEvent.set(clock.instant());
    tick();
  }

  /** Shows an error. */
  public void show(String text) {
    messageIsInfo.set(false);
    message.set(text == null ? "" : text);
  }

  /** Shows information — what was done, not what went wrong — in a neutral style. */
  public void inform(String text) {
    messageIsInfo.set(true);
    message.set(text == null ? "" : text);
  }

  public void dismissMessage() {
    message.set("");
  }

  /** After a (re-)sync: the summary counts become meaningful. */
  void loaded() {
    loaded = true;
    summarize();
  }

  /**
   * The counts the headline tells apart: pairs faulty now, problems whose flow is normal again but
   * not resolved, and sensors that have reported at all.
   */
  void counts(int activeProblems, int clearedProblems, int reportingSensors) {
    counts(activeProblems, clearedProblems, 0, reportingSensors);
  }

  /** As above, with the sensors an open SILENT record names, counted apart. */
  void counts(int activeProblems, int clearedProblems, int silentSensors, int reportingSensors) {
    active = activeProblems;
    cleared = clearedProblems;
    silent = silentSensors;
    reporting = reportingSensors;
    summarize();
  }

  private void summarize() {
    String text;
    Headline look;
    if (!loaded) {
      text = "Loading…";
      look = Headline.LOADING;
    } else if (active > 0) {
      text =
          plural(active, "active problem")
              + (cleared > 0 ? " · " + cleared + " cleared" : "")
              + (silent > 0 ? " · " + silent + " silent" : "");
      look = Headline.ALERT;
    } else if (cleared > 0 || silent > 0) {
      text =
          "Flowing normally"
              + (silent > 0 ? " · " + plural(silent, "silent sensor") : "")
              + (cleared > 0 ? " · " + plural(cleared, "cleared problem") + " to resolve" : "");
      look = Headline.ATTENTION;
    } else if (reporting == 0) {
      text = "No readings yet";
      look = Headline.EMPTY;
    } else {
      text = "All flows normal";
      look = Headline.NORMAL;
    }
    summary.set(text);
    headline.set(look);
    alert.set(look == Headline.ALERT);
    int open = active + cleared + silent;
    title.set(open == 0 ? "Kloaka" : "(" + open + ") Kloaka — " + text);
  }

  private static String plural(int n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
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
          case STOPPED -> "offline since " + time.exact(offlineSince);
          case RECONNECTING -> {
            long seconds =
                status.nextAttempt() == null
                    ? 0
                    : Math.max(0, Duration.between(now, status.nextAttempt()).toMillis() + 999)
                        / 1000;
            yield (seconds <= 0 ? "reconnecting…" : "reconnecting in " + seconds + " s")
                + " (offline since "
                + time.exact(offlineSince)
                + ")";
          }
        });
    boolean lost = status.state() == State.RECONNECTING || status.state() == State.STOPPED;
    offline.set(lost);
    banner.set(
        switch (status.state()) {
          case LIVE -> "";
          case CONNECTING -> "Connecting to " + address.get() + " …";
          case SYNCING -> "Connected — loading the state from " + address.get() + " …";
          case RECONNECTING, STOPPED ->
              "Offline since "
                  + time.exact(offlineSince)
                  + " ("
                  + TimeText.span(Math.max(0, now.getEpochSecond() - offlineSince.getEpochSecond()))
                  + ") — showing the last known state"
                  + (status.detail() == null ? "" : "; " + status.detail());
        });
    Instant last = lastEvent.get();
    lastEventText.set(
        last == null ? "no events yet" : "last event " + TimeText.relative(last, now));
  }
}
