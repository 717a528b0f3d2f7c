package org.kloaka.console.viewmodel;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.kloaka.console.client.Backend;
import org.kloaka.console.client.BackendException;
import org.kloaka.model.Device;
import org.kloaka.model.Measurement;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemStatus;
import org.kloaka.model.Reject;
import org.kloaka.model.SensorId;
import org.kloaka.network.NetworkDescription;

/**
 * An in-memory {@link Backend} for view-model tests: answers from fields, records calls, and can
 * hold answers back ({@link #hold}) to test what happens while a request is in flight.
 */
final class FakeBackend implements Backend {

  NetworkDescription network = new NetworkDescription(List.of());
  List<Device> devices = new ArrayList<>();
  List<Problem> problems = new ArrayList<>();
  List<Measurement> measurements = new ArrayList<>();
  List<Reject> rejects = new ArrayList<>();
  BackendException failure;
  boolean hold;
  final List<String> calls = new ArrayList<>();
  Problem resolveAnswer;

  /** What {@link #csv} answers for a path and query. */
  java.util.function.Function<String, String> csv = path -> "";

  @Override
  public URI address() {
    return URI.create("http://backend.test:8080");
  }

  private record Held(CompletableFuture<Object> future, java.util.function.Supplier<?> value) {}

  private final List<Held> heldAnswers = new ArrayList<>();

  @SuppressWarnings("unchecked")
  private <T> CompletableFuture<T> holdable(String call, java.util.function.Supplier<T> value) {
    calls.add(call);
    if (hold) {
      CompletableFuture<Object> later = new CompletableFuture<>();
      heldAnswers.add(new Held(later, value));
      return (CompletableFuture<T>) (CompletableFuture<?>) later;
    }
    if (failure != null) {
      return CompletableFuture.failedFuture(failure);
    }
    return CompletableFuture.completedFuture(value.get());
  }

  /** Completes the held answers with the fields' values as they are now (or the failure). */
  void release() {
    hold = false;
    List<Held> now = new ArrayList<>(heldAnswers);
    heldAnswers.clear();
    for (Held h : now) {
      if (failure != null) {
        h.future().completeExceptionally(failure);
      } else {
        h.future().complete(h.value().get());
      }
    }
  }

  @Override
  public CompletableFuture<NetworkDescription> network() {
    return holdable("network", () -> network);
  }

  @Override
  public CompletableFuture<List<Device>> devices() {
    return holdable("devices", () -> List.copyOf(devices));
  }

  @Override
  public CompletableFuture<Device> device(SensorId id) {
    return holdable(
        "device " + id,
        () -> devices.stream().filter(d -> d.id().equals(id)).findFirst().orElseThrow());
  }

  @Override
  public CompletableFuture<List<Measurement>> measurements(
      SensorId id, Instant since, Instant until, int limit) {
    return holdable(
        "measurements " + id + " " + since.getEpochSecond() + ".." + until.getEpochSecond(),
        () -> List.copyOf(measurements));
  }

  @Override
  public CompletableFuture<List<Problem>> problems(ProblemStatus status) {
    return holdable("problems " + status, () -> List.copyOf(problems));
  }

  @Override
  public CompletableFuture<Problem> resolve(String problemId, String note) {
    return holdable("resolve " + problemId + " " + note, () -> resolveAnswer);
  }

  @Override
  public CompletableFuture<List<Reject>> rejects(int limit) {
    return holdable("rejects " + limit, () -> List.copyOf(rejects));
  }

  @Override
  public CompletableFuture<byte[]> csv(String pathAndQuery) {
    return holdable(
        "csv " + pathAndQuery,
        () -> csv.apply(pathAndQuery).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
