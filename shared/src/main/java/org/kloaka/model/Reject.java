package org.kloaka.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A message Kloaka refused: why, when (epoch seconds) and the first 4 KiB of what was sent, decoded
 * as UTF-8 with malformed bytes replaced.
 */
public record Reject(
    @JsonProperty("reason") String reason,
    @JsonProperty("received") long received,
    @JsonProperty("payload") String payload) {}
