package org.kloaka.core.app;

import java.util.ArrayList;
import java.util.List;
import org.kloaka.core.Change;
import org.kloaka.core.DeviceRules.DeviceChange;
import org.kloaka.core.Inspector;
import org.kloaka.core.Inspector.Inspection;
import org.kloaka.core.Silence;
import org.kloaka.model.Device;
import org.kloaka.model.Problem;

/**
 * Use case: a device's record changed; evaluate the pairs it belongs to. Both deployments call it —
 * the local runtime in the same unit of work as the message (via {@link IngestMessage}), AWS from
 * the devices table's stream — so both follow the one rule of {@link #shouldInspect}
 * (docs/decisions/015-application-layer.md).
 */
public final class InspectPairs {

  /**
   * A device record before and after one write.
   *
   * @param before the device before, or {@code null} when the write registered it
   * @param after the device after
   */
  public record Command(Device before, Device after) {}

  private final Inspector inspector;
  private final Silence silence;

  /** Without silent sensors. */
  public InspectPairs(Inspector inspector) {
    this(inspector, null);
  }

  /**
   * @param silence whose SILENT records end when their sensor reports again; {@code null} for none
   */
  public InspectPairs(Inspector inspector, Silence silence) {
    this.inspector = inspector;
    this.silence = silence;
  }

  /**
   * The inspect rule: a sensor's pairs are evaluated when its last reading moved — its {@code
   * last_value} or {@code last_update} changed, or it was just registered. A late message changes
   * neither and triggers nothing; so does a repeat of the last reading within the same second,
   * which is what a redelivered message looks like.
   */
  public static boolean shouldInspect(Device before, Device after) {
    // The same test that decides whether consoles hear of the device: one notion of "it moved".
    return new DeviceChange(before, after, true).lastChanged();
  }

  /**
   * Evaluates the pairs of {@code command.after()} if {@link #shouldInspect} says so; the sensor's
   * SILENT record, if open, becomes inactive first (it reported).
   */
  public Inspection handle(Command command) {
    if (!shouldInspect(command.before(), command.after())) {
      return Inspection.NONE;
    }
    Inspection pairs = inspector.inspect(command.after().id());
    if (silence == null) {
      return pairs;
    }
    Inspection back = silence.reported(command.before(), command.after());
    if (back.written().isEmpty()) {
      return pairs;
    }
    List<Problem> written = new ArrayList<>(back.written());
    written.addAll(pairs.written());
    List<Change> changes = new ArrayList<>(back.changes());
    changes.addAll(pairs.changes());
    return new Inspection(written, changes);
  }
}
