package org.kloaka.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import org.kloaka.core.Access;
import org.kloaka.core.app.Authenticate;

/**
 * Decides whether a presented API token is the right one (docs/api.md: {@code Authorization: Bearer
 * <token>}; docs/websocket.md: {@code ?token=}). Implementations must not leak through timing how
 * much of a wrong token matched.
 */
@FunctionalInterface
public interface TokenCheck {

  /**
   * @param presented the token as the caller sent it, or {@code null} when none was sent
   */
  boolean accepts(String presented);

  /**
   * The operator name of the caller {@code presented} belongs to, when {@link #accepts} it; else
   * null. A check of the install token alone answers {@value Authenticate#INSTALL_NAME}.
   */
  default String caller(String presented) {
    return accepts(presented) ? Authenticate.INSTALL_NAME : null;
  }

  /**
   * The WebSocket's gate (docs/websocket.md): every role that may read — viewer, operator, admin —
   * but not {@code ingest}, whose handshake is refused.
   */
  static TokenCheck forWebSocket(Authenticate authenticate) {
    return new TokenCheck() {
      @Override
      public boolean accepts(String presented) {
        return caller(presented) != null;
      }

      @Override
      public String caller(String presented) {
        return authenticate
            .caller(presented)
            .filter(c -> c.may(Access.READ))
            .map(Authenticate.Caller::name)
            .orElse(null);
      }
    };
  }

  /**
   * Accepts exactly {@code expected}. The comparison is of SHA-256 digests with {@link
   * MessageDigest#isEqual}, so it takes the same time whatever the presented token is.
   *
   * @throws IllegalArgumentException when {@code expected} is empty
   */
  static TokenCheck of(String expected) {
    Objects.requireNonNull(expected, "expected");
    if (expected.isEmpty()) {
      throw new IllegalArgumentException("the API token must not be empty");
    }
    byte[] digest = sha256(expected);
    return presented -> presented != null && MessageDigest.isEqual(digest, sha256(presented));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256.
      throw new IllegalStateException(e);
    }
  }
}
