package org.kloaka.local.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The time a REST client has to send a request: from the connection, or from the first byte after
 * the previous answer, to the end of the request (line, headers and body), at most {@code timeout}.
 * Over it the answer is {@code 408} and the connection is closed — a client that sends a byte now
 * and then (slowloris) cannot hold a connection. While a request is being answered the clock does
 * not run (the server's slowness is not the client's fault); between requests the keep-alive idle
 * timeout applies instead (an {@code IdleStateHandler}).
 *
 * <p>Two handlers share the state: {@link #wire} before the HTTP codec sees bytes arrive, {@link
 * #messages} after it sees requests end and answers go out. One instance per connection; all on its
 * event loop.
 */
final class RequestDeadline {

  private final long timeoutMillis;
  private ChannelHandlerContext afterCodec;
  private ScheduledFuture<?> timer;
  // Requests read in full and not yet answered.
  private int answering;

  final ChannelHandler wire = new Wire();
  final ChannelHandler messages = new Messages();

  RequestDeadline(Duration timeout) {
    this.timeoutMillis = timeout.toMillis();
  }

  private void arm() {
    if (timer == null && answering == 0 && afterCodec != null) {
      timer = afterCodec.executor().schedule(this::expire, timeoutMillis, TimeUnit.MILLISECONDS);
    }
  }

  private void disarm() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void expire() {
    timer = null;
    if (answering > 0 || !afterCodec.channel().isActive()) {
      return;
    }
    String limit = timeoutMillis % 1000 == 0 ? timeoutMillis / 1000 + " s" : timeoutMillis + " ms";
    afterCodec
        .writeAndFlush(
            Answers.of(
                Answers.error(
                    408,
                    "the request was not received in full within " + limit + "; send it again"),
                true))
        .addListener(ChannelFutureListener.CLOSE);
  }

  private final class Wire extends ChannelInboundHandlerAdapter {
    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      arm();
      super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) throws Exception {
      if (message instanceof ByteBuf bytes && bytes.isReadable()) {
        arm();
      }
      super.channelRead(ctx, message);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      disarm();
      super.channelInactive(ctx);
    }
  }

  private final class Messages extends ChannelDuplexHandler {
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      afterCodec = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) throws Exception {
      if (message instanceof LastHttpContent) {
        answering++;
        disarm();
      }
      super.channelRead(ctx, message);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise)
        throws Exception {
      boolean interim = message instanceof HttpResponse response && response.status().code() < 200;
      if (message instanceof LastHttpContent && !interim) {
        answering = Math.max(0, answering - 1);
      }
      super.write(ctx, message, promise);
    }
  }
}
