package org.kloaka.core.port;

/**
 * How tokens are stored and compared (docs/api.md, "Operators and roles"): as digests, compared in
 * constant time. A port because the core does no cryptography of its own; {@code
 * org.kloaka.rest.Sha256Tokens} is the one implementation.
 */
public interface TokenDigests {

  /** The digest a token is stored as; the same token always gives the same digest. */
  String digest(String token);

  /** Whether two digests are equal, in a time that does not depend on where they differ. */
  boolean same(String digest, String other);
}
