package org.kloaka.local.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kloaka.core.api.ApiRequest;
import org.kloaka.core.api.ApiResponse;
import org.kloaka.core.api.ApiRouter;

class HttpApiServerTest {

  HttpApiServer server;
  final AtomicReference<ApiRequest> seen = new AtomicReference<>();

  HttpApiServer start(ApiRouter router) {
    server = HttpApiServer.start(new InetSocketAddress("127.0.0.1", 0), router, 2);
    return server;
  }

  ApiRouter echo() {
    return request -> {
      seen.set(request);
      return new ApiResponse(
          201, "{\"ok\":true}".getBytes(StandardCharsets.UTF_8), Map.of("X-Extra", "1"));
    };
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theRequestReachesTheRouterRawAndItsAnswerComesBackAsJson() throws Exception {
    start(echo());

    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(server.uri() + "/devices/a%2Fb?since=1&x=%20"))
                    .header("Authorization", "Bearer t")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"n\":1}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.headers().firstValue("Content-Type")).hasValue(ApiResponse.CONTENT_TYPE);
    assertThat(response.headers().firstValue("X-Extra")).hasValue("1");
    ApiRequest request = seen.get();
    assertThat(request.method()).isEqualTo("PATCH");
    assertThat(request.path()).isEqualTo("/devices/a%2Fb");
    assertThat(request.rawQuery()).isEqualTo("since=1&x=%20");
    assertThat(request.header("authorization")).isEqualTo("Bearer t");
    assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
  }

  @Test
  void aDeclaredBodyOverTheLimitIsAnswered413WithoutBeingSent() throws Exception {
    start(echo());
    try (Socket socket = new Socket("127.0.0.1", server.uri().getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("PATCH /problems/0102 HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n{\"a\":")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();

      byte[] head = new byte[12];
      int read = socket.getInputStream().readNBytes(head, 0, head.length);

      assertThat(new String(head, 0, read, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 413");
      assertThat(seen.get()).as("the router never saw it").isNull();
    }
  }

  @Test
  void aChunkedBodyOverTheLimitIs413() throws Exception {
    start(echo());
    byte[] big = new byte[HttpApiServer.MAX_BODY_BYTES + 1];

    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(server.uri() + "/x"))
                    .POST(
                        HttpRequest.BodyPublishers.ofInputStream(
                            () -> new java.io.ByteArrayInputStream(big)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(seen.get()).isNull();
  }

  @Test
  void aRouterThatThrowsGivesA500WithoutAStackTrace() throws Exception {
    start(
        request -> {
          throw new IllegalStateException("secret internals");
        });

    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(server.uri() + "/devices")).build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).isEqualTo("{\"error\":\"internal error\"}");
  }
}
