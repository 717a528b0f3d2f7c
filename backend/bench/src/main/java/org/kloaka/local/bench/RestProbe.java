package org.kloaka.local.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An operator's console polling {@code GET /problems} at a fixed rate on its own thread, timing
 * every answer while {@link #measure measuring}.
 */
final class RestProbe implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RestProbe.class);

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final HttpRequest request;
  private final long intervalNanos;
  private final Thread thread;
  private final AtomicLong failures = new AtomicLong();
  private volatile boolean running = true;
  private volatile boolean measuring;
  final Latencies latencies = new Latencies();

  RestProbe(URI base, String token, double perSecond) {
    this.request =
        HttpRequest.newBuilder(base.resolve("/problems"))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build();
    this.intervalNanos = (long) (1e9 / perSecond);
    this.thread = new Thread(this::run, "bench-rest-probe");
    thread.setDaemon(true);
    thread.start();
  }

  void measure(boolean on) {
    measuring = on;
  }

  /** Calls that failed or did not answer 200. */
  long failures() {
    return failures.get();
  }

  private void run() {
    long next = System.nanoTime();
    while (running) {
      long start = System.nanoTime();
      try {
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        long took = System.nanoTime() - start;
        if (response.statusCode() != 200) {
          failures.incrementAndGet();
          log.warn("GET /problems answered {}", response.statusCode());
        } else if (measuring) {
          latencies.record(took);
        }
      } catch (IOException e) {
        failures.incrementAndGet();
        log.warn("GET /problems failed: {}", e.toString());
      } catch (InterruptedException e) {
        return;
      }
      next += intervalNanos;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      } else {
        next = System.nanoTime(); // fell behind: no burst to catch up
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(Duration.ofSeconds(30).toMillis());
  }
}
