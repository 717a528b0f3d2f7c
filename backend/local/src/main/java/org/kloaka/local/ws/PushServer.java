package org.kloaka.local.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.kloaka.api.ClientFrames;
import org.kloaka.api.Json;
import org.kloaka.api.Push;
import org.kloaka.core.port.OperatorSessions;
import org.kloaka.local.http.BodyLimit;
import org.kloaka.local.http.ConnectionLimit;
import org.kloaka.local.http.HttpApiServer;
import org.kloaka.local.http.Refusal;
import org.kloaka.rest.TokenCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consoles' WebSocket: {@code ws://ADDR:PORT/?token=T}, on Netty's HTTP and WebSocket codecs. A
 * wrong or missing token is answered {@code 401} at the handshake, a request that is no handshake
 * {@code 400}, another path {@code 404}, all with a JSON {@code {"error": …}} body; an open
 * connection receives every {@link Push} and has its frames answered as {@link ClientFrames} says
 * (pong, or an error frame; the connection stays open). The protocol is in docs/websocket.md and
 * docs/decisions/017-connection-hardening.md.
 *
 * <p>Limits: a frame or fragmented message over {@value #MAX_FRAME_BYTES} bytes closes the
 * connection with 1009, a protocol violation with 1002 (1007 for bad UTF-8); a client with {@code
 * maxQueued} frames not yet written (it stopped reading) is closed with 1013 and a reason, then cut
 * {@value #SLOW_CLIENT_GRACE_SECONDS} s later, so it never holds up the others (the kernel's send
 * buffer per connection is fixed at {@value #SEND_BUFFER_BYTES} bytes, so what it leaves unread
 * reaches that count soon) — pushes are best effort, and it re-reads the REST state when it
 * reconnects. A handshake not complete within {@link Options#handshakeTimeout} gets {@code 408}; a
 * connection that sends nothing for half the {@link Options#idleTimeout} is pinged, and closed
 * (1001) when the whole of it passes; connections over the {@link ConnectionLimit} get {@code 429}
 * or {@code 503} at once.
 */
public final class PushServer implements OperatorSessions, AutoCloseable {

  public static final int MAX_FRAME_BYTES = ClientFrames.MAX_FRAME_BYTES;
  public static final int DEFAULT_MAX_QUEUED = 10_000;
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(90);
  static final int SEND_BUFFER_BYTES = 64 * 1024;
  static final int MAX_PENDING_EVENTS = 100_000;
  // Events sent to the clients in one go by the broadcast thread.
  static final int MAX_GROUP = 1_000;
  static final long SLOW_CLIENT_GRACE_SECONDS = 5;
  static final int IO_THREADS = 2;
  static final int ACCEPT_BACKLOG = HttpApiServer.ACCEPT_BACKLOG;
  // How long a refused connection may stay to read its answer.
  static final Duration REFUSAL_LINGER = Duration.ofSeconds(1);
  // Ends the broadcast thread; never sent.
  private static final Push STOP = new Push.Pong();

  private static final Logger log = LoggerFactory.getLogger(PushServer.class);

  /**
   * How the server treats its clients.
   *
   * @param maxQueued frames a client may leave unwritten before it is closed with 1013
   * @param handshakeTimeout from the connection to the end of its handshake request
   * @param idleTimeout how long a client may send nothing (a ping, a pong, any frame); it is pinged
   *     after half of it. Longer than the console's ping interval.
   * @param connections how many connections may be open at once, per address and in all
   */
  public record Options(
      int maxQueued, Duration handshakeTimeout, Duration idleTimeout, ConnectionLimit connections) {

    public Options {
      if (maxQueued < 1) {
        throw new IllegalArgumentException("maxQueued must be at least 1, was " + maxQueued);
      }
      if (handshakeTimeout.isNegative()
          || handshakeTimeout.isZero()
          || idleTimeout.toMillis() < 2) {
        throw new IllegalArgumentException("WebSocket timeouts must be positive");
      }
    }

    /** The defaults, with {@code maxQueued} and no connection limit. */
    public static Options of(int maxQueued) {
      return new Options(
          maxQueued, DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_IDLE_TIMEOUT, ConnectionLimit.unlimited());
    }
  }

  private final Options options;
  private final TokenCheck tokens;
  private final ClientFrames answers = new ClientFrames();
  private final ObjectWriter pushWriter = Json.newMapper().writerFor(Push.class);
  private final Set<Client> clients = ConcurrentHashMap.newKeySet();
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final EventLoopGroup accepting;
  private final EventLoopGroup io;
  private final BlockingQueue<Push> outgoing = new ArrayBlockingQueue<>(MAX_PENDING_EVENTS);
  private final Thread broadcaster = new Thread(this::broadcastLoop, "kloaka-ws-broadcast");
  private final Channel listening;
  private final URI uri;
  private volatile boolean closing;

  private PushServer(InetSocketAddress bind, TokenCheck tokens, Options options) {
    this.options = options;
    this.tokens = tokens;
    this.accepting = new NioEventLoopGroup(1, new DefaultThreadFactory("kloaka-ws-accept", true));
    this.io = new NioEventLoopGroup(IO_THREADS, new DefaultThreadFactory("kloaka-ws-io", true));
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(accepting, io)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, ACCEPT_BACKLOG)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            // A fixed kernel buffer instead of Linux's autotuning (up to 4 MiB): what a slow client
            // leaves unread then piles up where it is counted and bounded.
            .childOption(ChannelOption.SO_SNDBUF, SEND_BUFFER_BYTES)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    accept(channel);
                  }
                });
    try {
      this.listening = bootstrap.bind(bind).sync().channel();
    } catch (Exception e) { // Netty rethrows the bind's IOException without declaring it
      shutdownThreads();
      throw new UncheckedIOException(
          "cannot serve WebSocket on "
              + bind.getHostString()
              + ":"
              + bind.getPort()
              + ": "
              + e.getMessage(),
          e instanceof IOException cause ? cause : new IOException(e));
    }
    // The address asked for with the port bound: Netty reads a wildcard back as [::], and the
    // ready line shows every server's address the same way.
    int port = ((InetSocketAddress) listening.localAddress()).getPort();
    String host = bind.getAddress().getHostAddress();
    this.uri = URI.create("ws://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
    broadcaster.setDaemon(true);
    broadcaster.start();
  }

  /**
   * Starts the server with the default timeouts and no connection limit, and waits until it is
   * bound (port 0 picks a free one).
   *
   * @throws UncheckedIOException when the address cannot be bound
   */
  public static PushServer start(InetSocketAddress bind, TokenCheck tokens, int maxQueued) {
    return start(bind, tokens, Options.of(maxQueued));
  }

  /**
   * Starts the server with {@code options}; as {@link #start(InetSocketAddress, TokenCheck, int)}.
   */
  public static PushServer start(InetSocketAddress bind, TokenCheck tokens, Options options) {
    return new PushServer(bind, tokens, options);
  }

  private void accept(SocketChannel channel) {
    connections.add(channel);
    var refused = options.connections().admit(channel);
    if (refused != null) {
      log.debug("WebSocket connection from {} refused: {}", channel.remoteAddress(), refused);
      Refusal.install(channel, refused, REFUSAL_LINGER);
      return;
    }
    channel
        .pipeline()
        .addLast("http", new HttpServerCodec(8 * 1024, 16 * 1024, 8 * 1024))
        .addLast("request", new BodyLimit(0, Handshake.notAHandshake()))
        .addLast("handshake", new Handshake(this, tokens, options));
  }

  /** Where consoles connect, e.g. {@code ws://127.0.0.1:8081}, with the real port. */
  public URI uri() {
    return uri;
  }

  /** The port the server listens on. */
  public int port() {
    return uri.getPort();
  }

  /** Clients connected now (handshake done). */
  public int clientCount() {
    return clients.size();
  }

  /** TCP connections open now: clients, handshakes under way, and refusals being answered. */
  public int connectionCount() {
    return connections.size();
  }

  ClientFrames answers() {
    return answers;
  }

  void opened(Client client) {
    if (closing) {
      client.channel().close();
      return;
    }
    clients.add(client);
    log.debug("WebSocket client {} connected", client.channel().remoteAddress());
  }

  void closed(Client client) {
    if (clients.remove(client)) {
      log.debug("WebSocket client {} closed", client.channel().remoteAddress());
    }
  }

  /** Closes a client that does not read what it is sent (1013), and cuts it after a grace. */
  void dropSlow(Client client, int queued) {
    if (!clients.remove(client) && client.isClosing()) {
      return;
    }
    String reason =
        "too slow: " + queued + " messages waiting; reconnect and re-read the REST state";
    log.warn("Closing WebSocket client {}: {}", client.channel().remoteAddress(), reason);
    client.closeWith(CLOSE_TRY_AGAIN_LATER, reason);
    // A client that does not read will not read our close frame either: cut it after a grace.
    client
        .channel()
        .eventLoop()
        .schedule(() -> client.channel().close(), SLOW_CLIENT_GRACE_SECONDS, TimeUnit.SECONDS);
  }

  static final int CLOSE_TRY_AGAIN_LATER = 1013;

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
   * JSON once and framed once, into one buffer that every client's connection writes in one go —
   * one wake-up of its event loop per group, not per event.
   */
  private void send(List<Push> events) {
    if (events.isEmpty() || clients.isEmpty()) {
      return;
    }
    List<byte[]> payloads = new ArrayList<>(events.size());
    int size = 0;
    for (Push event : events) {
      byte[] payload = text(event).getBytes(StandardCharsets.UTF_8);
      payloads.add(payload);
      size += payload.length + 10;
    }
    ByteBuf frames = Unpooled.buffer(size);
    for (byte[] payload : payloads) {
      textFrame(frames, payload);
    }
    try {
      for (Client client : clients) {
        client.push(frames.retainedDuplicate(), events.size());
      }
    } finally {
      frames.release();
    }
  }

  /** Appends an unmasked, final text frame holding {@code payload} (RFC 6455 §5.2). */
  static void textFrame(ByteBuf out, byte[] payload) {
    out.writeByte(0x81);
    if (payload.length < 126) {
      out.writeByte(payload.length);
    } else if (payload.length < 65_536) {
      out.writeByte(126);
      out.writeShort(payload.length);
    } else {
      out.writeByte(127);
      out.writeLong(payload.length);
    }
    out.writeBytes(payload);
  }

  private String text(Push push) {
    try {
      return pushWriter.writeValueAsString(push);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a push cannot be written as JSON", e);
    }
  }

  /**
   * Closes every connection opened with {@code operator}'s token (1008, policy violation): the
   * operator was removed (docs/websocket.md). A client that does not answer the close frame is cut
   * after a second.
   */
  @Override
  public void closeAll(String operator) {
    for (Client client : clients) {
      if (operator.equals(client.operator()) && clients.remove(client)) {
        log.info(
            "Closing WebSocket client {}: operator {} was removed",
            client.channel().remoteAddress(),
            operator);
        client.closeWith(CLOSE_POLICY_VIOLATION, "this operator was removed");
        client.channel().eventLoop().schedule(() -> client.channel().close(), 1, TimeUnit.SECONDS);
      }
    }
  }

  @Override
  public Set<String> connected() {
    Set<String> names = new HashSet<>();
    for (Client client : clients) {
      if (client.operator() != null) {
        names.add(client.operator());
      }
    }
    return names;
  }

  static final int CLOSE_POLICY_VIOLATION = 1008;

  /** Says goodbye (1001) to every client and stops, waiting at most a second or two for them. */
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
    listening.close().syncUninterruptibly();
    for (Client client : clients) {
      client.closeWith(1001, "the server is shutting down");
    }
    clients.clear();
    connections.newCloseFuture().awaitUninterruptibly(1, TimeUnit.SECONDS);
    connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    shutdownThreads();
  }

  private void shutdownThreads() {
    accepting.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    accepting.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
    io.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
