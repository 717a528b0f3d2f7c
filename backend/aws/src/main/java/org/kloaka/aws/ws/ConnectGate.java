package org.kloaka.aws.ws;

import org.kloaka.core.api.TokenCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket API's {@code $connect}: a connection is accepted only with the right {@code
 * ?token=} (CONTRACT §5) and is then remembered for the notifier.
 */
public final class ConnectGate {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectGate.class);

  private final Connections connections;
  private final TokenCheck tokens;

  /**
   * @param tokens the API token check; it may throw when the token cannot be read
   */
  public ConnectGate(Connections connections, TokenCheck tokens) {
    this.connections = connections;
    this.tokens = tokens;
  }

  /**
   * @return the HTTP status for API Gateway: 200 accepts the connection, anything else refuses it
   */
  public int connect(String connectionId, String presentedToken) {
    if (connectionId == null || connectionId.isEmpty()) {
      LOG.warn("$connect without a connection id");
      return 400;
    }
    boolean accepted;
    try {
      accepted = tokens.accepts(presentedToken);
    } catch (RuntimeException e) {
      LOG.error("cannot read the API token; refusing connection {}", connectionId, e);
      return 500;
    }
    if (!accepted) {
      LOG.info(
          "refused connection {}: {} token", connectionId, presentedToken == null ? "no" : "wrong");
      return 401;
    }
    connections.add(connectionId);
    return 200;
  }
}
