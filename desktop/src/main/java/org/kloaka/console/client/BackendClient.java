package org.kloaka.console.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.kloaka.api.Json;
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

/** {@link Backend} over {@link HttpClient}: bearer token, JSON bodies, typed answers. */
public final class BackendClient implements Backend {

  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final int MAX_ERROR_TEXT = 300;

  private final URI base;
  private final String token;
  private final HttpClient http;
  private final ObjectMapper json = Json.newMapper();

  public BackendClient(URI base, String token, HttpClient http) {
    this.base = withoutTrailingSlash(Objects.requireNonNull(base, "base"));
    this.token = Objects.requireNonNull(token, "token");
    this.http = Objects.requireNonNull(http, "http");
  }

  /** A client with its own {@link HttpClient} (HTTP/1.1, 5 s connect timeout). */
  public static BackendClient create(URI base, String token) {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    return new BackendClient(base, token, http);
  }

  private static URI withoutTrailingSlash(URI uri) {
    String text = uri.toString();
    return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : uri;
  }

  @Override
  public URI address() {
    return base;
  }

  @Override
  public CompletableFuture<NetworkDescription> network() {
    return get("/network", NetworkDescription.class);
  }

  @Override
  public CompletableFuture<List<Device>> devices() {
    return get("/devices", Responses.Devices.class).thenApply(r -> orEmpty(r.devices()));
  }

  @Override
  public CompletableFuture<Device> device(SensorId id) {
    return get("/devices/" + id, Device.class);
  }

  @Override
  public CompletableFuture<List<Measurement>> measurements(
      SensorId id, Instant since, Instant until, int limit) {
    String path =
        "/devices/"
            + id
            + "/measurements?since="
            + since.getEpochSecond()
            + "&until="
            + until.getEpochSecond()
            + "&limit="
            + limit;
    return get(path, Responses.Measurements.class).thenApply(r -> orEmpty(r.measurements()));
  }

  @Override
  public CompletableFuture<List<Problem>> problems(ProblemStatus status) {
    String path = status == null ? "/problems" : "/problems?status=" + status.name();
    return get(path, Responses.Problems.class).thenApply(r -> orEmpty(r.problems()));
  }

  @Override
  public CompletableFuture<Problem> resolve(String problemId, String note) {
    String cleanNote = note == null || note.isBlank() ? null : note.strip();
    byte[] body;
    try {
      body =
          json.writeValueAsBytes(
              new Responses.Resolve(ProblemStatus.RESOLVED.name(), cleanNote, null));
    } catch (JsonProcessingException e) {
      return CompletableFuture.failedFuture(new BackendException("cannot write the request", e));
    }
    String path = "/problems/" + URLEncoder.encode(problemId, StandardCharsets.UTF_8);
    HttpRequest request =
        request(path)
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    return send(request, Problem.class);
  }

  @Override
  public CompletableFuture<Responses.Me> me() {
    return get("/me", Responses.Me.class);
  }

  @Override
  public CompletableFuture<Problem> acknowledge(String problemId) {
    return write(
        "PATCH", problemPath(problemId), java.util.Map.of("acknowledged", true), Problem.class);
  }

  @Override
  public CompletableFuture<ProblemEvent> comment(String problemId, String note) {
    return write(
        "POST",
        problemPath(problemId) + "/comments",
        java.util.Map.of("note", note == null ? "" : note.strip()),
        ProblemEvent.class);
  }

  @Override
  public CompletableFuture<List<ProblemEvent>> events(String problemId, int limit) {
    return get(problemPath(problemId) + "/events?limit=" + limit, Responses.Events.class)
        .thenApply(r -> orEmpty(r.events()));
  }

  private static String problemPath(String problemId) {
    return "/problems/" + URLEncoder.encode(problemId, StandardCharsets.UTF_8);
  }

  /** A JSON body written by Jackson, sent with {@code method}. */
  private <T> CompletableFuture<T> write(String method, String path, Object value, Class<T> type) {
    byte[] body;
    try {
      body = json.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      return CompletableFuture.failedFuture(new BackendException("cannot write the request", e));
    }
    HttpRequest request =
        request(path)
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    return send(request, type);
  }

