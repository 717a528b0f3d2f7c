package org.kloaka.local.ws;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.kloaka.local.http.Answers;
import org.kloaka.rest.ApiResponse;
import org.kloaka.rest.TokenCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection's opening handshake (RFC 6455 §4.2): refused with JSON — {@code 400} when it is no
 * WebSocket handshake (version 13), {@code 404} for a path other than {@code /}, {@code 401}
 * without exactly one valid {@code ?token=} — or accepted, after which this handler makes way for
 * the frame handlers and a {@link Client}. A handshake not received in full within the timeout is
 * answered {@code 408} and closed. One instance per connection.
 */
final class Handshake extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final Logger log = LoggerFactory.getLogger(Handshake.class);
  private static final WebSocketServerHandshakerFactory HANDSHAKERS =
      new WebSocketServerHandshakerFactory(
          "ws://localhost/",
          null,
          WebSocketDecoderConfig.newBuilder()
              .maxFramePayloadLength(PushServer.MAX_FRAME_BYTES)
              .expectMaskedFrames(true)
              .allowMaskMismatch(false)
              .allowExtensions(false)
              .closeOnProtocolViolation(false)
              .build());

  private final PushServer server;
  private final TokenCheck tokens;
  private final PushServer.Options options;
  private ScheduledFuture<?> deadline;

  Handshake(PushServer server, TokenCheck tokens, PushServer.Options options) {
    this.server = server;
    this.tokens = tokens;
    this.options = options;
  }

  /** The answer to a request that is no handshake this server accepts. */
  static ApiResponse notAHandshake() {
    return Answers.error(
        400,
        "not a WebSocket handshake this server accepts: connect with ws://host:port/?token=…"
            + " (RFC 6455, version 13)");
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    long millis = options.handshakeTimeout().toMillis();
    deadline =
        ctx.executor()
            .schedule(
                () -> {
                  log.debug("WebSocket handshake from {} timed out", ctx.channel().remoteAddress());
                  refuse(
                      ctx,
                      Answers.error(
                          408,
                          "the handshake was not complete within "
                              + (millis >= 1000 ? millis / 1000 + " s" : millis + " ms")));
                },
                millis,
                TimeUnit.MILLISECONDS);
    super.channelActive(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancelDeadline();
    super.channelInactive(ctx);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (request.decoderResult().isFailure() || !isHandshake(request)) {
      refuse(ctx, notAHandshake());
      return;
    }
    String[] operator = new String[1];
    ApiResponse refusal = refusal(request.uri(), operator);
    if (refusal != null) {
      refuse(ctx, refusal);
      return;
    }
    WebSocketServerHandshaker handshaker = HANDSHAKERS.newHandshaker(request);
    if (handshaker == null) {
      refuse(ctx, notAHandshake());
      return;
    }
    cancelDeadline();
    HttpHeaders extra = new DefaultHttpHeaders().set("Server", "kloaka");
    ChannelFuture upgraded =
        handshaker.handshake(ctx.channel(), request, extra, ctx.channel().newPromise());
    // In this same turn of the event loop, so that no frame arrives before its handlers.
    Client client = new Client(server, ctx.channel(), handshaker, options.maxQueued(), operator[0]);
    long idle = options.idleTimeout().toMillis();
    ChannelPipeline pipeline = ctx.pipeline();
    pipeline.addBefore(ctx.name(), "utf8", new Utf8FrameValidator(true));
    pipeline.addBefore(
        ctx.name(), "fragments", new WebSocketFrameAggregator(PushServer.MAX_FRAME_BYTES));
    pipeline.addBefore(
        ctx.name(), "idle", new IdleStateHandler(idle / 2, 0, 0, TimeUnit.MILLISECONDS));
    pipeline.replace(this, "client", client);
    upgraded.addListener(
        (ChannelFutureListener)
            done -> {
              if (done.isSuccess()) {
                server.opened(client);
              } else {
                done.channel().close();
              }
            });
  }

  private static boolean isHandshake(FullHttpRequest request) {
    HttpHeaders headers = request.headers();
    return request.method().equals(HttpMethod.GET)
        && headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
        && headers.contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
        && headers.contains(HttpHeaderNames.SEC_WEBSOCKET_KEY)
        && "13".equals(headers.get(HttpHeaderNames.SEC_WEBSOCKET_VERSION));
  }

  /**
   * Why a handshake for {@code resource} (path and query) is refused, or null to accept it; then
   * {@code operator[0]} is the name the token belongs to.
   */
  private ApiResponse refusal(String resource, String[] operator) {
    URI uri;
    try {
      uri = new URI(resource);
    } catch (URISyntaxException e) {
      return Answers.error(400, "the request target is not a valid URI");
    }
    String path = uri.getRawPath();
    if (path != null && !path.isEmpty() && !path.equals("/")) {
      return Answers.error(404, "connect to / (ws://host:port/?token=…)");
    }
    String token = null;
    int found = 0;
    if (uri.getRawQuery() != null) {
      for (String parameter : uri.getRawQuery().split("&")) {
        int equals = parameter.indexOf('=');
        String name = equals < 0 ? parameter : parameter.substring(0, equals);
        if (name.equals("token")) {
          found++;
          try {
            token =
                equals < 0
                    ? ""
                    : URLDecoder.decode(parameter.substring(equals + 1), StandardCharsets.UTF_8);
          } catch (IllegalArgumentException e) {
            return Answers.error(400, "the token is not URL-encoded correctly");
          }
        }
      }
    }
    operator[0] = found == 1 ? tokens.caller(token) : null;
    if (operator[0] == null) {
      return Answers.error(
          401, "a valid ?token= is required", Map.of("WWW-Authenticate", "Bearer"));
    }
    return null;
  }

  private void refuse(ChannelHandlerContext ctx, ApiResponse answer) {
    cancelDeadline();
    if (ctx.channel().isActive()) {
      ctx.writeAndFlush(Answers.of(answer, true)).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      log.debug("WebSocket handshake from {}: {}", ctx.channel().remoteAddress(), cause.toString());
    } else {
      log.info(
          "WebSocket handshake from {} failed: {}",
          ctx.channel().remoteAddress(),
          cause.toString());
    }
    ctx.close();
  }
}
