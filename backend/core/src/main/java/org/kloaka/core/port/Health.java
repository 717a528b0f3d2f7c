package org.kloaka.core.port;

import java.util.List;

/**
 * What keeps the runtime from doing its job right now — a store that cannot commit, a broker that
 * is down — for {@code GET /health} and {@code GET /status} (openapi.yaml). An adapter keeps this
 * up to date from what it sees or probes; reading it never blocks.
 */
public interface Health {

  /** The faults now, in a stable order; empty when all is well. */
  List<Fault> faults();

  /**
   * One part that cannot do its job.
   *
   * @param component which part: {@code "store"}, {@code "broker"}
   * @param reason for anyone (it is shown without a token): no paths, no library names
   * @param detail for the operator (shown with a token): the file, the underlying error; or null
   * @param since epoch seconds of the first failure in a row
   */
  record Fault(String component, String reason, String detail, long since) {}

  /** For a deployment whose parts report nothing (AWS: the platform watches them). */
  static Health alwaysOk() {
    return List::of;
  }
}
