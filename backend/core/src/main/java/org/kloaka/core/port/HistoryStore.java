package org.kloaka.core.port;

import java.util.List;
import org.kloaka.model.Measurement;
import org.kloaka.model.SensorId;
import org.kloaka.model.Signal;

/** Every accepted measurement, identical ones included: one row per message. */
public interface HistoryStore {

  /** Adds one row. {@code signal} may be {@code null}. */
  void append(SensorId id, Measurement measurement, Signal signal);

  /**
   * The most recent {@code limit} rows of one sensor with {@code since <= dt <= until}, listed
   * oldest first. Rows of the same second keep their arrival order.
   */
  List<Measurement> range(SensorId id, long since, long until, int limit);

  /**
   * Deletes rows with {@code dt} strictly before {@code cutoff} (epoch seconds).
   *
   * @return how many rows were deleted (stores that expire rows on their own may answer 0)
   */
  long pruneBefore(long cutoff);
}
