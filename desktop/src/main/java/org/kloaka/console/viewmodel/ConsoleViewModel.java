package org.kloaka.console.viewmodel;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.kloaka.api.Push;
import org.kloaka.console.client.Backend;
import org.kloaka.console.client.BackendException;
import org.kloaka.console.client.ConnectionStatus;
import org.kloaka.console.client.ConnectionStatus.State;
import org.kloaka.console.client.LiveConnection;
import org.kloaka.model.Device;
import org.kloaka.model.Problem;
import org.kloaka.network.NetworkDescription;

/**
 * The console's state as a whole, and the one place where the live connection and the REST state
 * meet: after every (re)connect the line, the devices and the problems are re-read from REST
 * (docs/websocket.md: the REST state is the truth), and pushes that arrive meanwhile are held back
 * and applied after that snapshot, each only if it is newer than what the snapshot said.
 *
 * <p>Pushes arrive on the WebSocket's thread; they are queued and applied in batches on the FX
 * thread — once per frame when a window is showing ({@link #drainOn}) — so 500 pushes a second cost
 * a handful of redraws, not 500.
 */
public final class ConsoleViewModel {

  private final Backend backend;
  private final Executor ui;
  private final StatusViewModel status;
  private final LineViewModel line;
  private final ProblemsViewModel problems;
  private final DetailsViewModel details;
  private final RejectsViewModel rejects;
  private final TimeText time;
  private final ObjectProperty<Selection> selection = new SimpleObjectProperty<>(this, "selection");

  private final Queue<Push> inbox = new ConcurrentLinkedQueue<>();

  /** Where the push drain runs: {@code ui} until a window hands over its per-frame executor. */
  private volatile Executor drains;

  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final List<Push> heldBack = new ArrayList<>();
  private final Clock clock;
  private boolean syncing;
  private boolean draining;
  private boolean refreshDetails;
  private long syncGeneration;

  /** When the last re-sync failed (it is tried again), or null. */
  private Instant resyncFailedAt;

  /**
   * More pushes than this in a second is a burst (a gateway's backlog, a city's sensors at once):
   * the table and the line's data redraws slow down while it lasts (decision 037).
   */
  static final int BURST_PUSHES_PER_SECOND = 200;

  /**
   * At most this many pushes are applied in one drain (one frame): a second's worth at the rate of
   * a heavy burst, some 10–20 ms of the FX thread; the rest waits for the next frame.
   */
  static final int PUSHES_PER_DRAIN = 1_000;

  private final javafx.beans.property.BooleanProperty bursting =
      new javafx.beans.property.SimpleBooleanProperty(this, "bursting");

  private Instant pushWindowStart;
  private int pushesInWindow;

  /** How long after a failed re-sync the next one starts. */
  static final Duration RESYNC_RETRY = Duration.ofSeconds(5);

  /**
   * @param ui runs work on the FX thread ({@code Platform::runLater}); a direct executor in tests
   */
  public ConsoleViewModel(
      Backend backend, Executor ui, Clock clock, ZoneId zone, Duration staleAfter) {
    this.backend = backend;
    this.ui = ui;
    this.drains = ui;
    this.clock = clock;
    this.time = new TimeText(zone);
    this.status = new StatusViewModel(clock, time);
    this.line = new LineViewModel(clock, staleAfter);
    this.problems = new ProblemsViewModel(backend, ui, clock, status::show);
    this.details = new DetailsViewModel(backend, ui, line, problems, time);
    this.rejects = new RejectsViewModel(backend, ui, clock, time);
    status.address(backend.address().toString());
    javafx.beans.InvalidationListener counts =
        o ->
            status.counts(
                problems.activeCount().get(),
                problems.clearedCount().get(),
                problems.silentCount().get(),
                line.reportingCount().get());
    problems.activeCount().addListener(counts);
    problems.clearedCount().addListener(counts);
    problems.silentCount().addListener(counts);
    line.reportingCount().addListener(counts);
    problems.names(id -> line.sensor(id).map(SensorNode::name).orElse(null));
    details.onSelect(selection::set);
    problems.onChange(
        problem -> {
          line.apply(problem);
          if (draining) {
            refreshDetails = true; // once, at the end of the batch
          } else {
            line.commit();
            details.refresh();
          }
        });
    selection.addListener((o, was, now) -> details.show(now));
    details.timeline().messages(status::show);
    details.timeline().mayAct().bind(status.mayAct());
    details.readOnly().bind(status.readOnly());
    details.readOnlyReason().bind(status.readOnlyReason());
    details.readOnly().addListener((o, was, now) -> details.refresh());
  }

