package org.kloaka.core.app;

import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import org.kloaka.core.port.OperatorSessions;
import org.kloaka.core.port.OperatorStore;
import org.kloaka.core.port.TokenDigests;
import org.kloaka.model.Operator;
import org.kloaka.model.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Use case: an admin adds, lists and removes operators (docs/api.md, "Operators and roles"). A new
 * operator's token is 256 random bits, returned once and stored only as its digest; a removed
 * operator's token stops working on the next call and its WebSocket connections are closed. The
 * REST API and the local {@code operators} command both call this.
 */
public final class ManageOperators {

  /** 1–64 of A–Z a–z 0–9 . _ - @. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

  private static final Logger log = LoggerFactory.getLogger(ManageOperators.class);

  /** What adding did. */
  public sealed interface Added {

    /** The account, and its token: shown this once, never stored. */
    record Created(Operator operator, String token) implements Added {}

    /** The name is taken (by an operator, or {@value Authenticate#INSTALL_NAME}). */
    record Taken(String name) implements Added {}
  }

  private final OperatorStore operators;
  private final OperatorSessions sessions;
  private final TokenDigests digests;
  private final RandomGenerator random;
  private final Clock clock;

  /**
   * @param random where tokens come from: a {@code java.security.SecureRandom}
   */
  public ManageOperators(
      OperatorStore operators,
      OperatorSessions sessions,
      TokenDigests digests,
      RandomGenerator random,
      Clock clock) {
    this.operators = Objects.requireNonNull(operators, "operators");
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.digests = Objects.requireNonNull(digests, "digests");
    this.random = Objects.requireNonNull(random, "random");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Why {@code name} cannot name an operator, or null when it can.
   *
   * @param name may be null
   */
  public static String whyInvalidName(String name) {
    if (name == null || name.isEmpty()) {
      return "an operator's name must not be empty";
    }
    int chars = name.codePointCount(0, name.length());
    if (chars > 64) {
      return "an operator's name is at most 64 characters; this one has " + chars;
    }
    if (!NAME.matcher(name).matches()) {
      return "an operator's name may hold only A-Z a-z 0-9 . _ - @ (no spaces)";
    }
    return null;
  }

  /**
   * @throws IllegalArgumentException when {@link #whyInvalidName} objects to {@code name}
   */
  public Added add(String name, Role role) {
    String why = whyInvalidName(name);
    if (why != null) {
      throw new IllegalArgumentException(why);
    }
    Objects.requireNonNull(role, "role");
    if (name.equals(Authenticate.INSTALL_NAME)) {
      return new Added.Taken(name);
    }
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    Operator operator = new Operator(name, role, clock.instant().getEpochSecond());
    if (!operators.add(operator, digests.digest(token))) {
      return new Added.Taken(name);
    }
    log.info("Operator {} added with role {}", name, role.wire());
    return new Added.Created(operator, token);
  }

  public List<Operator> list() {
    return operators.list();
  }

  /**
   * Removes {@code name} and closes its WebSocket connections.
   *
   * @return false when there was no such operator
   */
  public boolean remove(String name) {
    if (!operators.remove(name)) {
      return false;
    }
    log.info("Operator {} removed; closing its WebSocket connections", name);
    sessions.closeAll(name);
    return true;
  }

  /**
   * Closes the live connections of operators removed elsewhere: the local {@code operators remove}
   * command runs in its own process and cannot reach this one's connections, so the runtime calls
   * this every few seconds.
   *
   * @return the names whose connections were closed
   */
  public Set<String> closeSessionsOfRemoved() {
    Set<String> connected = new TreeSet<>(sessions.connected());
    connected.remove(Authenticate.INSTALL_NAME);
    if (connected.isEmpty()) {
      return Set.of();
    }
    for (Operator operator : operators.list()) {
      connected.remove(operator.name());
    }
    for (String name : connected) {
      log.info("Operator {} was removed; closing its WebSocket connections", name);
      sessions.closeAll(name);
    }
    return connected;
  }
}
