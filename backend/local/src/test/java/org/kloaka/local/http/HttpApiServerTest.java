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
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kloaka.core.api.ApiRequest;
import org.kloaka.core.api.ApiResponse;
import org.kloaka.core.api.ApiRouter;
import org.kloaka.local.MutableClock;
import org.kloaka.local.fuzz.Leaks;
import org.kloaka.local.fuzz.RawHttp;
import org.kloaka.local.fuzz.RawHttp.Answer;
import org.kloaka.local.fuzz.RawHttp.Exchange;

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

  /** What the JDK's server answered with HTML naming Java exceptions, found by RestFuzzTest. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "GARBAGE\\r\\n\\r\\n | 400 | not valid HTTP/1.1",
        "GET /x HTTP/1.1\\r\\nContent-Length: abc\\r\\n\\r\\n | 400 | bad Content-Length",
        "GET /x HTTP/1.1\\r\\nContent-Length: -5\\r\\n\\r\\n | 400 | bad Content-Length",
        "PATCH /x HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\nContent-Length: 5\\r\\n\\r\\n0\\r\\n\\r\\n"
            + " | 400 | not valid HTTP/1.1",
        "GET /x HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nzz\\r\\n | 400 | chunk",
        "GET /x HTTP/1.1\\r\\nBad Header: x\\r\\n\\r\\n | 400 | header",
        "GET /x HTTP/1.1\\r\\nExpect: 100-continued\\r\\nContent-Length: 1\\r\\n\\r\\nx"
            + " | 417 | 100-continue",
      })
  void malformedHttpGetsAJsonErrorWithoutInternalsAndTheConnectionIsClosed(
      String request, int status, String reason) throws Exception {
    start(echo());

    Exchange exchange =
        RawHttp.send(
            server.uri(),
            request.replace("\\r\\n", "\r\n").getBytes(StandardCharsets.US_ASCII),
            List.of("GET"),
            10_000);

    assertThat(exchange.answers()).hasSize(1);
    Answer answer = exchange.answers().get(0);
    assertThat(answer.status()).isEqualTo(status);
    assertThat(answer.header("Content-Type")).isEqualTo(ApiResponse.CONTENT_TYPE);
    assertThat(answer.header("Connection")).isEqualTo("close");
    assertThat(answer.bodyText()).startsWith("{\"error\":\"").contains(reason);
    Leaks.assertNone("the answer", answer.head() + answer.bodyText());
    assertThat(seen.get()).as("the router never saw it").isNull();
  }

  @Test
  void aRequestLineOver8KibIs414AndHeadersOver16KibAre431() throws Exception {
    start(echo());
    String longLine =
        "GET /" + "a".repeat(HttpApiServer.MAX_REQUEST_LINE_BYTES) + " HTTP/1.1\r\n\r\n";
    String longHeader =
        "GET / HTTP/1.1\r\nX: " + "a".repeat(HttpApiServer.MAX_HEADER_BYTES) + "\r\n\r\n";

    Answer line = one(longLine);
    Answer header = one(longHeader);

    assertThat(line.status()).isEqualTo(414);
    assertThat(line.bodyText()).contains("request line is over 8 KiB");
    assertThat(header.status()).isEqualTo(431);
    assertThat(header.bodyText()).contains("headers are over 16 KiB");
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    start(
        request ->
            new ApiResponse(
                200,
                ("{\"path\":\"" + request.path() + "\"}").getBytes(StandardCharsets.UTF_8),
                Map.of()));
    StringBuilder requests = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      requests.append("GET /").append(i).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
    }

    Exchange exchange =
        RawHttp.send(
            server.uri(),
            requests.toString().getBytes(StandardCharsets.US_ASCII),
            List.of("GET", "GET", "GET", "GET", "GET"),
            10_000);

    assertThat(exchange.answers())
        .extracting(Answer::bodyText)
        .containsExactly(
            "{\"path\":\"/0\"}",
            "{\"path\":\"/1\"}",
            "{\"path\":\"/2\"}",
            "{\"path\":\"/3\"}",
            "{\"path\":\"/4\"}");
  }

  @Test
  void anAbsoluteFormTargetIsRoutedByItsPathAndQuery() throws Exception {
    start(echo());

    Answer answer = one("GET http://127.0.0.1:1/devices/01?limit=1 HTTP/1.1\r\nHost: x\r\n\r\n");

    assertThat(answer.status()).isEqualTo(201);
    assertThat(seen.get().path()).isEqualTo("/devices/01");
    assertThat(seen.get().rawQuery()).isEqualTo("limit=1");
  }

  private Answer one(String request) throws Exception {
    Exchange exchange =
        RawHttp.send(
            server.uri(), request.getBytes(StandardCharsets.US_ASCII), List.of("GET"), 10_000);
    assertThat(exchange.answers()).hasSize(1);
    return exchange.answers().get(0);
  }

  @Test
  void overTheRateLimitTheAnswerIs429WithRetryAfterWhateverThePath() throws Exception {
    MutableClock clock = MutableClock.atEpochSecond(1_658_274_939L);
    server =
        HttpApiServer.start(
            new InetSocketAddress("127.0.0.1", 0), echo(), 2, new RateLimit(2, clock));
    for (int i = 0; i < 4; i++) {
      assertThat(one("GET /devices HTTP/1.1\r\nHost: x\r\n\r\n").status()).isEqualTo(201);
    }

    Answer limited = one("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
    clock.forward(java.time.Duration.ofSeconds(1));
    Answer later = one("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");

    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.header("Retry-After")).isEqualTo("1");
    assertThat(limited.bodyText())
        .isEqualTo(
            "{\"error\":\"too many requests from your address: at most 2 a second; try again in"
                + " 1 s\"}");
    assertThat(later.status()).as("after a second, two more").isEqualTo(201);
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
