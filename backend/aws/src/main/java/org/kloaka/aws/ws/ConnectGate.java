package org.kloaka.aws.ws;

import org.kloaka.rest.TokenCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket API's {@code $connect}: a connection is accepted only with a token that may read
 * ({@code ?token=}, docs/websocket.md: not an ingest token) and is then remembered, with its
 * operator, for the notifier and for closing it when the operator is removed.
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
    String operator;
    try {
      operator = tokens.caller(presentedToken);
    } catch (RuntimeException e) {
      LOG.error("cannot read the API token; refusing connection {}", connectionId, e);
      return 500;
    }
    if (operator == null) {
      LOG.info(
          "refused connection {}: {} token", connectionId, presentedToken == null ? "no" : "wrong");
      return 401;
    }
    connections.add(connectionId, operator);
    return 200;
  }
}
