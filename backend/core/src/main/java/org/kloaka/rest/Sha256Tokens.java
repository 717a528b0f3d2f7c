package org.kloaka.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.kloaka.core.port.TokenDigests;

/**
 * Tokens as SHA-256 digests (64 lower-case hex digits), compared with {@link
 * MessageDigest#isEqual}.
 */
public final class Sha256Tokens implements TokenDigests {

  public static final Sha256Tokens INSTANCE = new Sha256Tokens();

  private Sha256Tokens() {}

  @Override
  public String digest(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  @Override
  public boolean same(String digest, String other) {
    return MessageDigest.isEqual(
        digest.getBytes(StandardCharsets.US_ASCII), other.getBytes(StandardCharsets.US_ASCII));
  }
}
