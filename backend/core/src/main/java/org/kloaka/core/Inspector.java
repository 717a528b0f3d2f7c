package org.kloaka.core;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.kloaka.api.Push;
import org.kloaka.core.port.DeviceStore;
import org.kloaka.core.port.EventSink;
import org.kloaka.core.port.ProblemStore;
import org.kloaka.core.port.Stored;
import org.kloaka.model.Device;
import org.kloaka.model.Problem;
import org.kloaka.model.SensorId;
import org.kloaka.model.Verdict;

/**
 * The stream inspector: when a sensor's value changes, compares it with each neighbour and runs the
 * problem lifecycle of CONTRACT §3 on every pair it belongs to.
 *
 * <p>Idempotent: inspecting the same sensor twice with nothing changed in between writes at most
 * {@code last_seen} and pushes nothing, so at-least-once delivery is harmless.
 */
public final class Inspector {

  static final int MAX_ATTEMPTS = 50;

  private final DeviceStore devices;
  private final ProblemStore problems;
  private final Neighbours neighbours;
  private final EventSink events;
  private final Clock clock;

  public Inspector(
      DeviceStore devices,
      ProblemStore problems,
      Neighbours neighbours,
      EventSink events,
      Clock clock) {
    this.devices = devices;
    this.problems = problems;
    this.neighbours = neighbours;
    this.events = events;
    this.clock = clock;
  }

  /**
   * Evaluates every pair {@code changed} belongs to. A pair whose other sensor never reported is
   * skipped.
   *
   * @return the problem records written (including ones where only {@code last_seen} moved)
   */
  public List<Problem> inspect(SensorId changed) {
    List<Problem> written = new ArrayList<>();
    for (SensorId upstream : neighbours.previousOf(changed)) {
      evaluate(upstream, changed).ifPresent(written::add);
    }
    for (SensorId downstream : neighbours.followingOf(changed)) {
      evaluate(changed, downstream).ifPresent(written::add);
    }
    return written;
  }

  private Optional<Problem> evaluate(SensorId upstreamId, SensorId downstreamId) {
    Optional<Device> upstream = devices.find(upstreamId).map(Stored::value);
    Optional<Device> downstream = devices.find(downstreamId).map(Stored::value);
    if (upstream.isEmpty() || downstream.isEmpty()) {
      return Optional.empty();
    }
    Verdict verdict = Verdict.of(upstream.get().lastValue(), downstream.get().lastValue());
    String problemId = Problem.idOf(upstreamId, downstreamId);
    // millis(): for the system clock a plain currentTimeMillis, cheaper than building an Instant.
    long now = Math.floorDiv(clock.millis(), 1000);
    for (int attempt = 1; ; attempt++) {
      Optional<Stored<Problem>> current = problems.find(problemId);
      Problem before = current.map(Stored::value).orElse(null);
      Optional<Problem> next =
          ProblemLifecycle.afterVerdict(
              Optional.ofNullable(before), verdict, upstream.get(), downstream.get(), now);
      if (next.isEmpty()) {
        return Optional.empty();
      }
      if (problems.replace(current.orElse(null), next.get())) {
        if (ProblemLifecycle.worthPushing(before, next.get())) {
          events.publish(new Push.ProblemPush(next.get()));
        }
        return next;
      }
      if (attempt >= MAX_ATTEMPTS) {
        throw new IllegalStateException(
            "problem " + problemId + " kept changing under " + MAX_ATTEMPTS + " attempts");
      }
    }
  }
}
