package org.kloaka.console;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javafx.scene.Scene;
import org.kloaka.console.client.Backend;
import org.kloaka.console.view.MainView;
import org.kloaka.console.viewmodel.ConsoleViewModel;
import org.kloaka.console.viewmodel.Selection;
import org.kloaka.model.Device;
import org.kloaka.model.Filling;
import org.kloaka.model.Measurement;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemStatus;
import org.kloaka.model.ProblemType;
import org.kloaka.model.Reject;
import org.kloaka.model.SensorId;
import org.kloaka.network.NetworkDescription;

/**
 * While the backend is reached or the runtime starts, the console's window is built once for
 * nothing: a small made-up network with a problem, laid out with the stylesheet and thrown away.
 * The first real build then finds its classes loaded and linked, the stylesheet parsed and the
 * fonts made — most of what the first console window cost after the backend answered (decision
 * 037). Runs on the FX thread; nothing of it stays on screen or talks to anyone.
 */
final class WarmUp {

  private WarmUp() {}

  /** Builds, styles and lays out a console for a made-up network, then drops it. */
  static void run(double width, double height) {
    ConsoleViewModel console =
        new ConsoleViewModel(
            new MadeUp(), Runnable::run, Clock.systemUTC(), ZoneId.systemDefault(), Duration.ZERO);
    console.resync(); // everything MadeUp answers is there at once
    MainView view = new MainView(console, console.time(), null);
    Scene scene = new Scene(view, width, height);
    scene.getStylesheets().add(WarmUp.class.getResource(ConsoleWindow.STYLESHEET).toExternalForm());
    view.applyCss();
    view.layout();
    console.selection().set(new Selection.Pair(MadeUp.PROBLEM.problemId()));
    view.applyCss();
    view.layout();
  }

  /** A backend that answers at once with three sensors and one obstruction, and nothing else. */
  private static final class MadeUp implements Backend {

    static final long NOW = Instant.now().getEpochSecond();
    static final SensorId A = new SensorId(0, 1);
    static final SensorId B = new SensorId(0, 2);
    static final Problem PROBLEM =
        new Problem(
            Problem.idOf(A, B),
            ProblemType.OBSTRUCTION,
            NOW,
            ProblemStatus.UNRESOLVED,
            A,
            B,
            Filling.of(100),
            Filling.of(40),
            true,
            NOW,
            null,
            null,
            null);

    @Override
    public URI address() {
      return URI.create("http://warm-up.invalid");
    }

    @Override
    public CompletableFuture<NetworkDescription> network() {
      List<NetworkDescription.Sensor> sensors = new ArrayList<>();
      for (SensorId id : List.of(A, B, new SensorId(0, 3))) {
        sensors.add(new NetworkDescription.Sensor(id.toString(), "Manhole " + id, 45.8, 15.9));
      }
      return CompletableFuture.completedFuture(
          new NetworkDescription(
              List.of(new NetworkDescription.Tube("0", "Trunk", sensors, null))));
    }

    @Override
    public CompletableFuture<List<Device>> devices() {
      return CompletableFuture.completedFuture(
          List.of(
              new Device(A, Filling.of(100), NOW, null, null),
              new Device(B, Filling.of(40), NOW, null, null)));
    }

    @Override
    public CompletableFuture<Device> device(SensorId id) {
      return new CompletableFuture<>();
    }

    /** A reading a minute for the last hour: the details' chart is drawn with points. */
    @Override
    public CompletableFuture<List<Measurement>> measurements(
        SensorId id, Instant since, Instant until, int limit) {
      List<Measurement> readings = new ArrayList<>();
      for (int minute = 60; minute > 0; minute--) {
        readings.add(new Measurement(Filling.of(40 + minute % 50), NOW - 60L * minute));
      }
      return CompletableFuture.completedFuture(readings);
    }

    @Override
    public CompletableFuture<List<Problem>> problems(ProblemStatus status) {
      return CompletableFuture.completedFuture(List.of(PROBLEM));
    }

    @Override
    public CompletableFuture<Problem> resolve(String problemId, String note) {
      return new CompletableFuture<>();
    }

    @Override
    public CompletableFuture<List<Reject>> rejects(int limit) {
      return CompletableFuture.completedFuture(List.of());
    }
  }
}
