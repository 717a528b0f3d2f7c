package org.kloaka.console.viewmodel;

import java.time.Duration;
import java.time.Instant;
import org.kloaka.model.Filling;
import org.kloaka.model.Level;
import org.kloaka.model.SensorId;
import org.kloaka.model.Signal;

/**
 * One sensor on the line: where it sits (from the network) and what it last said. Mutated only on
 * the FX thread by {@link LineViewModel}; the line view reads it when it draws.
 */
public final class SensorNode {

  private final SensorId id;
  private final String name;
  private final Double lat;
  private final Double lon;
  private final boolean derived;
  private Filling value;
  private long lastUpdate;
  private Signal signal;
  private boolean silent;

  SensorNode(SensorId id, String name, Double lat, Double lon, boolean derived) {
    this.id = id;
    this.name = name;
    this.lat = lat;
    this.lon = lon;
    this.derived = derived;
  }

  /**
   * True for a sensor the network file does not name, placed by the id convention: its neighbours
   * are its numeric neighbours among such sensors, never the file's sensors (decision 004).
   */
  public boolean derived() {
    return derived;
  }

  public SensorId id() {
    return id;
  }

  /** The name from the network file, or null. */
  public String name() {
    return name;
  }

  public Double lat() {
    return lat;
  }

  public Double lon() {
    return lon;
  }

  public boolean hasPosition() {
    return lat != null && lon != null;
  }

  /** The last value, or null when the sensor has never reported. */
  public Filling value() {
    return value;
  }

  public Level level() {
    return value == null ? null : value.level();
  }

  /** Epoch seconds of the last value, 0 when never. */
  public long lastUpdate() {
    return lastUpdate;
  }

  public Signal signal() {
    return signal;
  }

  /** Silent longer than {@code threshold} (a sensor that never reported is not stale: unknown). */
  public boolean isStale(Instant now, Duration threshold) {
    return value != null && now.getEpochSecond() - lastUpdate > threshold.getSeconds();
  }

  /**
   * Silent: stale by the console's clock, or named by an open SILENT record of the backend
   * (docs/problems.md). The pipes next to it are drawn as {@link SegmentVerdict#SILENT}: their
   * verdict rests on an old value. Kept by {@link LineViewModel} at every commit and tick.
   */
  public boolean silent() {
    return silent;
  }

  /** Answers whether it changed. */
  boolean silent(boolean now) {
    boolean changed = silent != now;
    silent = now;
    return changed;
  }

  /** "01 · Manhole 14" or just "01". */
  public String label() {
    return name == null ? id.toString() : id + " · " + name;
  }

  /** Applies a value unless it is older than the one held; answers whether anything changed. */
  boolean update(Filling newValue, long newUpdate, Signal newSignal) {
    if (value != null && newUpdate < lastUpdate) {
      return false;
    }
    boolean changed = !newValue.equals(value) || newUpdate != lastUpdate;
    value = newValue;
    lastUpdate = newUpdate;
    if (newSignal != null) {
      signal = newSignal;
    }
    return changed;
  }
}
