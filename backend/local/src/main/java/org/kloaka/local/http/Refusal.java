package org.kloaka.local.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.kloaka.rest.ApiResponse;

/**
 * What a connection over a {@link ConnectionLimit} gets instead of a server: the answer at once
 * (HTTP, JSON, {@code Connection: close}) whatever it sends, then the end of our side of the
 * stream; whatever it sends meanwhile is read and dropped, so that the peer reads the answer rather
 * than a reset, and the socket is closed when the peer closes (its end of stream) or after {@code
 * linger} at most.
 */
public final class Refusal extends ChannelInboundHandlerAdapter {

  private final ApiResponse answer;
  private final Duration linger;

  private Refusal(ApiResponse answer, Duration linger) {
    this.answer = answer;
    this.linger = linger;
  }

  /** Makes {@code channel}'s pipeline one that only refuses, with {@code answer}. */
  public static void install(SocketChannel channel, ApiResponse answer, Duration linger) {
    channel
        .pipeline()
        .addLast("encoder", new HttpResponseEncoder())
        .addLast("refusal", new Refusal(answer, linger));
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.executor().schedule(() -> ctx.close(), linger.toMillis(), TimeUnit.MILLISECONDS);
    ctx.writeAndFlush(Answers.of(answer, true))
        .addListener(
            (ChannelFutureListener)
                written -> {
                  if (written.isSuccess() && written.channel() instanceof SocketChannel socket) {
                    socket.shutdownOutput();
                  } else {
                    written.channel().close();
                  }
                });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    ReferenceCountUtil.release(message);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
