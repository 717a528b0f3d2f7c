package org.kloaka.core.port;

import org.kloaka.core.Organizer;

/**
 * Where {@code POST /uplinks} hands a webhook body: the deployment's ingest, which answers only
 * once the message is stored (accepted or kept as a reject).
 */
@FunctionalInterface
public interface UplinkIngest {

  /**
   * Stores one body, a The Things Stack uplink or a plain payload, of at most 64 KiB.
   *
   * @throws RuntimeException when it could not be stored; the caller answers 5xx so that a sender
   *     with retries tries again
   */
  Organizer.Outcome ingest(byte[] body);

  /** For deployments without a webhook: every call fails. */
  UplinkIngest NONE =
      body -> {
        throw new IllegalStateException("this deployment takes no uplinks over REST");
      };
}
