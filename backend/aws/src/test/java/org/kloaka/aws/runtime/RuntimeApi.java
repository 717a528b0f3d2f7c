package org.kloaka.aws.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One function's Lambda Runtime API (the 2018-06-01 interface AWS's runtime interface client
 * speaks) over real HTTP on a loopback port: {@code invocation/next} hands out the events queued by
 * {@link #invoke}, {@code invocation/ID/response} and {@code /error} complete them, {@code
 * init/error} and {@code restore/error} record a failed start. With SnapStart the client calls
 * {@code restore/next} once initialisation is done — the moment Lambda takes the snapshot — and
 * this server holds that call until {@link #restore}, like a restore from the snapshot.
 *
 * <p>It also serves the container credentials Lambda gives a SnapStart function ({@code
 * AWS_CONTAINER_CREDENTIALS_FULL_URI}), since such a function gets no access keys in its
 * environment.
 */
final class RuntimeApi implements AutoCloseable {

  /** Where the function is in its life. */
  enum Phase {
    /** Loading the handler and running its constructor: what SnapStart would snapshot. */
    INIT,
    /** Initialised, waiting in {@code restore/next}: the snapshot is taken. */
    SNAPSHOT,
    /** Restored (or started on demand): taking invocations. */
    RUNNING
  }

  /** What an invocation ended with: the response body, or the error the runtime reported. */
  record Outcome(String body, String errorType) {
    boolean failed() {
      return errorType != null;
    }
  }

  static final String CREDENTIALS_TOKEN = "container-credentials-token";
  private static final String PREFIX = "/2018-06-01/runtime/";

  private record Pending(String id, String payload, CompletableFuture<Outcome> outcome) {}

  private final String functionArn;
  private final int timeoutSeconds;
  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool(RuntimeApi::daemon);
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Map<String, Pending> inFlight = new ConcurrentHashMap<>();
  private final CompletableFuture<Phase> ready = new CompletableFuture<>();
  private final CompletableFuture<Void> restored = new CompletableFuture<>();
  private final List<String> unexpected = new ArrayList<>();
  private final java.util.concurrent.atomic.AtomicInteger credentialRequests =
      new java.util.concurrent.atomic.AtomicInteger();
  private final long createdNanos = System.nanoTime();
  private volatile long readyNanos;
  private volatile Phase phase = Phase.INIT;
  private volatile String failure;

  RuntimeApi(String functionArn, int timeoutSeconds) throws IOException {
    this.functionArn = functionArn;
    this.timeoutSeconds = timeoutSeconds;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The value of {@code AWS_LAMBDA_RUNTIME_API}: host and port, no scheme. */
  String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  URI credentialsUri() {
    return URI.create("http://" + address() + "/credentials");
  }

  Phase phase() {
    return phase;
  }

  /**
   * Completes when the function is initialised (in {@code restore/next} with SnapStart, in its
   * first {@code invocation/next} without), or fails when it reported an init error or died.
   */
  CompletableFuture<Phase> ready() {
    return ready;
  }

  /** Lets the function out of {@code restore/next}: SnapStart restores it from the snapshot. */
  void restore() {
    restored.complete(null);
  }

  /** Queues an event; the outcome completes when the function answers, or fails if it dies. */
  CompletableFuture<Outcome> invoke(String payload) {
    Pending pending = new Pending(UUID.randomUUID().toString(), payload, new CompletableFuture<>());
    if (failure != null) {
      pending.outcome().completeExceptionally(new IllegalStateException(failure));
    } else {
      queue.add(pending);
    }
    return pending.outcome();
  }

  /** Fails whatever waits on this function, with the reason (it exited, or could not start). */
  void fail(String reason) {
    failure = reason;
    ready.completeExceptionally(new IllegalStateException(reason));
    List<Pending> waiting = new ArrayList<>(inFlight.values());
    queue.drainTo(waiting);
    for (Pending pending : waiting) {
      pending.outcome().completeExceptionally(new IllegalStateException(reason));
    }
  }

  /** From this server's start to the function's readiness, in ms; -1 while not ready. */
  long initMillis() {
    return readyNanos == 0 ? -1 : (readyNanos - createdNanos) / 1_000_000;
  }

  /** How often the function asked for its container credentials. */
  int credentialRequests() {
    return credentialRequests.get();
  }

  synchronized List<String> unexpectedRequests() {
    return List.copyOf(unexpected);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      String text = new String(body, StandardCharsets.UTF_8);
      if (method.equals("GET") && path.equals("/credentials")) {
        credentials(exchange);
      } else if (method.equals("GET") && path.equals(PREFIX + "invocation/next")) {
        next(exchange);
      } else if (method.equals("GET") && path.equals(PREFIX + "restore/next")) {
        phase = Phase.SNAPSHOT;
        readyNanos = System.nanoTime();
        ready.complete(Phase.SNAPSHOT);
        restored.get();
        phase = Phase.RUNNING;
        answer(exchange, 200, "");
      } else if (method.equals("POST") && path.equals(PREFIX + "init/error")) {
        fail("init error " + header(exchange) + ": " + text);
        answer(exchange, 202, "");
      } else if (method.equals("POST") && path.equals(PREFIX + "restore/error")) {
        fail("restore error " + header(exchange) + ": " + text);
        answer(exchange, 202, "");
      } else if (method.equals("POST") && path.startsWith(PREFIX + "invocation/")) {
        finish(exchange, path.substring((PREFIX + "invocation/").length()), text);
      } else {
        synchronized (this) {
          unexpected.add(method + " " + path);
        }
        answer(exchange, 404, "{\"errorMessage\":\"unknown path\"}");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  private void next(HttpExchange exchange) throws IOException, InterruptedException {
    if (phase == Phase.INIT) {
      phase = Phase.RUNNING;
      readyNanos = System.nanoTime();
      ready.complete(Phase.RUNNING);
    }
    Pending pending = queue.take();
    inFlight.put(pending.id(), pending);
    var headers = exchange.getResponseHeaders();
    headers.add("Lambda-Runtime-Aws-Request-Id", pending.id());
    headers.add(
        "Lambda-Runtime-Deadline-Ms",
        Long.toString(System.currentTimeMillis() + timeoutSeconds * 1000L));
    headers.add("Lambda-Runtime-Invoked-Function-Arn", functionArn);
    headers.add(
        "Lambda-Runtime-Trace-Id",
        "Root=1-00000000-" + pending.id().replace("-", "").substring(0, 24));
    headers.add("Content-Type", "application/json");
    answer(exchange, 200, pending.payload());
  }

  private void finish(HttpExchange exchange, String rest, String body) throws IOException {
    int slash = rest.indexOf('/');
    Pending pending = slash < 0 ? null : inFlight.remove(rest.substring(0, slash));
    String kind = slash < 0 ? "" : rest.substring(slash + 1);
    if (pending == null || !(kind.equals("response") || kind.equals("error"))) {
      synchronized (this) {
        unexpected.add("POST invocation/" + rest);
      }
      answer(exchange, 400, "{\"errorMessage\":\"unknown invocation\"}");
      return;
    }
    answer(exchange, 202, "");
    pending
        .outcome()
        .complete(
            kind.equals("response")
                ? new Outcome(body, null)
                : new Outcome(body, header(exchange)));
  }

  private void credentials(HttpExchange exchange) throws IOException {
    credentialRequests.incrementAndGet();
    if (!CREDENTIALS_TOKEN.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      answer(exchange, 403, "{\"message\":\"wrong authorization token\"}");
      return;
    }
    answer(
        exchange,
        200,
        "{\"AccessKeyId\":\"testing\",\"SecretAccessKey\":\"testing\",\"Token\":\"testing\","
            + "\"Expiration\":\"2099-01-01T00:00:00Z\"}");
  }

  private static String header(HttpExchange exchange) {
    String type = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
    return type == null ? "(no error type)" : type;
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static Thread daemon(Runnable task) {
    Thread thread = new Thread(task, "runtime-api");
    thread.setDaemon(true);
    return thread;
  }

  @Override
  public void close() {
    fail("the test stopped the runtime API");
    restored.complete(null);
    server.stop(0);
    threads.shutdownNow();
  }
}
