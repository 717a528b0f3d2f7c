package org.kloaka.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * A named operator account (docs/api.md, "Operators and roles"), as {@code GET /operators} lists
 * it: never with its token.
 *
 * @param created epoch seconds
 */
public record Operator(
    @JsonProperty("name") String name,
    @JsonProperty("role") Role role,
    @JsonProperty("created") long created) {

  public Operator {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
  }
}
