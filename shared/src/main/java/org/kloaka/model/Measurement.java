package org.kloaka.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/** One reading as stored: {@code {"filling": "100", "dt": 1658274939}} (dt in epoch seconds). */
public record Measurement(@JsonProperty("filling") Filling filling, @JsonProperty("dt") long dt) {

  public Measurement {
    Objects.requireNonNull(filling, "filling");
  }
}
