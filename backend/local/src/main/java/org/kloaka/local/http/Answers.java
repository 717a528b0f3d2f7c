package org.kloaka.local.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;
import org.kloaka.api.Json;
import org.kloaka.api.Responses;
import org.kloaka.rest.ApiResponse;

/**
 * HTTP answers as the contract wants them: JSON, UTF-8, with a length; errors as {@code {"error"}}.
 */
public final class Answers {

  private static final ObjectWriter ERROR = Json.newMapper().writerFor(Responses.Error.class);

  private Answers() {}

  public static FullHttpResponse of(ApiResponse response, boolean close) {
    FullHttpResponse answer =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(response.status()),
            Unpooled.wrappedBuffer(response.body()));
    response.headers().forEach((name, value) -> answer.headers().set(name, value));
    if (!answer.headers().contains(HttpHeaderNames.CONTENT_TYPE)) {
      // JSON unless the router chose another representation (CSV exports, docs/api.md).
      answer.headers().set(HttpHeaderNames.CONTENT_TYPE, ApiResponse.CONTENT_TYPE);
    }
    answer.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
    if (close) {
      answer.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    return answer;
  }

  public static ApiResponse error(int status, String message) {
    return error(status, message, Map.of());
  }

  public static ApiResponse error(int status, String message, Map<String, String> headers) {
    try {
      return new ApiResponse(
          status, ERROR.writeValueAsBytes(new Responses.Error(message)), headers);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an error body cannot be written as JSON", e);
    }
  }

  static ApiResponse tooLarge() {
    return error(413, "the request body is over " + HttpApiServer.MAX_BODY_BYTES / 1024 + " KiB");
  }
}
