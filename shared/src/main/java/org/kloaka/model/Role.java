package org.kloaka.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/** What an operator's token may do (docs/api.md, "Operators and roles"), lower case on the wire. */
public enum Role {
  /** Every GET but {@code /operators}, and the WebSocket. */
  @JsonProperty("viewer")
  VIEWER,
  /** A viewer who also acknowledges, resolves and comments. */
  @JsonProperty("operator")
  OPERATOR,
  /** Everything, operators included; the install token's role. */
  @JsonProperty("admin")
  ADMIN,
  /** Only {@code POST /uplinks}: the token to give TTN's webhook. */
  @JsonProperty("ingest")
  INGEST;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException naming the roles when {@code wire} is none of them
   */
  public static Role ofWire(String wire) {
    for (Role role : values()) {
      if (role.wire().equals(wire)) {
        return role;
      }
    }
    throw new IllegalArgumentException(
        "no role '" + wire + "'; roles are viewer, operator, admin, ingest");
  }
}