  public StatusViewModel status() {
    return status;
  }

  public LineViewModel line() {
    return line;
  }

  public ProblemsViewModel problems() {
    return problems;
  }

  public DetailsViewModel details() {
    return details;
  }

  public RejectsViewModel rejects() {
    return rejects;
  }

  /** Times in the operator's zone, for the views. */
  public TimeText time() {
    return time;
  }

  public Backend backend() {
    return backend;
  }

  /** The selected sensor or pair, shared by the line, the problems table and the details. */
  public ObjectProperty<Selection> selection() {
    return selection;
  }

  /**
   * Pushes are drained on {@code frames} from now on — once per frame ({@code PulseExecutor}), so
   * that however fast they arrive, the FX thread applies them as one batch per pulse and input
   * events never queue behind a chain of drains (decision 033). Null: back to {@code ui}.
   */
  public void drainOn(Executor frames) {
    drains = frames == null ? ui : frames;
  }

  /**
   * Whether pushes arrive as a burst: more than {@link #BURST_PUSHES_PER_SECOND} in the last whole
   * second. Judged on the FX thread as pushes are drained and at each {@link #tick}.
   */
  public javafx.beans.property.ReadOnlyBooleanProperty bursting() {
    return bursting;
  }

  private void countPushes(int drained) {
    Instant now = clock.instant();
    if (pushWindowStart == null) {
      pushWindowStart = now;
    }
    pushesInWindow += drained;
    Duration open = Duration.between(pushWindowStart, now);
    if (open.compareTo(Duration.ofSeconds(1)) >= 0) {
      bursting.set(
          pushesInWindow > BURST_PUSHES_PER_SECOND * Math.max(1, open.toMillis() / 1000.0));
      pushWindowStart = now;
      pushesInWindow = 0;
    } else if (pushesInWindow > BURST_PUSHES_PER_SECOND) {
      bursting.set(true); // at once, not only when the second is over
    }
  }

  /** What the live connection reports, marshalled onto the {@code ui} executor. */
  public LiveConnection.Listener liveListener() {
    return new LiveConnection.Listener() {
      @Override
      public void opened() {
        ui.execute(ConsoleViewModel.this::resync);
      }

      @Override
      public void pushed(Push push) {
        inbox.add(push);
        if (drainScheduled.compareAndSet(false, true)) {
          drains.execute(ConsoleViewModel.this::drain);
        }
      }

      @Override
      public void status(ConnectionStatus connection) {
        ui.execute(
            () -> {
              if (connection.state() == State.SYNCING
                  && !syncing
                  && status.connection().get().state() == State.LIVE) {
                return; // a late report of a sync that already finished
              }
              status.connection(connection);
            });
      }
    };
  }

