package org.kloaka.core.app;

import org.kloaka.core.DeviceRules.DeviceChange;
import org.kloaka.core.Inspector;
import org.kloaka.core.Inspector.Inspection;
import org.kloaka.model.Device;

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

  public InspectPairs(Inspector inspector) {
    this.inspector = inspector;
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

  /** Evaluates the pairs of {@code command.after()} if {@link #shouldInspect} says so. */
  public Inspection handle(Command command) {
    if (!shouldInspect(command.before(), command.after())) {
      return Inspection.NONE;
    }
    return inspector.inspect(command.after().id());
  }
}
