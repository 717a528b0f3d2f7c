package org.kloaka.local.mqtt;

import java.util.concurrent.CompletableFuture;

/**
 * Where the broker hands every device message (topic {@code kloaka_from_device}); in the local
 * runtime, the ingest pipeline's {@code submit}.
 *
 * <p>The returned future must complete only once the payload is durably stored (accepted or
 * rejected, both are stored), and exceptionally when it could not be stored: the broker sends a QoS
 * 1 publisher its PUBACK only after a normal completion, and disconnects the publisher on an
 * exceptional one so its client resends. {@code submit} may block to slow a fast publisher down (it
 * runs on a broker thread), but must not throw; a thrown exception is treated as a failed future.
 */
@FunctionalInterface
public interface PayloadSink {

  CompletableFuture<?> submit(byte[] payload);
}
