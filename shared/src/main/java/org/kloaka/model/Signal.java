package org.kloaka.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Radio quality of an uplink as The Things Stack reports it (best gateway); either may be absent.
 */
public record Signal(@JsonProperty("rssi") Double rssi, @JsonProperty("snr") Double snr) {

  /** Derived, not a field: without {@code @JsonIgnore} Jackson would write {@code "empty"}. */
  @JsonIgnore
  public boolean isEmpty() {
    return rssi == null && snr == null;
  }
}
