package org.kloaka.core;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.kloaka.core.ConflictRetry.Attempt;
import org.kloaka.core.Inspector.Inspection;
import org.kloaka.core.port.DeviceStore;
import org.kloaka.core.port.ProblemStore;
import org.kloaka.core.port.Stored;
import org.kloaka.model.Device;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemEvent;
import org.kloaka.model.SensorId;

/**
 * Silent sensors (docs/problems.md): writes a sensor's {@code SILENT} record when a sweep finds it
 * silent, and makes it inactive when the sensor reports again, through {@link SilenceLifecycle} and
 * version-checked writes. When to sweep is the use case's ({@code
 * org.kloaka.core.app.SweepSilentSensors}).
 */
public final class Silence {

  private final DeviceStore devices;
  private final ProblemStore problems;
  private final Clock clock;
  private final long windowSeconds;

  /**
   * @param silentAfter how long a sensor may send nothing; zero turns silent sensors off
   */
  public Silence(DeviceStore devices, ProblemStore problems, Clock clock, Duration silentAfter) {
    this.devices = devices;
    this.problems = problems;
    this.clock = clock;
    this.windowSeconds = silentAfter.toSeconds();
  }

  /** Whether silent sensors are watched at all. */
  public boolean on() {
    return windowSeconds > 0;
  }

  public long windowSeconds() {
    return windowSeconds;
  }

  /**
   * A sensor's last reading moved from {@code before} to {@code after}: its SILENT record, if open
   * and active, becomes inactive. Its record is looked up only when the sensor can have been found
   * silent — its reading before was at least the window old — so a sensor that reports regularly
   * costs no read.
   */
  public Inspection reported(Device before, Device after) {
    long now = Math.floorDiv(clock.millis(), 1000);
    if (!on() || before == null || before.lastUpdate() > now - windowSeconds) {
      return Inspection.NONE;
    }
    String id = Problem.silentIdOf(after.id());
    return ConflictRetry.untilDone(
        () -> "problem " + id,
        () -> {
          Optional<Stored<Problem>> current = problems.find(id);
          Optional<Problem> next = SilenceLifecycle.reported(current.map(Stored::value));
          if (next.isEmpty()) {
            return Attempt.done(Inspection.NONE);
          }
          List<ProblemEvent> events =
              ProblemLifecycle.eventsOf(current.get().value(), next.get(), now, null);
          if (!problems.replace(current.get(), next.get(), events)) {
            return Attempt.conflict();
          }
          return Attempt.done(
              new Inspection(List.of(next.get()), List.of(new Change.ProblemChanged(next.get()))));
        });
  }

  /**
   * Writes the SILENT record of sensor {@code id} if, read again now, its last reading is at or
   * before {@code cutoff}.
   *
   * @return the record written, with whether consoles must hear of it; empty when nothing was
   *     written (it reported meanwhile, or this silence has its record already)
   */
  public Optional<Change.ProblemChanged> markIfSilent(SensorId id, long cutoff, long now) {
    Optional<Device> device = devices.findState(id).map(Stored::value);
    if (device.isEmpty() || device.get().lastUpdate() > cutoff) {
      return Optional.empty();
    }
    String problemId = Problem.silentIdOf(id);
    return ConflictRetry.untilDone(
        () -> "problem " + problemId,
        () -> {
          Optional<Stored<Problem>> current = problems.find(problemId);
          Problem before = current.map(Stored::value).orElse(null);
          Optional<Problem> next =
              SilenceLifecycle.fellSilent(Optional.ofNullable(before), device.get(), now);
          if (next.isEmpty()) {
            return Attempt.done(Optional.empty());
          }
          List<ProblemEvent> events = ProblemLifecycle.eventsOf(before, next.get(), now, null);
          if (!problems.replace(current.orElse(null), next.get(), events)) {
            return Attempt.conflict();
          }
          return Attempt.done(
              ProblemLifecycle.worthPushing(before, next.get())
                  ? Optional.of(new Change.ProblemChanged(next.get()))
                  : Optional.empty());
        });
  }
}
