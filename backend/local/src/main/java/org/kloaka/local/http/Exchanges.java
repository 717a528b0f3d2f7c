package org.kloaka.local.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.kloaka.core.api.ApiRequest;
import org.kloaka.core.api.ApiResponse;
import org.kloaka.core.api.ApiRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's requests: each is routed on the handler pool and answered before the next one is
 * started, so pipelined requests get their answers in order. Not shared between connections.
 *
 * <p>All state is touched on the connection's event loop only; the router's answer is handed back
 * to it with {@code execute}.
 */
final class Exchanges extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final Logger log = LoggerFactory.getLogger(Exchanges.class);

  private final ApiRouter router;
  private final Executor handlers;
  private final RateLimit rateLimit;
  private final Queue<Call> waiting = new ArrayDeque<>();
  private boolean busy;

  /** A request read off the wire, or the answer it already has (malformed HTTP). */
  private record Call(ApiRequest request, ApiResponse early, boolean keepAlive) {}

  Exchanges(ApiRouter router, Executor handlers, RateLimit rateLimit) {
    this.router = router;
    this.handlers = handlers;
    this.rateLimit = rateLimit;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    Call call;
    long retryAfter = rateLimit.acquire(remote(ctx));
    if (request.decoderResult().isFailure()) {
      call = new Call(null, malformed(request.decoderResult().cause()), false);
    } else if (retryAfter > 0) {
      call =
          new Call(
              null,
              Answers.error(
                  429,
                  "too many requests from your address: at most "
                      + rateLimit.perSecond()
                      + " a second; try again in "
                      + retryAfter
                      + " s",
                  Map.of("Retry-After", Long.toString(retryAfter))),
              HttpUtil.isKeepAlive(request));
    } else {
      call =
          new Call(
              apiRequest(request, ByteBufUtil.getBytes(request.content())),
              null,
              HttpUtil.isKeepAlive(request));
    }
    waiting.add(call);
    // What is already buffered may still be decoded; nothing more is read until this is answered.
    ctx.channel().config().setAutoRead(false);
    next(ctx);
  }

  private void next(ChannelHandlerContext ctx) {
    if (busy) {
      return;
    }
    Call call = waiting.poll();
    if (call == null) {
      ctx.channel().config().setAutoRead(true);
      return;
    }
    busy = true;
    if (call.early() != null) {
      answer(ctx, call, call.early());
      return;
    }
    try {
      handlers.execute(
          () -> {
            ApiResponse response = route(call.request());
            try {
              ctx.executor().execute(() -> answer(ctx, call, response));
            } catch (RejectedExecutionException stopped) {
              log.debug("REST answer dropped: the server stopped meanwhile");
            }
          });
    } catch (RejectedExecutionException e) {
      // Only when the server is shutting down.
      answer(ctx, call, Answers.error(503, "the server is shutting down"));
    }
  }

  private void answer(ChannelHandlerContext ctx, Call call, ApiResponse response) {
    boolean close = !call.keepAlive() || response.status() == 413;
    ctx.writeAndFlush(Answers.of(response, close))
        .addListener(
            (ChannelFutureListener)
                written -> {
                  if (close || !written.isSuccess()) {
                    waiting.clear();
                    written.channel().close();
                    return;
                  }
                  busy = false;
                  next(ctx);
                });
  }

  private ApiResponse route(ApiRequest request) {
    try {
      return router.handle(request);
    } catch (RuntimeException e) {
      // The router promises not to throw; if it does anyway, the caller still gets JSON.
      log.error("REST {} {} failed", request.method(), clip(request.path()), e);
      return Answers.error(500, "internal error");
    }
  }

  private static InetAddress remote(ChannelHandlerContext ctx) {
    return ctx.channel().remoteAddress() instanceof InetSocketAddress address
        ? address.getAddress()
        : InetAddress.getLoopbackAddress();
  }

  static ApiRequest apiRequest(FullHttpRequest request, byte[] body) {
    String target = request.uri();
    // Absolute form (http://host:port/path?query), as proxies send it: keep the path and query.
    int scheme = target.indexOf("://");
    if (scheme > 0 && target.indexOf('/') > scheme) {
      int path = target.indexOf('/', scheme + 3);
      target = path < 0 ? "/" : target.substring(path);
    }
    int hash = target.indexOf('#');
    if (hash >= 0) {
      target = target.substring(0, hash);
    }
    int question = target.indexOf('?');
    String path = question < 0 ? target : target.substring(0, question);
    String query = question < 0 ? null : target.substring(question + 1);
    Map<String, String> headers = new HashMap<>();
    for (Map.Entry<String, String> header : request.headers()) {
      headers.putIfAbsent(header.getKey().toLowerCase(Locale.ROOT), header.getValue());
    }
    return new ApiRequest(request.method().name(), path, query, headers, body);
  }

  /** The answer to a request Netty could not read as HTTP; never names the parser's exception. */
  static ApiResponse malformed(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return Answers.error(
          414,
          "the request line is over "
              + HttpApiServer.MAX_REQUEST_LINE_BYTES / 1024
              + " KiB; shorten the path or query");
    }
    if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
      return Answers.error(
          431, "the request headers are over " + HttpApiServer.MAX_HEADER_BYTES / 1024 + " KiB");
    }
    String text = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
    String what;
    if (text.contains("content-length")) {
      what = "a bad Content-Length";
    } else if (text.contains("transfer-encoding") || text.contains("chunk")) {
      what = "a bad Transfer-Encoding or chunk";
    } else if (text.contains("version")) {
      what = "an HTTP version other than 1.x";
    } else if (text.contains("header")) {
      what = "a malformed header";
    } else {
      what = "a malformed request line or header";
    }
    return Answers.error(400, "the request is not valid HTTP/1.1: " + what);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof IdleStateEvent && !busy && waiting.isEmpty()) {
      ctx.close(); // idle between requests
      return;
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException || cause instanceof PrematureChannelClosureException) {
      log.debug("REST connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
    } else {
      log.warn("REST connection {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
    }
    ctx.close();
  }

  private static String clip(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }
}