  @Override
  public CompletableFuture<PairInsights> hotSpots(int days) {
    return get("/insights/pairs?days=" + days, PairInsights.class);
  }

  @Override
  public CompletableFuture<List<ProblemEvent>> shift(Instant since, Instant until) {
    String path =
        "/insights/shift?since=" + since.getEpochSecond() + "&until=" + until.getEpochSecond();
    return get(path, Responses.Events.class).thenApply(r -> orEmpty(r.events()));
  }

  @Override
  public CompletableFuture<byte[]> csv(String pathAndQuery) {
    String target = pathAndQuery + (pathAndQuery.contains("?") ? "&" : "?") + "format=csv";
    HttpRequest request = request(target).setHeader("Accept", "text/csv").GET().build();
    String what = "GET " + request.uri().getPath();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .handle(
            (response, failure) -> {
              if (failure != null) {
                throw new CompletionException(unreachable(what, failure));
              }
              int status = response.statusCode();
              if (status < 200 || status > 299) {
                throw new CompletionException(
                    new BackendException(status, errorText(what, status, response.body())));
              }
              String type = response.headers().firstValue("Content-Type").orElse("");
              if (!type.startsWith("text/csv")) {
                throw new CompletionException(
                    new BackendException(
                        status,
                        what + " answered " + (type.isEmpty() ? "no type" : type) + ", not CSV"));
              }
              return response.body();
            });
  }

  @Override
  public CompletableFuture<List<Reject>> rejects(int limit) {
    return get("/rejects?limit=" + limit, Responses.Rejects.class)
        .thenApply(r -> orEmpty(r.rejects()));
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  private <T> CompletableFuture<T> get(String path, Class<T> type) {
    return send(request(path).GET().build(), type);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .timeout(TIMEOUT)
        .header("Accept", "application/json")
        .header("Authorization", "Bearer " + token);
  }

  private <T> CompletableFuture<T> send(HttpRequest request, Class<T> type) {
    String what = request.method() + " " + request.uri().getPath();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .handle(
            (response, failure) -> {
              if (failure != null) {
                throw new CompletionException(unreachable(what, failure));
              }
              return read(what, response, type);
            });
  }

  private BackendException unreachable(String what, Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof ConnectException) {
      return new BackendException("cannot reach the backend at " + base, cause);
    }
    if (cause instanceof HttpTimeoutException) {
      return new BackendException("the backend at " + base + " did not answer in time", cause);
    }
    return new BackendException(what + " failed: " + BackendException.describe(cause), cause);
  }

  private <T> T read(String what, HttpResponse<byte[]> response, Class<T> type) {
    int status = response.statusCode();
    byte[] body = response.body();
    if (status < 200 || status > 299) {
      throw new CompletionException(new BackendException(status, errorText(what, status, body)));
    }
    try {
      T value = json.readValue(body, type);
      if (value == null) {
        throw new CompletionException(
            new BackendException(status, what + " answered with an empty body"));
      }
      return value;
    } catch (java.io.IOException | RuntimeException e) {
      if (e instanceof CompletionException completion) {
        throw completion;
      }
      throw new CompletionException(
          new BackendException(what + " answered with something that is not Kloaka JSON", e));
    }
  }

  private String errorText(String what, int status, byte[] body) {
    try {
      Responses.Error error = json.readValue(body, Responses.Error.class);
      if (error != null && error.error() != null && !error.error().isBlank()) {
        return shorten(error.error()) + " (HTTP " + status + ")";
      }
    } catch (java.io.IOException | RuntimeException notJson) {
      // Not Kloaka's error shape (a proxy's HTML page, say): fall through to the plain text.
    }
    String text = new String(body, StandardCharsets.UTF_8).strip();
    return what
        + " failed with HTTP "
        + status
        + (text.isEmpty() ? "" : ": " + shorten(text.replaceAll("\\s+", " ")));
  }

  private static String shorten(String text) {
    return text.length() <= MAX_ERROR_TEXT ? text : text.substring(0, MAX_ERROR_TEXT) + "…";
  }
}
