package org.kloaka.aws.ws;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket API's {@code $connect} and {@code $disconnect}: a connection is accepted only with
 * the right {@code ?token=} (CONTRACT §5) and is then remembered for the notifier.
 */
public final class ConnectGate {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectGate.class);

  private final Connections connections;
  private final Supplier<String> expectedToken;

  /**
   * @param expectedToken the current API token; asked on every connect (it caches on its own)
   */
  public ConnectGate(Connections connections, Supplier<String> expectedToken) {
    this.connections = connections;
    this.expectedToken = expectedToken;
  }

  /**
   * @return the HTTP status for API Gateway: 200 accepts the connection, anything else refuses it
   */
  public int connect(String connectionId, String presentedToken) {
    if (connectionId == null || connectionId.isEmpty()) {
      LOG.warn("$connect without a connection id");
      return 400;
    }
    String expected;
    try {
      expected = expectedToken.get();
    } catch (RuntimeException e) {
      LOG.error("cannot read the API token; refusing connection {}", connectionId, e);
      return 500;
    }
    if (!sameToken(expected, presentedToken)) {
      LOG.info(
          "refused connection {}: {} token", connectionId, presentedToken == null ? "no" : "wrong");
      return 401;
    }
    connections.add(connectionId);
    return 200;
  }

  public void disconnect(String connectionId) {
    if (connectionId != null && !connectionId.isEmpty()) {
      connections.remove(connectionId);
    }
  }

  /** Compares digests in constant time, so timing does not tell how much of a token matched. */
  static boolean sameToken(String expected, String presented) {
    return presented != null && MessageDigest.isEqual(sha256(expected), sha256(presented));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
