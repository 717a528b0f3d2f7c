package org.kloaka.core.app;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.kloaka.core.Access;
import org.kloaka.core.port.OperatorStore;
import org.kloaka.core.port.TokenDigests;
import org.kloaka.model.Role;

/**
 * Use case: who is calling (docs/api.md, "Auth"). The install token is the admin {@value
 * #INSTALL_NAME}; any other token is looked up by its digest ({@link TokenDigests}, SHA-256) among
 * the operators, so tokens are stored only as digests. The lookup is by digest, not by token: how
 * long it takes depends on the digest of what was sent, which tells an attacker nothing about any
 * stored token; the found digest is then compared again in constant time.
 */
public final class Authenticate {

  /** The install token's operator name. */
  public static final String INSTALL_NAME = "admin";

  /** Who a token belongs to. */
  public record Caller(String name, Role role) {
    public Caller {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(role, "role");
    }

    public boolean may(Access access) {
      return access.allows(role);
    }
  }

  private final Predicate<String> installToken;
  private final OperatorStore operators;
  private final TokenDigests digests;

  /**
   * @param installToken whether a presented token is the install token (compared in constant time)
   */
  public Authenticate(
      Predicate<String> installToken, OperatorStore operators, TokenDigests digests) {
    this.installToken = Objects.requireNonNull(installToken, "installToken");
    this.operators = Objects.requireNonNull(operators, "operators");
    this.digests = Objects.requireNonNull(digests, "digests");
  }

  /** The caller {@code presented} belongs to; empty for no token or a wrong or removed one. */
  public Optional<Caller> caller(String presented) {
    if (presented == null || presented.isEmpty()) {
      return Optional.empty();
    }
    if (installToken.test(presented)) {
      return Optional.of(new Caller(INSTALL_NAME, Role.ADMIN));
    }
    String digest = digests.digest(presented);
    return operators
        .byDigest(digest)
        .filter(op -> digests.same(digest, digests.digest(presented)))
        .map(op -> new Caller(op.name(), op.role()));
  }
}
