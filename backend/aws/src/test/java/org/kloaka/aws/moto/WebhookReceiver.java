package org.kloaka.aws.moto;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A webhook receiver over real HTTP (the JDK's server on a free loopback port): records each
 * request and answers the statuses it was told to, then 204. Stop it with {@link #close}.
 */
public final class WebhookReceiver implements AutoCloseable {

  /** One request as received. */
  public record Request(String authorization, String body, int answered) {}

  private final HttpServer server;
  private final List<Request> requests = new ArrayList<>();
  private final Deque<Integer> answers = new ArrayDeque<>();

  public WebhookReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/hook",
        exchange -> {
          String body;
          try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          }
          int status;
          synchronized (this) {
            status = answers.isEmpty() ? 204 : answers.poll();
            requests.add(
                new Request(exchange.getRequestHeaders().getFirst("Authorization"), body, status));
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  /** The next requests get these statuses, in order; later ones 204 again. */
  public synchronized void answer(Integer... statuses) {
    answers.addAll(List.of(statuses));
  }

  public synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The requests that were answered 2xx. */
  public synchronized List<Request> delivered() {
    return requests.stream().filter(r -> r.answered() / 100 == 2).toList();
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
