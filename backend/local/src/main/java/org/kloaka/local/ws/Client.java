package org.kloaka.local.ws;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One console's open WebSocket: answers its frames, and counts what is written to it but not yet
 * taken by the kernel, so that a client that stops reading is closed instead of holding memory.
 * Control frames are answered as RFC 6455 says (ping → pong, close → close).
 */
final class Client extends SimpleChannelInboundHandler<WebSocketFrame> {

  private static final Logger log = LoggerFactory.getLogger(Client.class);

  private final PushServer server;
  private final Channel channel;
  private final WebSocketServerHandshaker handshaker;
  private final int maxQueued;
  // Frames handed to the channel and not yet written to the socket.
  private final AtomicInteger pending = new AtomicInteger();
  private volatile boolean closing;

  private final String operator;

  /**
   * @param operator the name of the operator whose token opened the connection
   */
  Client(
      PushServer server,
      Channel channel,
      WebSocketServerHandshaker handshaker,
      int maxQueued,
      String operator) {
    this.server = server;
    this.channel = channel;
    this.handshaker = handshaker;
    this.maxQueued = maxQueued;
    this.operator = operator;
  }

  String operator() {
    return operator;
  }

  Channel channel() {
    return channel;
  }

  boolean isClosing() {
    return closing;
  }

  /** Writes {@code count} framed events (one buffer), unless the client is too far behind. */
  void push(ByteBuf frames, int count) {
    int queued = pending.get();
    if (closing || queued >= maxQueued) {
      frames.release();
      if (!closing) {
        server.dropSlow(this, queued);
      }
      return;
    }
    pending.addAndGet(count);
    channel.writeAndFlush(frames).addListener(written -> pending.addAndGet(-count));
  }

  /** Sends a close frame with {@code code}, then stops reading; the peer's answer ends it. */
  void closeWith(int code, String reason) {
    closing = true;
    channel.config().setAutoRead(false);
    if (channel.isActive()) {
      handshaker.close(channel, new CloseWebSocketFrame(code, reason));
    }
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (closing) {
      return;
    }
    if (frame instanceof TextWebSocketFrame text) {
      reply(ctx, server.answers().answer(text.text()));
    } else if (frame instanceof BinaryWebSocketFrame) {
      reply(ctx, server.answers().answerBinary());
    } else if (frame instanceof PingWebSocketFrame) {
      ctx.write(new PongWebSocketFrame(frame.content().retain()));
    } else if (frame instanceof CloseWebSocketFrame) {
      closing = true;
      server.closed(this);
      handshaker.close(ctx.channel(), (CloseWebSocketFrame) frame.retain());
    }
    // A pong (the answer to our ping) only proves the client alive: the idle handler saw it.
  }

  private void reply(ChannelHandlerContext ctx, String answer) {
    // A client that sends without reading would make our answers pile up without bound.
    int queued = pending.get();
    if (queued >= maxQueued) {
      server.dropSlow(this, queued);
      return;
    }
    pending.incrementAndGet();
    ctx.write(new TextWebSocketFrame(answer)).addListener(written -> pending.decrementAndGet());
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.flush();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof IdleStateEvent idle) {
      if (idle.isFirst()) {
        // Half the idle time without a frame: a live client answers this ping with a pong.
        ctx.writeAndFlush(new PingWebSocketFrame());
      } else {
        log.info(
            "Closing WebSocket client {}: nothing received for the idle timeout",
            channel.remoteAddress());
        server.closed(this);
        closeWith(1001, "nothing received for too long; send {\"action\":\"ping\"} now and then");
        ctx.executor()
            .schedule(
                () -> channel.close(),
                PushServer.SLOW_CLIENT_GRACE_SECONDS,
                java.util.concurrent.TimeUnit.SECONDS);
      }
      return;
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    server.closed(this);
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Throwable root =
        cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    if (root instanceof CorruptedWebSocketFrameException corrupted) {
      // A client broke the protocol (bad UTF-8, a reserved bit or opcode, a frame too big…): the
      // decoder drops what follows; the close frame carries the code. One line, no trace.
      log.info(
          "WebSocket client {} closed: {} ({})",
          channel.remoteAddress(),
          corrupted.getMessage(),
          corrupted.closeStatus().code());
      closing = true;
      server.closed(this);
      String reason = corrupted.getMessage();
      closeAfterViolation(
          ctx,
          new CloseWebSocketFrame(
              corrupted.closeStatus().code(),
              reason == null ? corrupted.closeStatus().reasonText() : shortened(reason)));
    } else if (root instanceof TooLongFrameException) {
      log.info(
          "WebSocket client {} closed: a fragmented message over {} bytes (1009)",
          channel.remoteAddress(),
          PushServer.MAX_FRAME_BYTES);
      server.closed(this);
      closing = true;
      closeAfterViolation(
          ctx,
          new CloseWebSocketFrame(
              1009, "a message over " + PushServer.MAX_FRAME_BYTES / 1024 + " KiB"));
    } else if (root instanceof IOException) {
      log.debug("WebSocket client {}: {}", channel.remoteAddress(), root.toString());
      ctx.close();
    } else {
      log.error("WebSocket client {}: failure in Kloaka's handler", channel.remoteAddress(), root);
      ctx.close();
    }
  }

  /**
   * Sends {@code frame}, then closes our side only. A client that broke the protocol is often still
   * sending (the rest of a frame over the limit): closing the socket in full with its bytes unread
   * makes the kernel answer with a reset, which may reach the client before the close frame does —
   * it then sees 1006 (abnormal closure) instead of the code and reason. So the output is shut (the
   * client reads the close frame, then the end of the stream), what it still sends is read and
   * dropped (the decoder discards everything after a violation), and the connection ends when the
   * client closes it, or after {@link PushServer#SLOW_CLIENT_GRACE_SECONDS}.
   */
  private void closeAfterViolation(ChannelHandlerContext ctx, CloseWebSocketFrame frame) {
    ctx.writeAndFlush(frame)
        .addListener(
            written -> {
              if (written.isSuccess() && channel instanceof SocketChannel socket) {
                socket.shutdownOutput();
                ctx.executor()
                    .schedule(
                        () -> channel.close(),
                        PushServer.SLOW_CLIENT_GRACE_SECONDS,
                        java.util.concurrent.TimeUnit.SECONDS);
              } else {
                channel.close();
              }
            });
  }

  /**
   * A close frame's reason is at most 123 bytes of UTF-8 (RFC 6455 §5.5): a longer one is cut at a
   * character boundary and ends with "…" (3 bytes).
   */
  static String shortened(String reason) {
    if (reason.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 123) {
      return reason;
    }
    StringBuilder out = new StringBuilder();
    int bytes = 0;
    for (int c : reason.codePoints().toArray()) {
      int size =
          new String(Character.toChars(c)).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      if (bytes + size > 120) {
        break;
      }
      out.appendCodePoint(c);
      bytes += size;
    }
    return out.append('…').toString();
  }
}
