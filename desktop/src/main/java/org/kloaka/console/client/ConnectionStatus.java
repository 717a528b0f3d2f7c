package org.kloaka.console.client;

import java.time.Instant;

/**
 * Where the live connection stands. {@code since} is when this state began; {@code nextAttempt} is
 * set only while {@link State#RECONNECTING}; {@code detail} says why, when there is a reason worth
 * showing (the close reason, a refused token).
 */
public record ConnectionStatus(State state, Instant since, Instant nextAttempt, String detail) {

  public enum State {
    /** The first attempt is under way. */
    CONNECTING,
    /** Open; the console is re-reading the REST state before it trusts pushes. */
    SYNCING,
    /** Open and in step with the backend. */
    LIVE,
    /** Dropped or refused; another attempt at {@code nextAttempt}. */
    RECONNECTING,
    /** Closed on purpose (the console is shutting down). */
    STOPPED
  }

  public static ConnectionStatus of(State state, Instant since) {
    return new ConnectionStatus(state, since, null, null);
  }
}
