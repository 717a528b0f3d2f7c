package org.kloaka.core.port;

import org.kloaka.core.Organizer;
import org.kloaka.core.app.IngestMessage.Delivery;

/**
 * Stores a message whose sender retries with the same identity exactly once: a retry finds what the
 * first delivery stored and answers {@link Organizer.Outcome.Duplicate} (on AWS the history row's
 * key is built from the delivery, docs/decisions/020-ttn-ingest.md).
 */
@FunctionalInterface
public interface StoreOnce {

  /** Stores {@code parsed} (its reading, or its rejection) unless {@code delivery} was stored. */
  Organizer.Outcome store(Organizer.Parsed parsed, Delivery delivery);
}
