package org.kloaka.console.view;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.kloaka.api.Push;
import org.kloaka.console.ConsoleWindow;
import org.kloaka.console.client.Backend;
import org.kloaka.console.client.ConnectionStatus;
import org.kloaka.console.client.LiveConnection;
import org.kloaka.console.viewmodel.ConsoleViewModel;
import org.kloaka.model.Device;
import org.kloaka.model.Filling;
import org.kloaka.model.Measurement;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemStatus;
import org.kloaka.model.ProblemType;
import org.kloaka.model.Reject;
import org.kloaka.model.SensorId;
import org.kloaka.network.NetworkDescription;
import org.testfx.api.FxToolkit;

/**
 * Not a test (its name keeps Surefire from running it by default): the line with 2,000 sensors
 * fitted into a 1440×900 window — the worst case, every sensor visible — while 500 device pushes a
 * second (and a problem push every second) arrive through the live listener. Prints the FX thread's
 * time per pulse (animation to end of layout: where the canvas is drawn), the time between pulses,
 * and the time spent applying push batches. Run:
 *
 * <pre>mvn -B -pl desktop -am test -Dtest=LineBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class LineBenchmark {

  static final String[] STREETS = {
    "Ilica",
    "Vlaška",
    "Savska",
    "Heinzelova",
    "Branimirova",
    "Vukovarska",
    "Selska",
    "Zagrebačka",
    "Maksimirska",
    "Jadranska",
    "Radnička",
    "Slavonska",
    "Dubrava",
    "Avenija",
    "Gajeva",
    "Frankopanska",
    "Palmotićeva",
    "Draškovićeva",
    "Petrinjska",
    "Mihanovićeva"
  };
  static final int TUBES = 20;
  static final int PER_TUBE = 100;
  static final int UPDATES_PER_SECOND = 500;
  static final Duration WARM_UP = Duration.ofSeconds(3);
  static final Duration MEASURE = Duration.ofSeconds(15);

  final ConcurrentLinkedQueue<Long> pulseNanos = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<Long> intervalNanos = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<Long> applyNanos = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<Long> pulseCpuNanos = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<Long> applyCpuNanos = new ConcurrentLinkedQueue<>();
  static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();
  long pulseCpuStart;
  long lastDraws;
  final ConcurrentLinkedQueue<Long> drawNanos = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<Long> pulseCpuWithoutDraw = new ConcurrentLinkedQueue<>();

  /**
   * The FX thread's CPU from the start of the pulse to the end of the scene's synchronisation with
   * the render graph (JavaFX's post-scene pulse listeners run then): the post-layout figures above
   * leave out "update bounds" and "copy state to render graph", which are FX-thread work too.
   */
  final ConcurrentLinkedQueue<Long> wholePulseCpuNanos = new ConcurrentLinkedQueue<>();

  com.sun.javafx.tk.TKPulseListener wholePulseEnd;
  volatile boolean measuring;
  final ConsoleWindow[] window = new ConsoleWindow[1];
  long pulseStart;
  long lastPulse;

  @Test
  void lineWith2000SensorsAt500UpdatesPerSecond() throws Exception {
    FxToolkit.registerPrimaryStage();
    Clock clock = Clock.systemUTC();
    long now = clock.instant().getEpochSecond();
    List<NetworkDescription.Tube> tubes = new ArrayList<>();
    List<Device> devices = new ArrayList<>();
    for (int t = 0; t < TUBES; t++) {
      List<NetworkDescription.Sensor> sensors = new ArrayList<>();
      for (int s = 1; s <= PER_TUBE; s++) {
        SensorId id = new SensorId(t, s);
        // Named manholes with coordinates, as a city's network file has them.
        sensors.add(
            new NetworkDescription.Sensor(
                id.toString(),
                "Manhole " + STREETS[t % STREETS.length] + " " + s,
                45.80 + t * 0.004,
                15.95 + s * 0.0008));
        devices.add(new Device(id, Filling.of(90), now - 60, null, null));
      }
      tubes.add(
          new NetworkDescription.Tube(
              Integer.toString(t), STREETS[t % STREETS.length] + " trunk", sensors, null));
    }
    Backend backend = new InMemory(new NetworkDescription(tubes), devices);

    Executor ui = Platform::runLater;
    ConsoleViewModel console =
        new ConsoleViewModel(backend, ui, clock, ZoneOffset.UTC, Duration.ofHours(1));
    LiveConnection.Listener live = console.liveListener();

    FxToolkit.setupFixture(
        () -> {
          new AnimationTimer() { // registered first: runs at the start of each pulse's animation
            // phase
            @Override
            public void handle(long at) {
              pulseStart = System.nanoTime();
              pulses++;
              fxThreadId = Thread.currentThread().getId();
              pulseCpuStart = THREADS.getCurrentThreadCpuTime();
              if (measuring && lastPulse != 0) {
                intervalNanos.add(pulseStart - lastPulse);
              }
              lastPulse = pulseStart;
            }
          }.start();
          // Internal API (the benchmark runs on the class path): the end of the whole pulse. The
          // toolkit holds its listeners weakly: the field keeps this one.
          wholePulseEnd =
              () -> {
                if (measuring && pulseStart != 0 && pulseCpuStart != 0) {
                  wholePulseCpuNanos.add(THREADS.getCurrentThreadCpuTime() - pulseCpuStart);
                  pulseCpuStart = 0;
                }
              };
          com.sun.javafx.tk.Toolkit.getToolkit().addPostSceneTkPulseListener(wholePulseEnd);
          ConsoleWindow window = new ConsoleWindow(console, null, 1440, 900);
          LineBenchmark.this.window[0] = window;
          window
              .scene()
              .addPostLayoutPulseListener(
                  () -> {
                    LineView view = LineBenchmark.this.window[0].view().lineView();
                    boolean drew = view.draws() != lastDraws;
                    if (measuring && drew) {
                      drawNanos.add(view.lastDrawNanos());
                    }
                    lastDraws = view.draws();
                    if (measuring && pulseStart != 0) {
                      long cpu = THREADS.getCurrentThreadCpuTime() - pulseCpuStart;
                      pulseNanos.add(System.nanoTime() - pulseStart);
                      pulseCpuNanos.add(cpu);
                      if (!drew) {
                        pulseCpuWithoutDraw.add(cpu);
                      }
                    }
                  });
          Stage stage = new Stage();
          window.show(stage, console, () -> {});
          // Time each batch of pushes applied on the FX thread (once per frame, as the window
          // drains them).
          console.drainOn(task -> window.frames().execute(timed(task)));
          live.status(ConnectionStatus.of(ConnectionStatus.State.SYNCING, clock.instant()));
          live.opened();
        });

    Random random = new Random(42);
    ScheduledExecutorService pusher = Executors.newSingleThreadScheduledExecutor();
    long[] tick = {0};
    int perTick = UPDATES_PER_SECOND / 100;
    pusher.scheduleAtFixedRate(
        () -> {
          long second = Instant.now().getEpochSecond();
          for (int i = 0; i < perTick; i++) {
            SensorId id = new SensorId(random.nextInt(TUBES), 1 + random.nextInt(PER_TUBE));
            long value =
                switch (random.nextInt(10)) {
                  case 0 -> 40;
                  case 1 -> 10;
                  default -> 80 + random.nextInt(20);
                };
            live.pushed(new Push.DevicePush(new Push.DeviceState(id, Filling.of(value), second)));
          }
          if (++tick[0] % 100 == 0) {
            SensorId up = new SensorId(random.nextInt(TUBES), 1 + random.nextInt(PER_TUBE - 1));
            SensorId down = new SensorId(up.tube(), up.sensor() + 1);
            live.pushed(
                new Push.ProblemPush(
                    new Problem(
                        Problem.idOf(up, down),
                        ProblemType.OBSTRUCTION,
                        second,
                        ProblemStatus.UNRESOLVED,
                        up,
                        down,
                        Filling.of(100),
                        Filling.of(40),
                        true,
                        second,
                        null,
                        null,
                        null)));
          }
        },
        0,
        10,
        TimeUnit.MILLISECONDS);

    System.out.printf(
        Locale.ROOT,
        "%n=== LineBenchmark: %d sensors, %d updates/s, %d s per phase, window 1440x900, prism=%s, %d cores ===%n",
        TUBES * PER_TUBE,
        UPDATES_PER_SECOND,
        MEASURE.toSeconds(),
        System.getProperty("prism.order", "default"),
        Runtime.getRuntime().availableProcessors());
    phase("fitted: all 2,000 sensors visible (overview drawing)");
    FxToolkit.setupFixture(() -> window[0].view().lineView().zoomTo(1.0));
    phase("zoomed to 100 %: full detail, labels and badges");
    pusher.shutdownNow();
    burst(live, console);
    FxToolkit.cleanupStages();
  }

  Runnable timed(Runnable task) {
    return () -> {
      long start = System.nanoTime();
      long cpu = THREADS.getCurrentThreadCpuTime();
      task.run();
      if (measuring) {
        applyNanos.add(System.nanoTime() - start);
        applyCpuNanos.add(THREADS.getCurrentThreadCpuTime() - cpu);
      }
    };
  }

  void phase(String name) throws InterruptedException {
    pulseNanos.clear();
    intervalNanos.clear();
    applyNanos.clear();
    pulseCpuNanos.clear();
    drawNanos.clear();
    pulseCpuWithoutDraw.clear();
    wholePulseCpuNanos.clear();
    applyCpuNanos.clear();
    lastPulse = 0;
    Thread.sleep(WARM_UP.toMillis()); // a benchmark's fixed phases, not waiting for a condition
    long[] cpuBefore = threadCpu();
    long pulsesBefore = pulses;
    measuring = true;
    Thread.sleep(MEASURE.toMillis());
    measuring = false;
    long[] cpuAfter = threadCpu();
    System.out.println("-- " + name);
    System.out.printf(
        Locale.ROOT,
        "CPU per second of the phase: FX thread %.0f ms, renderer %.0f ms; %.1f pulses/s%n",
        (cpuAfter[0] - cpuBefore[0]) / 1e6 / MEASURE.toSeconds(),
        (cpuAfter[1] - cpuBefore[1]) / 1e6 / MEASURE.toSeconds(),
        (pulses - pulsesBefore) / (double) MEASURE.toSeconds());
    report("FX pulse, wall (animation..layout, incl. canvas draw)", pulseNanos);
    report("FX pulse, FX thread CPU time", pulseCpuNanos);
    report("of which the line's draw(), wall", drawNanos);
    report("FX pulse CPU time, pulses without a line draw", pulseCpuWithoutDraw);
    report("whole FX pulse CPU time (to the end of the sync)", wholePulseCpuNanos);
    report("time between pulses", intervalNanos);
    report("push batch applied on FX thread, wall", applyNanos);
    report("push batch applied on FX thread, CPU time", applyCpuNanos);
    System.out.printf(
        Locale.ROOT,
        "load average %.2f on %d cores%n",
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        Runtime.getRuntime().availableProcessors());
  }

  /**
   * 10,000 device pushes at once (as after a gateway's backlog), fitted view, while an operator's
   * "click" — a selection change handed to the FX thread like an input event — is timed every 20 ms
   * from hand-over to handled.
   */
  void burst(LiveConnection.Listener live, ConsoleViewModel console) throws Exception {
    FxToolkit.setupFixture(() -> window[0].view().lineView().fit());
    Thread.sleep(WARM_UP.toMillis()); // a benchmark's fixed phases, not waiting for a condition
    ConcurrentLinkedQueue<Long> clicks = new ConcurrentLinkedQueue<>();
    Random random = new Random(7);
    long second = Instant.now().getEpochSecond();
    Thread flood =
        new Thread(
            () -> {
              for (int i = 0; i < 10_000; i++) {
                SensorId id = new SensorId(random.nextInt(TUBES), 1 + random.nextInt(PER_TUBE));
                live.pushed(
                    new Push.DevicePush(
                        new Push.DeviceState(id, Filling.of(random.nextInt(101)), second)));
              }
            });
    long start = System.nanoTime();
    flood.start();
    int k = 0;
    while (flood.isAlive() || System.nanoTime() - start < 3_000_000_000L) {
      long asked = System.nanoTime();
      SensorId id = new SensorId(k % TUBES, 1 + k % PER_TUBE);
      k++;
      CompletableFuture<Void> done = new CompletableFuture<>();
      Platform.runLater(
          () -> {
            console.selection().set(new org.kloaka.console.viewmodel.Selection.Sensor(id));
            done.complete(null);
          });
      done.get(30, TimeUnit.SECONDS);
      clicks.add(System.nanoTime() - asked);
      Thread.sleep(20);
    }
    System.out.println("-- burst: 10,000 device pushes at once, fitted view");
    report("'click' handed to the FX thread until handled", clicks);
  }

  volatile long pulses;
  volatile long fxThreadId = -1;

  /** CPU time so far of the FX thread and of the renderer thread(s), in nanoseconds. */
  long[] threadCpu() {
    long fx = 0;
    long render = 0;
    for (java.lang.management.ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long cpu = Math.max(0, THREADS.getThreadCpuTime(info.getThreadId()));
      if (info.getThreadId() == fxThreadId) {
        fx += cpu;
      } else if (info.getThreadName().startsWith("QuantumRenderer")) {
        render += cpu;
      }
    }
    return new long[] {fx, render};
  }

  static void report(String what, ConcurrentLinkedQueue<Long> nanos) {
    long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    if (sorted.length == 0) {
      System.out.println(what + ": no samples");
      return;
    }
    System.out.printf(
        Locale.ROOT,
        "%-55s n=%5d  p50=%6.2f ms  p99=%6.2f ms  max=%6.2f ms  mean=%6.2f ms%n",
        what,
        sorted.length,
        ms(sorted[sorted.length / 2]),
        ms(sorted[(int) (sorted.length * 0.99)]),
        ms(sorted[sorted.length - 1]),
        Arrays.stream(sorted).average().orElse(0) / 1e6);
  }

  static double ms(long nanos) {
    return nanos / 1e6;
  }

  /** The REST side of the benchmark: the network and the devices, nothing else. */
  record InMemory(NetworkDescription file, List<Device> known, List<Problem> open)
      implements Backend {

    InMemory(NetworkDescription file, List<Device> known) {
      this(file, known, List.of());
    }

    @Override
    public URI address() {
      return URI.create("http://benchmark");
    }

    @Override
    public CompletableFuture<NetworkDescription> network() {
      return CompletableFuture.completedFuture(file);
    }

    @Override
    public CompletableFuture<List<Device>> devices() {
      return CompletableFuture.completedFuture(known);
    }

    @Override
    public CompletableFuture<Device> device(SensorId id) {
      return CompletableFuture.failedFuture(new UnsupportedOperationException());
    }

    @Override
    public CompletableFuture<List<Measurement>> measurements(
        SensorId id, Instant since, Instant until, int limit) {
      return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public CompletableFuture<List<Problem>> problems(ProblemStatus status) {
      return CompletableFuture.completedFuture(open);
    }

    @Override
    public CompletableFuture<Problem> resolve(String problemId, String note) {
      return CompletableFuture.failedFuture(new UnsupportedOperationException());
    }

    @Override
    public CompletableFuture<List<Reject>> rejects(int limit) {
      return CompletableFuture.completedFuture(List.of());
    }
  }
}
