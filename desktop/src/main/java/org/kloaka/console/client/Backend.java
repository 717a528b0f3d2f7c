package org.kloaka.console.client;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.kloaka.api.Responses;
import org.kloaka.model.Device;
import org.kloaka.model.Measurement;
import org.kloaka.model.PairInsights;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemEvent;
import org.kloaka.model.ProblemStatus;
import org.kloaka.model.Reject;
import org.kloaka.model.SensorId;
import org.kloaka.network.NetworkDescription;

/**
 * The REST API (docs/api.md) as the console uses it. Every call is asynchronous and completes off
 * the FX thread; a failure completes the future exceptionally with a {@link BackendException} whose
 * message can be shown to the operator as it is.
 */
public interface Backend {

  /** Where the backend answers, for the status bar. */
  URI address();

  CompletableFuture<NetworkDescription> network();

  CompletableFuture<List<Device>> devices();

  CompletableFuture<Device> device(SensorId id);

  /** The most recent {@code limit} measurements with {@code since ≤ dt ≤ until}, oldest first. */
  CompletableFuture<List<Measurement>> measurements(
      SensorId id, Instant since, Instant until, int limit);

  /** Problems newest first; {@code status} null means all of them. */
  CompletableFuture<List<Problem>> problems(ProblemStatus status);

  /** Marks a problem RESOLVED with an optional note (null or blank for none). */
  CompletableFuture<Problem> resolve(String problemId, String note);

  CompletableFuture<List<Reject>> rejects(int limit);

  /** Who the token belongs to ({@code GET /me}). */
  default CompletableFuture<Responses.Me> me() {
    return unsupported("GET /me");
  }

  /** "Someone is on it": marks the problem acknowledged by the caller. */
  default CompletableFuture<Problem> acknowledge(String problemId) {
    return unsupported("acknowledging");
  }

  /** Adds a comment to the problem's timeline; answers the new event. */
  default CompletableFuture<ProblemEvent> comment(String problemId, String note) {
    return unsupported("comments");
  }

  /** The pair's timeline, oldest first: the most recent {@code limit} events. */
  default CompletableFuture<List<ProblemEvent>> events(String problemId, int limit) {
    return unsupported("the timeline");
  }

  /** Hot spots ({@code GET /insights/pairs?days=N}, docs/api.md): worst first. */
  default CompletableFuture<PairInsights> hotSpots(int days) {
    return unsupported("hot spots");
  }

  /**
   * The handover ({@code GET /insights/shift}): what opened, was acknowledged, commented on and
   * resolved with {@code since ≤ time ≤ until}, oldest first.
   */
  default CompletableFuture<List<ProblemEvent>> shift(Instant since, Instant until) {
    return unsupported("the shift report");
  }

  /**
   * A list route's CSV export as the backend writes it ({@code pathAndQuery} gets {@code
   * format=csv}; docs/api.md, "CSV"): the bytes of the file, UTF-8, header row first.
   */
  default CompletableFuture<byte[]> csv(String pathAndQuery) {
    return unsupported("CSV exports");
  }

  private static <T> CompletableFuture<T> unsupported(String what) {
    return CompletableFuture.failedFuture(
        new BackendException("this backend does not offer " + what, null));
  }
}
