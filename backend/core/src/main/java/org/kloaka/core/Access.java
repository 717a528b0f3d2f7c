package org.kloaka.core;

import org.kloaka.model.Role;

/**
 * What a call needs of the caller's role (docs/api.md, "Operators and roles"): the one table every
 * route and the WebSocket are checked against.
 */
public enum Access {
  /** No token needed ({@code GET /health}). */
  OPEN,
  /** Reading: viewer, operator, admin; also the WebSocket. */
  READ,
  /** Acknowledge, resolve, comment: operator, admin. */
  ACT,
  /** Operators and notification tests: admin only. */
  ADMIN,
  /** {@code POST /uplinks}: ingest and admin. */
  UPLINK;

  public boolean allows(Role role) {
    return switch (this) {
      case OPEN -> true;
      case READ -> role == Role.VIEWER || role == Role.OPERATOR || role == Role.ADMIN;
      case ACT -> role == Role.OPERATOR || role == Role.ADMIN;
      case ADMIN -> role == Role.ADMIN;
      case UPLINK -> role == Role.INGEST || role == Role.ADMIN;
    };
  }
}
