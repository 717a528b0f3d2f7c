package org.kloaka.core.port;

import java.util.List;
import java.util.OptionalLong;
import org.kloaka.model.Device;

/**
 * What the silent-sensor sweep reads (docs/problems.md, docs/decisions/026): the devices whose last
 * reading falls in a span of time, found without reading every device, and how far the sweeps have
 * got.
 */
public interface SilenceWatch {

  /**
   * The devices whose {@code last_update} is in {@code (after, upTo]}, without measurements, in any
   * order. A store may answer from an index that lags its writes by moments (DynamoDB's global
   * secondary indexes): the caller reads each device again before acting on it.
   */
  List<Device> lastHeardIn(long after, long upTo);

  /** The cut-off up to which a sweep has completed, or empty when no sweep ever ran. */
  OptionalLong sweptUpTo();

  /**
   * Records that the devices last heard at or before {@code cutoff} were swept; never moves back.
   */
  void sweptUpTo(long cutoff);
}
