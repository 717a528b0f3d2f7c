package org.kloaka.core.port;

/**
 * A record as a store holds it, with the version its next conditional write must match.
 *
 * @param version opaque to the core; a store increments it on every successful write
 */
public record Stored<T>(T value, long version) {}
