package org.kloaka.console.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.kloaka.api.Json;
import org.kloaka.api.Push;
import org.kloaka.console.client.ConnectionStatus.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket (docs/websocket.md) kept alive: a ping every {@code pingEvery}, a connection that
 * answers no pong within two intervals is dropped, and every drop is followed by another attempt
 * after a {@link Backoff} delay. Each successful open calls {@link Listener#opened()} first — the
 * place to re-read the REST state — and only then are pushes handed on.
 *
 * <p>Callbacks run on the WebSocket's or the scheduler's threads, never on the FX thread.
 */
public final class LiveConnection implements AutoCloseable {

  /** What the connection tells its owner. All methods may be called from any thread. */
  public interface Listener {
    /** A connection opened (first or after a drop): re-sync from REST now. */
    void opened();

    /** One server frame, already parsed; pongs are not passed on. */
    void pushed(Push push);

    /** The state changed. */
    void status(ConnectionStatus status);
  }

  /** How Java-WebSocket reports a handshake the server answered with an error status. */
  private static final java.util.regex.Pattern REFUSED =
      java.util.regex.Pattern.compile(
          "Invalid status code received: (\\d+)(?: Status line: \\S+ \\d+)?(.*)");

  private static final Logger log = LoggerFactory.getLogger(LiveConnection.class);

  private final URI uri;
  private final Listener listener;
  private final Backoff backoff;
  private final Duration pingEvery;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final ObjectMapper json = Json.newMapper();

  /**
   * The keep-alive, a <em>text</em> frame as the push server expects (docs/websocket.md): a binary
   * frame is answered with an error and no pong, so the connection was dropped every two intervals.
   */
  private final String ping;

  private final AtomicLong pongs = new AtomicLong();
  private final AtomicLong drops = new AtomicLong();

  private final Object lock = new Object();
  private Client client;
  private ScheduledFuture<?> pinger;
  private ScheduledFuture<?> retry;
  private volatile Instant lastPong;
  private boolean closed;

  public LiveConnection(
      URI wsUri,
      String token,
      Listener listener,
      Backoff backoff,
      Duration pingEvery,
      Clock clock,
      ScheduledExecutorService scheduler) {
    this.uri = withToken(Objects.requireNonNull(wsUri, "wsUri"), token);
    this.listener = Objects.requireNonNull(listener, "listener");
    this.backoff = backoff;
    this.pingEvery = pingEvery;
    this.clock = clock;
    this.scheduler = scheduler;
    try {
      this.ping = json.writeValueAsString(Map.of("action", "ping"));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static URI withToken(URI uri, String token) {
    String query = "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    String text = uri.toString();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : "";
    if (uri.getRawQuery() == null) {
      return URI.create(text + path + "?" + query);
    }
    return URI.create(text + "&" + query);
  }

  /** The address without the token, for the status bar. */
  public URI displayAddress() {
    String text = uri.toString();
    return URI.create(text.substring(0, text.indexOf("token=") - 1));
  }

  /** Pongs received since start, over every connection. */
  public long pongs() {
    return pongs.get();
  }

  /** Connections lost since start (dropped for a missing pong, closed by either side, failed). */
  public long drops() {
    return drops.get();
  }

  /** Starts the first attempt; later ones follow by themselves until {@link #close()}. */
  public void start() {
    listener.status(ConnectionStatus.of(State.CONNECTING, clock.instant()));
    attempt();
  }

  /**
   * "Retry now": while waiting for the next attempt, makes it at once (the backoff is not reset: if
   * this attempt fails, the wait after it is as long as it would have been).
   */
  public void retryNow() {
    synchronized (lock) {
      if (closed || retry == null || retry.isDone()) {
        return;
      }
      retry.cancel(false);
      retry = scheduler.schedule(this::attempt, 0, TimeUnit.MILLISECONDS);
    }
  }

  private void attempt() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      client = new Client(uri);
      client.setConnectionLostTimeout(0); // our own ping below watches the connection
      client.connect();
    }
  }

  private void onOpen(Client which) {
    synchronized (lock) {
      if (which != client || closed) {
        which.close();
        return;
      }
      backoff.reset();
      lastPong = clock.instant();
      long every = pingEvery.toMillis();
      pinger =
          scheduler.scheduleAtFixedRate(() -> ping(which), every, every, TimeUnit.MILLISECONDS);
    }
    listener.status(ConnectionStatus.of(State.SYNCING, clock.instant()));
    listener.opened();
  }

  private void ping(Client which) {
    if (!which.isOpen()) {
      return;
    }
    Instant now = clock.instant();
    if (Duration.between(lastPong, now).compareTo(pingEvery.multipliedBy(2)) > 0) {
      log.warn(
          "no pong from {} for {}; dropping the connection",
          displayAddress(),
          pingEvery.multipliedBy(2));
      which.closeConnection(4000, "no pong");
      return;
    }
    which.send(ping);
  }

  private void onMessage(String text) {
    Push push;
    try {
      push = json.readValue(text, Push.class);
    } catch (java.io.IOException | RuntimeException e) {
      log.warn("ignoring a frame that is not a Kloaka push: {}", shorten(text), e);
      return;
    }
    if (push instanceof Push.Pong) {
      lastPong = clock.instant();
      pongs.incrementAndGet();
      return;
    }
    if (push instanceof Push.Error error) {
      log.warn("the backend answered a frame with an error: {}", error.error());
      return;
    }
    listener.pushed(push);
  }

  private void onClosed(Client which, String reason) {
    Duration delay;
    synchronized (lock) {
      if (which != client) {
        return;
      }
      if (pinger != null) {
        pinger.cancel(false);
        pinger = null;
      }
      if (closed) {
        return;
      }
      drops.incrementAndGet();
      delay = backoff.next();
      retry = scheduler.schedule(this::attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
    Instant now = clock.instant();
    log.info(
        "live connection to {} lost ({}); next attempt in {} ms",
        displayAddress(),
        reason,
        delay.toMillis());
    listener.status(new ConnectionStatus(State.RECONNECTING, now, now.plus(delay), reason));
  }

  @Override
  public void close() {
    Client last;
    synchronized (lock) {
      closed = true;
      if (pinger != null) {
        pinger.cancel(false);
      }
      if (retry != null) {
        retry.cancel(false);
      }
      last = client;
    }
    if (last != null) {
      try {
        last.closeBlocking();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    listener.status(ConnectionStatus.of(State.STOPPED, clock.instant()));
  }

  private static String shorten(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }

  private static String reasonOf(int code, String reason, boolean remote) {
    if (reason != null && !reason.isBlank()) {
      java.util.regex.Matcher refused = REFUSED.matcher(reason);
      if (refused.find()) {
        String status = refused.group(1);
        return status.equals("401") || status.equals("403")
            ? "the backend refused the token (HTTP " + status + ")"
            : "the backend refused the WebSocket: HTTP " + status + " " + refused.group(2).strip();
      }
      return reason;
    }
    return (remote ? "closed by the backend" : "connection closed") + " (code " + code + ")";
  }

  private final class Client extends WebSocketClient {

    Client(URI uri) {
      super(uri);
      setTcpNoDelay(true);
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
      LiveConnection.this.onOpen(this);
    }

    @Override
    public void onMessage(String message) {
      LiveConnection.this.onMessage(message);
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
      onClosed(this, reasonOf(code, reason, remote));
    }

    /** Java-WebSocket calls onClose after onError when the connection fails; log only. */
    @Override
    public void onError(Exception ex) {
      log.debug("live connection error on {}", displayAddress(), ex);
    }
  }
}
