package org.kloaka.core.port;

import java.util.List;
import org.kloaka.model.Reject;

/** Refused messages, kept for integrators to see why. Stores keep only the newest ones. */
public interface RejectStore {

  void add(Reject reject);

  /** The newest {@code limit} rejects, newest first. */
  List<Reject> newest(int limit);
}
