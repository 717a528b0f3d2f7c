package org.kloaka.console.viewmodel;

import java.util.ArrayList;
import java.util.List;

/** A tube as the line draws it: its sensors in flow order, and where it drains, if anywhere. */
public final class TubeRun {

  private final String id;
  private final String name;
  private final List<SensorNode> sensors = new ArrayList<>();
  private SensorNode drainsInto;

  TubeRun(String id, String name) {
    this.id = id;
    this.name = name;
  }

  public String id() {
    return id;
  }

  public String name() {
    return name;
  }

  /** "Tube 0 · Via Roma trunk" or "Tube 3". */
  public String label() {
    return name == null ? "Tube " + id : "Tube " + id + " · " + name;
  }

  public List<SensorNode> sensors() {
    return sensors;
  }

  /** The sensor of another tube this one's last sensor flows into, or null. */
  public SensorNode drainsInto() {
    return drainsInto;
  }

  void drainsInto(SensorNode node) {
    this.drainsInto = node;
  }

  List<SensorNode> mutableSensors() {
    return sensors;
  }
}
