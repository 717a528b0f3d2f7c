package org.kloaka.core.app;

import java.util.List;
import java.util.Optional;
import org.kloaka.core.network.Network;
import org.kloaka.core.port.DeviceStore;
import org.kloaka.core.port.HistoryStore;
import org.kloaka.core.port.ProblemStore;
import org.kloaka.core.port.RejectStore;
import org.kloaka.core.port.Stored;
import org.kloaka.model.Device;
import org.kloaka.model.Measurement;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemStatus;
import org.kloaka.model.Reject;
import org.kloaka.model.SensorId;
import org.kloaka.network.NetworkDescription;

/**
 * Use cases that only read: what a console or a script looks up (docs/api.md). No unit of work;
 * each answer is what the store holds now.
 */
public final class Queries {

  private final DeviceStore devices;
  private final HistoryStore history;
  private final ProblemStore problems;
  private final RejectStore rejects;
  private final Network network;

  public Queries(
      DeviceStore devices,
      HistoryStore history,
      ProblemStore problems,
      RejectStore rejects,
      Network network) {
    this.devices = devices;
    this.history = history;
    this.problems = problems;
    this.rejects = rejects;
    this.network = network;
  }

  /** Every device without its measurements, sorted by id. */
  public List<Device> devices() {
    return devices.list().stream().map(Device::withoutMeasurements).toList();
  }

  /** The device with its recent measurements, or empty when it never reported. */
  public Optional<Device> device(SensorId id) {
    return devices.find(id).map(Stored::value);
  }

  /**
   * The most recent {@code limit} history rows of a device with {@code since <= dt <= until},
   * oldest first; empty when the device never reported.
   */
  public Optional<List<Measurement>> measurements(SensorId id, long since, long until, int limit) {
    return devices.findState(id).map(d -> history.range(id, since, until, limit));
  }

  /** Problems with that status (all when {@code null}), newest {@code problem_time} first. */
  public List<Problem> problems(ProblemStatus status) {
    return problems.list(status);
  }

  public Optional<Problem> problem(String problemId) {
    return problems.find(problemId).map(Stored::value);
  }

  /** The newest {@code limit} rejects, newest first. */
  public List<Reject> rejects(int limit) {
    return rejects.newest(limit);
  }

  /** The effective network: the file's tubes plus those derived for devices it does not name. */
  public NetworkDescription network() {
    return network.effective(devices.list().stream().map(Device::id).toList());
  }
}
