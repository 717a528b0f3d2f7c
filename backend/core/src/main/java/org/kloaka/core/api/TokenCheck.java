package org.kloaka.core.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * Decides whether a presented API token is the right one (CONTRACT §4: {@code Authorization: Bearer
 * <token>}; §5: {@code ?token=}). Implementations must not leak through timing how much of a wrong
 * token matched.
 */
@FunctionalInterface
public interface TokenCheck {

  /**
   * @param presented the token as the caller sent it, or {@code null} when none was sent
   */
  boolean accepts(String presented);

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
