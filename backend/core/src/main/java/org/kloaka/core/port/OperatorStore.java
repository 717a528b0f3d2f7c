package org.kloaka.core.port;

import java.util.List;
import java.util.Optional;
import org.kloaka.model.Operator;

/**
 * Operator accounts with the digest of their token (never the token itself, {@link TokenDigests}).
 */
public interface OperatorStore {

  /**
   * Adds {@code operator} with its token's digest.
   *
   * @return false when an operator of that name exists (nothing is written)
   */
  boolean add(Operator operator, String tokenDigest);

  /** The operator whose token has {@code tokenDigest}, read consistently (a removal is seen). */
  Optional<Operator> byDigest(String tokenDigest);

  /** Every operator, sorted by name. */
  List<Operator> list();

  /**
   * Removes the operator {@code name}; its token stops working at once.
   *
   * @return false when there was none
   */
  boolean remove(String name);
}
