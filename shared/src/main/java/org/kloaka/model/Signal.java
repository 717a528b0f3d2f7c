package org.kloaka.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Radio quality of an uplink as The Things Stack reports it: the gateway that heard it best, its
 * RSSI and SNR. Any of them may be absent.
 */
public record Signal(
    @JsonProperty("rssi") Double rssi,
    @JsonProperty("snr") Double snr,
    @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("gateway_id") String gatewayId) {

  /** A signal without a gateway name. */
  public Signal(Double rssi, Double snr) {
    this(rssi, snr, null);
  }

  /** Derived, not a field: without {@code @JsonIgnore} Jackson would write {@code "empty"}. */
  @JsonIgnore
  public boolean isEmpty() {
    return rssi == null && snr == null && gatewayId == null;
  }
}
