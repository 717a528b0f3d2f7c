package org.kloaka.local.http;

import io.netty.bootstrap.ServerBootstrap;
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
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.kloaka.rest.ApiResponse;
import org.kloaka.rest.ApiRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API over HTTP/1.1 (Netty's codec): each request becomes an {@link
 * org.kloaka.rest.ApiRequest} for the {@link ApiRouter}, whose answer is written back as JSON.
 *
 * <p>Every answer is the contract's JSON, including those to requests that are not valid HTTP — a
 * malformed request line or header, broken framing: {@code 400}; a request line over {@value
 * #MAX_REQUEST_LINE_BYTES} bytes: {@code 414}; headers over {@value #MAX_HEADER_BYTES} bytes:
 * {@code 431}; a body over {@value #MAX_BODY_BYTES} bytes (declared or found while reading): {@code
 * 413} before the rest is read. Each of those closes the connection. (The JDK's built-in server,
 * used before, answered them with HTML naming Java exceptions.)
 *
 * <p>Requests of one connection are answered in order, one at a time; the router runs on a bounded
 * pool ({@code threads}, then a queue of {@value #QUEUE}, then the I/O thread itself, which slows
 * reading down rather than failing). A request not received in full within {@link
 * Options#requestTimeout} is answered {@code 408} (slowloris); a connection idle for {@link
 * Options#idleTimeout} between requests is closed; connections over the {@link ConnectionLimit} get
 * {@code 429} or {@code 503} at once. A remote address over its {@link RateLimit} gets {@code 429}
 * with {@code Retry-After}; every request counts, whatever its answer, so guessing the token is
 * slowed too.
 */
public final class HttpApiServer implements AutoCloseable {

  public static final int MAX_BODY_BYTES = 64 * 1024;
  public static final int MAX_REQUEST_LINE_BYTES = 8 * 1024;
  public static final int MAX_HEADER_BYTES = 16 * 1024;
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
  // How long a connection over the limit may stay to read its answer.
  static final Duration REFUSAL_LINGER = Duration.ofSeconds(1);
  static final int QUEUE = 100;

  /**
   * Connections the kernel may hold for us before we accept them: when a flood fills the queue, a
   * new connection waits for TCP's retries (1 s, 3 s, …). Linux caps it at {@code
   * net.core.somaxconn} (4,096 by default). A precaution (docs/decisions/017).
   */
  public static final int ACCEPT_BACKLOG = 1_024;

  static final int IO_THREADS = 2;

  private static final Logger log = LoggerFactory.getLogger(HttpApiServer.class);

  private final EventLoopGroup accepting;
  private final EventLoopGroup io;
  private final ThreadPoolExecutor handlers;
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final Channel listening;
  private final URI uri;

  /**
   * How the server treats its connections.
   *
   * @param requestTimeout how long a client has to send a request in full ({@link RequestDeadline})
   * @param idleTimeout how long a kept-alive connection may wait for its next request
   * @param connections how many connections may be open at once, per address and in all
   */
  public record Options(
      Duration requestTimeout, Duration idleTimeout, ConnectionLimit connections) {
    public Options {
      if (requestTimeout.toMillis() < 1 || idleTimeout.toMillis() < 1) {
        throw new IllegalArgumentException("REST timeouts must be positive");
      }
    }

    /** The default timeouts, no connection limit. */
    public static Options defaults() {
      return new Options(
          DEFAULT_REQUEST_TIMEOUT, DEFAULT_IDLE_TIMEOUT, ConnectionLimit.unlimited());
    }
  }

  private HttpApiServer(
      InetSocketAddress bind, ApiRouter router, int threads, RateLimit rateLimit, Options options) {
    AtomicInteger number = new AtomicInteger();
    this.handlers =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE),
            runnable -> {
              Thread thread = new Thread(runnable, "kloaka-http-" + number.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            },
            new ThreadPoolExecutor.CallerRunsPolicy());
    handlers.allowCoreThreadTimeOut(true);
    this.accepting = new NioEventLoopGroup(1, new DefaultThreadFactory("kloaka-http-accept", true));
    this.io = new NioEventLoopGroup(IO_THREADS, new DefaultThreadFactory("kloaka-http-io", true));
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(accepting, io)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, ACCEPT_BACKLOG)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    connections.add(channel);
                    ApiResponse refused = options.connections().admit(channel);
                    if (refused != null) {
                      Refusal.install(channel, refused, REFUSAL_LINGER);
                      return;
                    }
                    RequestDeadline deadline = new RequestDeadline(options.requestTimeout());
                    channel
                        .pipeline()
                        .addLast(
                            "idle",
                            new IdleStateHandler(
                                options.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS))
                        .addLast("deadline", deadline.wire)
                        .addLast(
                            "codec",
                            new HttpServerCodec(MAX_REQUEST_LINE_BYTES, MAX_HEADER_BYTES, 8192))
                        .addLast("requests", deadline.messages)
                        .addLast("body", new BodyLimit(MAX_BODY_BYTES))
                        .addLast("api", new Exchanges(router, handlers, rateLimit));
                  }
                });
    try {
      this.listening = bootstrap.bind(bind).sync().channel();
    } catch (Exception e) { // Netty rethrows the bind's IOException unchecked-looking
      shutdownThreads();
      throw new UncheckedIOException(
          "cannot serve HTTP on "
              + bind.getHostString()
              + ":"
              + bind.getPort()
              + ": "
              + e.getMessage(),
          e instanceof java.io.IOException io ? io : new java.io.IOException(e));
    }
    // The address asked for with the port bound: a wildcard bind reads back as [::] from Netty,
    // and the ready line shows every server's address the same way.
    int port = ((InetSocketAddress) listening.localAddress()).getPort();
    this.uri = URI.create("http://" + hostForUri(bind) + ":" + port);
  }

  /**
   * Starts serving on {@code bind} (port 0 picks a free one).
   *
   * @param threads how many requests the router may answer at once
   * @param rateLimit requests allowed per remote address; over it the answer is 429
   * @throws UncheckedIOException when the address cannot be bound (in use, not local, …)
   */
  public static HttpApiServer start(
      InetSocketAddress bind, ApiRouter router, int threads, RateLimit rateLimit) {
    return start(bind, router, threads, rateLimit, Options.defaults());
  }

  /** As {@link #start(InetSocketAddress, ApiRouter, int, RateLimit)}, with {@code options}. */
  public static HttpApiServer start(
      InetSocketAddress bind, ApiRouter router, int threads, RateLimit rateLimit, Options options) {
    return new HttpApiServer(bind, router, threads, rateLimit, options);
  }

  /** Connections open now, including those being refused. */
  public int connectionCount() {
    return connections.size();
  }

  /** Without a rate limit. */
  public static HttpApiServer start(InetSocketAddress bind, ApiRouter router, int threads) {
    return start(bind, router, threads, RateLimit.off());
  }

  /** Where the API answers, e.g. {@code http://127.0.0.1:8080}, with the real port. */
  public URI uri() {
    return uri;
  }

  static String hostForUri(InetSocketAddress address) {
    String host = address.getAddress().getHostAddress();
    return host.contains(":") ? "[" + host + "]" : host;
  }

  /** Stops accepting, closes open connections, and stops the handler threads. */
  @Override
  public void close() {
    listening.close().syncUninterruptibly();
    connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    shutdownThreads();
  }

  private void shutdownThreads() {
    accepting.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    handlers.shutdown();
    try {
      if (!handlers.awaitTermination(5, TimeUnit.SECONDS)) {
        log.warn("REST handlers still running after 5 s; interrupting them");
        handlers.shutdownNow();
      }
      accepting.terminationFuture().await(5, TimeUnit.SECONDS);
      io.terminationFuture().await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      handlers.shutdownNow();
    }
  }
}