  /** Re-reads network, devices and problems; pushes are held back until they are applied. */
  public void resync() {
    long generation = ++syncGeneration;
    syncing = true;
    CompletableFuture<NetworkDescription> network = backend.network();
    CompletableFuture<List<Device>> devices = backend.devices();
    CompletableFuture<List<Problem>> all = backend.problems(null);
    // Who is signed in: shown in the top bar, and whether Acknowledge and comments are offered.
    backend
        .me()
        .whenCompleteAsync(
            (me, failure) -> {
              if (generation == syncGeneration) {
                status.signedIn(failure == null ? me : null);
              }
            },
            ui);
    CompletableFuture.allOf(network, devices, all)
        .whenCompleteAsync(
            (ignored, failure) -> {
              if (generation != syncGeneration) {
                return; // a newer re-sync is under way
              }
              syncing = false;
              if (failure != null) {
                resyncFailedAt = clock.instant();
                status.show(
                    "Could not load the state from the backend: "
                        + BackendException.describe(failure));
                flushHeldBack();
                return;
              }
              if (resyncFailedAt != null) {
                resyncFailedAt = null;
                status.dismissMessage();
              }
              line.replace(network.join(), devices.join());
              line.replaceProblems(all.join());
              problems.replace(all.join());
              status.loaded();
              flushHeldBack();
              details.refresh();
              ConnectionStatus now = status.connection().get();
              if (now.state() == State.SYNCING) {
                status.connection(ConnectionStatus.of(State.LIVE, now.since()));
              }
            },
            ui);
  }

  private void flushHeldBack() {
    List<Push> pending = new ArrayList<>(heldBack);
    heldBack.clear();
    draining = true;
    try {
      problems.batch(() -> pending.forEach(this::applyOne));
    } finally {
      draining = false;
    }
    line.commit();
    if (refreshDetails) {
      refreshDetails = false;
      details.refresh();
    }
  }

  /**
   * Applies every push queued since the last drain as one batch: one problems re-sort, one line
   * revision, one details refresh, however many pushes arrived (decision 024).
   */
  private void drain() {
    drainScheduled.set(false);
    int[] any = {0};
    draining = true;
    try {
      problems.batch(
          () -> {
            for (Push push = inbox.poll(); push != null; push = nextInDrain(any[0])) {
              any[0]++;
              if (syncing) {
                heldBack.add(push);
              } else {
                applyOne(push);
              }
            }
          });
    } finally {
      draining = false;
    }
    if (any[0] > 0) {
      line.commit();
      status.event();
    }
    countPushes(any[0]);
    if (refreshDetails) {
      refreshDetails = false;
      details.refresh();
    }
    if ((problems.pendingRefresh() || !inbox.isEmpty())
        && drainScheduled.compareAndSet(false, true)) {
      // The table's turn, or the rest of a backlog, comes in a later frame.
      drains.execute(this::drain);
    }
  }

  /**
   * The next push of this drain, or null once {@link #PUSHES_PER_DRAIN} are applied: a backlog of
   * 10,000 pushes at once is spread over frames, not one frame of 0.2 s (decision 038).
   */
  private Push nextInDrain(int applied) {
    return applied >= PUSHES_PER_DRAIN ? null : inbox.poll();
  }

  private void applyOne(Push push) {
    if (push instanceof Push.DevicePush device && device.device() != null) {
      line.apply(device.device());
      if (selection.get() instanceof Selection.Sensor s && s.id().equals(device.device().id())) {
        refreshDetails = true;
      }
    } else if (push instanceof Push.ProblemPush problem && problem.problem() != null) {
      problems.apply(problem.problem());
    }
  }

  /**
   * Once a second or so: time-dependent texts, and a failed re-sync is tried again after {@link
   * #RESYNC_RETRY} (until it works the console does not claim to be in step).
   */
  public void tick() {
    countPushes(0); // a burst ends when pushes stop, drained or not
    status.tick();
    problems.tick();
    rejects.tick();
    if (resyncFailedAt != null
        && !syncing
        && !clock.instant().isBefore(resyncFailedAt.plus(RESYNC_RETRY))) {
      resync();
    }
  }

  /** The line's stale marks follow the clock: call now and then (every half minute is plenty). */
  public void tickSlow() {
    line.touch();
    details.refresh();
  }
}
