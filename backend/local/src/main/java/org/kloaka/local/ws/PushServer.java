package org.kloaka.local.ws;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.exceptions.InvalidHandshakeException;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.HandshakeBuilder;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.DefaultWebSocketServerFactory;
import org.java_websocket.server.WebSocketServer;
import org.kloaka.api.Json;
import org.kloaka.api.Push;
import org.kloaka.local.Explain;
import org.kloaka.rest.TokenCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consoles' WebSocket (docs/websocket.md): {@code ws://ADDR:PORT/?token=T}. A wrong or missing
 * token is answered {@code 401} at the handshake; an open connection receives every {@link Push},
 * answers {@code {"action":"ping"}} with a pong and anything else with an error frame, staying
 * open.
 *
 * <p>Limits: frames over {@value #MAX_FRAME_BYTES} bytes close the connection with 1009 (message
 * too big); a client with more than {@code maxQueued} frames not yet written (it stopped reading)
 * is closed with 1013 and a reason, so it never holds up the others (the kernel's send buffer per
 * connection is fixed at {@value #SEND_BUFFER_BYTES} bytes, so what it leaves unread reaches that
 * queue soon) — pushes are best effort, and it re-reads the REST state when it reconnects; a peer
 * silent for {@value #LOST_TIMEOUT_SECONDS} s of pings is dropped.
 */
public final class PushServer extends WebSocketServer implements AutoCloseable {

  public static final int MAX_FRAME_BYTES = 64 * 1024;
  public static final int DEFAULT_MAX_QUEUED = 10_000;
  static final int SEND_BUFFER_BYTES = 64 * 1024;
  static final int MAX_PENDING_EVENTS = 100_000;
  // Events sent to the clients in one go by the broadcast thread.
  static final int MAX_GROUP = 1_000;
  // Ends the broadcast thread; never sent.
  private static final Push STOP = new Push.Pong();
  static final int LOST_TIMEOUT_SECONDS = 30;
  static final long SLOW_CLIENT_GRACE_SECONDS = 5;

  private static final Logger log = LoggerFactory.getLogger(PushServer.class);

  private final TokenCheck tokens;
  private final int maxQueued;
  private final ObjectMapper json = Json.newMapper();
  private final ObjectWriter pushWriter = json.writerFor(Push.class);
  // Client frames are read strictly: trailing data and duplicate keys are errors, not a ping.
  private final ObjectReader frames =
      json.readerFor(JsonNode.class)
          .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
  private final Set<WebSocket> clients = ConcurrentHashMap.newKeySet();
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private final ScheduledExecutorService reaper =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "kloaka-ws-reaper");
            thread.setDaemon(true);
            return thread;
          });
  private final String pong;
  private final BlockingQueue<Push> outgoing = new ArrayBlockingQueue<>(MAX_PENDING_EVENTS);
  private final Thread broadcaster = new Thread(this::broadcastLoop, "kloaka-ws-broadcast");
  private volatile boolean closing;

  private PushServer(InetSocketAddress bind, TokenCheck tokens, int maxQueued) {
    super(bind, List.<Draft>of(new QuietDraft()));
    this.tokens = tokens;
    this.maxQueued = maxQueued;
    this.pong = text(new Push.Pong());
    setReuseAddr(true);
    setTcpNoDelay(true);
    setConnectionLostTimeout(LOST_TIMEOUT_SECONDS);
    setWebSocketFactory(new RefusableFactory());
    broadcaster.setDaemon(true);
    broadcaster.start();
  }

  /** RFC 6455 with the frame limit, and a {@code Server} header that does not name the library. */
  private static final class QuietDraft extends Draft_6455 {
    QuietDraft() {
      super(List.of(), MAX_FRAME_BYTES);
    }

    @Override
    public HandshakeBuilder postProcessHandshakeResponseAsServer(
        ClientHandshake request, ServerHandshakeBuilder response) throws InvalidHandshakeException {
      HandshakeBuilder built = super.postProcessHandshakeResponseAsServer(request, response);
      built.put("Server", "kloaka");
      return built;
    }

    @Override
    public Draft copyInstance() {
      return new QuietDraft();
    }
  }

  /** Java-WebSocket's own factory, with every socket wrapped in a {@link RefusableChannel}. */
  private static final class RefusableFactory implements WebSocketServerFactory {
    private final DefaultWebSocketServerFactory delegate = new DefaultWebSocketServerFactory();

    @Override
    public WebSocketImpl createWebSocket(WebSocketAdapter adapter, Draft draft) {
      return delegate.createWebSocket(adapter, draft);
    }

    @Override
    public WebSocketImpl createWebSocket(WebSocketAdapter adapter, List<Draft> drafts) {
      return delegate.createWebSocket(adapter, drafts);
    }

    @Override
    public ByteChannel wrapChannel(SocketChannel channel, SelectionKey key) {
      try {
        // A fixed kernel buffer instead of Linux's autotuning (up to 4 MiB): what a slow client
        // leaves unread then piles up in our queue, where it is counted and bounded.
        channel.setOption(StandardSocketOptions.SO_SNDBUF, SEND_BUFFER_BYTES);
      } catch (IOException e) {
        log.debug("cannot set the send buffer of a WebSocket connection: {}", e.toString());
      }
      return new RefusableChannel(channel);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  /**
   * Starts the server and waits until it is bound (port 0 picks a free one).
   *
   * @throws UncheckedIOException when the address cannot be bound
   */
  public static PushServer start(InetSocketAddress bind, TokenCheck tokens, int maxQueued) {
    PushServer server = new PushServer(bind, tokens, maxQueued);
    server.start();
    try {
      server.started.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      server.reaper.shutdownNow();
      server.broadcaster.interrupt();
      throw new UncheckedIOException(
          "cannot serve WebSocket on "
              + bind.getHostString()
              + ":"
              + bind.getPort()
              + ": "
              + e.getCause().getMessage(),
          e.getCause() instanceof java.io.IOException io
              ? io
              : new java.io.IOException(e.getCause()));
    } catch (InterruptedException | TimeoutException e) {
      server.close();
      throw new IllegalStateException("the WebSocket server did not start", e);
    }
    return server;
  }

  /** Where consoles connect, e.g. {@code ws://127.0.0.1:8081}, with the real port. */
  public URI uri() {
    String host = getAddress().getAddress().getHostAddress();
    return URI.create("ws://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + getPort());
  }

  /** Clients connected now. */
  public int clientCount() {
    return clients.size();
  }

  /**
   * Queues {@code event} for every client and returns: the broadcast thread writes it as JSON once
   * and sends it, events in the order given. That keeps serialising and framing off the caller —
   * the ingest writer, whose thread bounds the runtime's throughput. Waits only while {@value
   * #MAX_PENDING_EVENTS} events are queued (the broadcast thread starved of CPU); never throws for
   * a client's sake. After {@link #close} events are dropped.
   */
  public void broadcast(Push event) {
    if (closing) {
      return;
    }
    try {
      outgoing.put(event);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void broadcastLoop() {
    List<Push> group = new ArrayList<>();
    boolean stopping = false;
    while (!stopping) {
      try {
        group.add(outgoing.take());
      } catch (InterruptedException e) {
        return;
      }
      outgoing.drainTo(group, MAX_GROUP - 1);
      for (int i = 0; i < group.size(); i++) {
        if (group.get(i) == STOP) { // by identity: STOP is never a real event
          group.subList(i, group.size()).clear();
          stopping = true;
        }
      }
      try {
        send(group);
      } catch (RuntimeException e) {
        log.error("Broadcasting {} pushes failed", group.size(), e);
      }
      group.clear();
    }
  }

  /**
   * Sends a group of events (what was queued meanwhile, in order) to every client: each written as
   * JSON once, framed once, and handed to each client in one call — one wake-up of the selector per
   * group, not per event, which at full ingest speed was most of the WebSocket's CPU.
   */
  private void send(List<Push> events) {
    if (events.isEmpty() || clients.isEmpty()) {
      return;
    }
    List<String> texts = new ArrayList<>(events.size());
    for (Push event : events) {
      texts.add(text(event));
    }
    Map<Draft, List<Framedata>> framesByDraft = new HashMap<>(2);
    for (WebSocket client : clients) {
      int queued = ((WebSocketImpl) client).outQueue.size();
      if (queued >= maxQueued) {
        dropSlow(client, queued);
        continue;
      }
      List<Framedata> frames =
          framesByDraft.computeIfAbsent(
              client.getDraft(),
              draft -> {
                List<Framedata> all = new ArrayList<>(texts.size());
                for (String text : texts) {
                  all.addAll(draft.createFrames(text, false));
                }
                return all;
              });
      try {
        client.sendFrame(frames);
      } catch (WebsocketNotConnectedException e) {
        clients.remove(client);
      }
    }
  }

  private void dropSlow(WebSocket client, int queued) {
    if (!clients.remove(client)) {
      return;
    }
    String reason =
        "too slow: " + queued + " messages waiting; reconnect and re-read the REST state";
    log.warn("Closing WebSocket client {}: {}", client.getRemoteSocketAddress(), reason);
    client.close(CloseFrame.TRY_AGAIN_LATER, reason);
    // A client that does not read will not read our close frame either: cut it after a grace.
    reaper.schedule(
        () -> {
          if (!client.isClosed()) {
            ((WebSocketImpl) client).closeConnection(CloseFrame.TRY_AGAIN_LATER, reason);
          }
        },
        SLOW_CLIENT_GRACE_SECONDS,
        TimeUnit.SECONDS);
  }

  @Override
  public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(
      WebSocket conn, Draft draft, ClientHandshake request) throws InvalidDataException {
    ServerHandshakeBuilder response =
        super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
    Refusal refusal = refusal(request.getResourceDescriptor());
    if (refusal != null) {
      ByteChannel channel = ((WebSocketImpl) conn).getChannel();
      if (channel instanceof RefusableChannel refusable) {
        refusable.answerWith(refusal.httpResponse());
      }
      // A peer that ignores our answer and keeps the socket open is cut after a grace.
      reaper.schedule(
          () -> ((WebSocketImpl) conn).closeConnection(),
          SLOW_CLIENT_GRACE_SECONDS,
          TimeUnit.SECONDS);
      throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, refusal.message());
    }
    return response;
  }

  /** Why a handshake for {@code resource} (path and query) is refused, or null to accept it. */
  private Refusal refusal(String resource) {
    URI uri;
    try {
      uri = new URI(resource);
    } catch (URISyntaxException e) {
      return new Refusal(400, "Bad Request", "the request target is not a valid URI");
    }
    String path = uri.getRawPath();
    if (path != null && !path.isEmpty() && !path.equals("/")) {
      return new Refusal(404, "Not Found", "connect to / (ws://host:port/?token=…)");
    }
    String token = null;
    int tokens = 0;
    if (uri.getRawQuery() != null) {
      for (String parameter : uri.getRawQuery().split("&")) {
        int equals = parameter.indexOf('=');
        String name = equals < 0 ? parameter : parameter.substring(0, equals);
        if (name.equals("token")) {
          tokens++;
          token =
              equals < 0
                  ? ""
                  : URLDecoder.decode(parameter.substring(equals + 1), StandardCharsets.UTF_8);
        }
      }
    }
    if (tokens != 1 || !this.tokens.accepts(token)) {
      return new Refusal(401, "Unauthorized", "a valid ?token= is required");
    }
    return null;
  }

  private record Refusal(int status, String phrase, String message) {
    byte[] httpResponse() {
      return RefusableChannel.jsonResponse(status, phrase, message);
    }
  }

  @Override
  public void onOpen(WebSocket conn, ClientHandshake handshake) {
    clients.add(conn);
    log.debug("WebSocket client {} connected", conn.getRemoteSocketAddress());
  }

  @Override
  public void onClose(WebSocket conn, int code, String reason, boolean remote) {
    clients.remove(conn);
    log.debug("WebSocket client {} closed: {} {}", conn.getRemoteSocketAddress(), code, reason);
  }

  @Override
  public void onMessage(WebSocket conn, String message) {
    String error = null;
    try {
      JsonNode frame = message.isBlank() ? null : frames.readTree(message);
      JsonNode action = frame == null ? null : frame.get("action");
      if (frame == null || !frame.isObject()) {
        error = "send a JSON object such as {\"action\":\"ping\"}";
      } else if (action == null || !action.isTextual()) {
        error = "the frame has no \"action\"; the only one is \"ping\"";
      } else if (!action.textValue().equals("ping")) {
        error = "unknown action \"" + clip(action.textValue()) + "\"; the only one is \"ping\"";
      }
    } catch (StreamConstraintsException e) {
      // Jackson's own text names its internals (StreamReadConstraints…): say it for a person.
      error = "the frame's JSON is not usable: " + Explain.JSON_TOO_BIG;
    } catch (JsonProcessingException e) {
      error =
          "the frame is not valid JSON"
              + where(e)
              + "; send an object such as {\"action\":\"ping\"}";
    }
    reply(conn, error == null ? pong : text(new Push.Error(error)));
  }

  @Override
  public void onMessage(WebSocket conn, ByteBuffer message) {
    reply(
        conn,
        text(
            new Push.Error(
                "binary frames are not understood; send JSON text such as {\"action\":\"ping\"}")));
  }

  private void reply(WebSocket conn, String frame) {
    // A client that sends without reading would make our answers pile up without bound.
    int queued = ((WebSocketImpl) conn).outQueue.size();
    if (queued >= maxQueued) {
      dropSlow(conn, queued);
      return;
    }
    try {
      conn.send(frame);
    } catch (WebsocketNotConnectedException e) {
      // It went away meanwhile; nothing to answer.
    }
  }

  @Override
  public void onError(WebSocket conn, Exception e) {
    if (conn == null) {
      // Not tied to a connection: binding failed, or the server loop died.
      if (!started.completeExceptionally(e)) {
        log.error("The WebSocket server failed", e);
      }
      return;
    }
    if (e instanceof InvalidDataException) {
      // A client broke the protocol (bad UTF-8, unknown opcode, frame too big…): the library has
      // closed it with the right code. One line; its own logger, which logs a stack trace for
      // this, is off in simplelogger.properties.
      log.info(
          "WebSocket client {} closed: {} ({})",
          conn.getRemoteSocketAddress(),
          e.getMessage(),
          ((InvalidDataException) e).getCloseCode());
    } else if (e instanceof RuntimeException) {
      log.error(
          "WebSocket client {}: failure in Kloaka's handler", conn.getRemoteSocketAddress(), e);
    } else {
      log.debug("WebSocket client {}: {}", conn.getRemoteSocketAddress(), e.toString());
    }
  }

  @Override
  public void onStart() {
    started.complete(null);
  }

  private String text(Push push) {
    try {
      return pushWriter.writeValueAsString(push);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a push cannot be written as JSON", e);
    }
  }

  private static String where(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    return at == null || at.getLineNr() < 1
        ? ""
        : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
  }

  private static String clip(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "…";
  }

  /** Says goodbye (1001) to every client and stops, waiting at most a second for them. */
  @Override
  public void close() {
    closing = true;
    // Sends what was queued before the close (best effort: a second at most), then stops.
    if (outgoing.offer(STOP)) {
      try {
        broadcaster.join(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    broadcaster.interrupt();
    reaper.shutdownNow();
    try {
      stop(1000, "the server is shutting down");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
