package org.kloaka.console.viewmodel;

import org.kloaka.model.Level;
import org.kloaka.model.Problem;
import org.kloaka.model.Verdict;

/**
 * The pipe between two neighbouring sensors. Its verdict follows an open problem on the pair
 * (UNRESOLVED and active) when there is one, else SILENT when either sensor is silent, else the two
 * sensors' current levels.
 */
public final class Segment {

  private final SensorNode upstream;
  private final SensorNode downstream;
  private final String pairId;
  private final boolean junction;
  private Problem problem;

  Segment(SensorNode upstream, SensorNode downstream, boolean junction) {
    this.upstream = upstream;
    this.downstream = downstream;
    this.pairId = Problem.idOf(upstream.id(), downstream.id());
    this.junction = junction;
  }

  public SensorNode upstream() {
    return upstream;
  }

  public SensorNode downstream() {
    return downstream;
  }

  /** The pair's problem id: upstream id + downstream id. */
  public String pairId() {
    return pairId;
  }

  /** True for the link from a tube's last sensor into another tube. */
  public boolean junction() {
    return junction;
  }

  /** The pair's problem record, resolved or not, or null. */
  public Problem problem() {
    return problem;
  }

  void problem(Problem problem) {
    this.problem = problem;
  }

  public SegmentVerdict verdict() {
    if (problem != null && !problem.isResolved() && problem.active()) {
      return SegmentVerdict.of(problem.problem());
    }
    Level up = upstream.level();
    Level down = downstream.level();
    if (up == null || down == null) {
      return SegmentVerdict.UNKNOWN;
    }
    if (upstream.silent() || downstream.silent()) {
      return SegmentVerdict.SILENT; // not "OK" on a value hours old
    }
    return SegmentVerdict.of(Verdict.of(up, down));
  }
}
