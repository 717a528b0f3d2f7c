package org.kloaka.local.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.kloaka.rest.ApiResponse;

/**
 * Collects a request's body up to the limit. Over it — by {@code Content-Length}, by {@code Expect:
 * 100-continue}, or found while reading a chunked body — the answer is the contract's JSON 413 (or
 * the answer given) and the connection is closed without reading the rest.
 */
public final class BodyLimit extends HttpObjectAggregator {

  private final ApiResponse tooLarge;

  BodyLimit(int maxBytes) {
    this(maxBytes, Answers.tooLarge());
  }

  /** With {@code tooLarge} as the answer to a body over {@code maxBytes}. */
  public BodyLimit(int maxBytes, ApiResponse tooLarge) {
    super(maxBytes, true);
    this.tooLarge = tooLarge;
  }

  @Override
  protected Object newContinueResponse(
      HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
    Object answer = super.newContinueResponse(start, maxContentLength, pipeline);
    if (answer instanceof FullHttpResponse response
        && !response.status().equals(HttpResponseStatus.CONTINUE)) {
      int status = response.status().code();
      response.release();
      return Answers.of(
          status == 413
              ? tooLarge
              : Answers.error(status, "only the expectation 100-continue is understood"),
          true);
    }
    return answer;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    ctx.writeAndFlush(Answers.of(tooLarge, true)).addListener(ChannelFutureListener.CLOSE);
  }
}
