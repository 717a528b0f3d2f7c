package org.kloaka.local.mqtt;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A sink for broker tests: records every payload and answers what the test decides. */
final class RecordingSink implements PayloadSink {

  /** One received payload and the future the broker waits on. */
  record Received(byte[] payload, CompletableFuture<Object> stored) {
    String text() {
      return new String(payload, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile Function<byte[], CompletableFuture<Object>> answer =
      payload -> CompletableFuture.completedFuture("stored");

  @Override
  public CompletableFuture<?> submit(byte[] payload) {
    CompletableFuture<Object> stored = answer.apply(payload);
    received.add(new Received(payload, stored));
    return stored;
  }

  /** From now on, every payload waits until the test completes its future. */
  void holdEverything() {
    answer = payload -> new CompletableFuture<>();
  }

  /** From now on, every payload fails to store. */
  void failEverything() {
    answer =
        payload -> CompletableFuture.failedFuture(new IllegalStateException("disk is full (test)"));
  }

  /** From now on, throws from submit itself. */
  void throwEverything() {
    answer =
        payload -> {
          throw new IllegalStateException("the pipeline is broken (test)");
        };
  }

  void storeEverything() {
    answer = payload -> CompletableFuture.completedFuture("stored");
  }

  List<Received> received() {
    return received;
  }

  List<String> texts() {
    return received.stream().map(Received::text).toList();
  }

  void clear() {
    received.clear();
  }
}
