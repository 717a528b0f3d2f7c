package org.kloaka.console.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kloaka.model.Device;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemStatus;
import org.kloaka.model.SensorId;

/** The client against a real HTTP server on port 0 that answers like the contract says. */
class BackendClientTest {

  HttpServer server;
  BackendClient client;
  final List<String> requests = new CopyOnWriteArrayList<>();
  volatile int status = 200;
  volatile String body = "{}";

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::answer);
    server.start();
    client =
        BackendClient.create(
            URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), "s3cret");
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void answer(HttpExchange exchange) throws IOException {
    String sent = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    requests.add(
        exchange.getRequestMethod()
            + " "
            + exchange.getRequestURI()
            + " "
            + exchange.getRequestHeaders().getFirst("Authorization")
            + (sent.isEmpty() ? "" : " " + sent));
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(10, TimeUnit.SECONDS);
  }

  @Test
  void devicesAreReadWithTheBearerToken() throws Exception {
    body =
        "{\"devices\": [{\"id\": \"01\", \"last_value\": \"100\", \"last_update\": 1658274939, \"extra\": 1},"
            + " {\"id\": \"0-10\", \"last_value\": \"62.5\", \"last_update\": 1658274940}]}";

    List<Device> devices = await(client.devices());

    assertThat(requests).containsExactly("GET /devices Bearer s3cret");
    assertThat(devices)
        .extracting(Device::id)
        .containsExactly(SensorId.parse("01"), SensorId.parse("0-10"));
    assertThat(devices.get(1).lastValue().toString()).isEqualTo("62.5");
  }

  @Test
  void measurementsAskForTheWindowInEpochSeconds() throws Exception {
    body = "{\"measurements\": [{\"filling\": \"50\", \"dt\": 1000}]}";

    var list =
        await(
            client.measurements(
                SensorId.parse("12-7"), Instant.ofEpochSecond(10), Instant.ofEpochSecond(20), 500));

    assertThat(requests)
        .containsExactly(
            "GET /devices/12-7/measurements?since=10&until=20&limit=500 Bearer s3cret");
    assertThat(list).hasSize(1);
  }

  @Test
  void resolveSendsThePatchBodyOfTheContract() throws Exception {
    body =
        "{\"problem_id\": \"0102\", \"problem\": \"OBSTRUCTION\", \"problem_time\": 1, \"problem_status\": \"RESOLVED\","
            + " \"upstream_id\": \"01\", \"downstream_id\": \"02\", \"upstream_value\": \"100\", \"downstream_value\": \"50\","
            + " \"active\": true, \"last_seen\": 1, \"resolved_time\": 2, \"resolved_by\": \"operator\", \"note\": \"done\"}";

    Problem problem = await(client.resolve("0102", "  done "));

    assertThat(requests)
        .containsExactly(
            "PATCH /problems/0102 Bearer s3cret {\"problem_status\":\"RESOLVED\",\"note\":\"done\",\"resolved_by\":null}");
    assertThat(problem.problemStatus()).isEqualTo(ProblemStatus.RESOLVED);
  }

  @Test
  void problemsFilterByStatusOrAskForAll() throws Exception {
    body = "{\"problems\": []}";

    await(client.problems(ProblemStatus.UNRESOLVED));
    await(client.problems(null));

    assertThat(requests)
        .containsExactly(
            "GET /problems?status=UNRESOLVED Bearer s3cret", "GET /problems Bearer s3cret");
  }

  @Test
  void anErrorAnswerCarriesTheServersOwnText() {
    status = 401;
    body = "{\"error\": \"missing or wrong token\"}";

    assertThatThrownBy(() -> await(client.devices()))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(BackendException.class)
        .hasMessage("missing or wrong token (HTTP 401)")
        .extracting(e -> ((BackendException) e).status())
        .isEqualTo(401);
  }

  @Test
  void anAnswerThatIsNotKloakaJsonIsAClearErrorNotACrash() {
    status = 502;
    body = "<html><body>Bad gateway</body></html>";
    assertThatThrownBy(() -> await(client.network()))
        .cause()
        .hasMessage("GET /network failed with HTTP 502: <html><body>Bad gateway</body></html>");

    status = 200;
    body = "[1, 2";
    assertThatThrownBy(() -> await(client.problems(null)))
        .cause()
        .isInstanceOf(BackendException.class)
        .hasMessage("GET /problems answered with something that is not Kloaka JSON");
  }

  @Test
  void anUnreachableBackendSaysSo() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    BackendClient nowhere = BackendClient.create(URI.create("http://127.0.0.1:" + closedPort), "t");

    assertThatThrownBy(() -> await(nowhere.devices()))
        .cause()
        .isInstanceOf(BackendException.class)
        .hasMessage("cannot reach the backend at http://127.0.0.1:" + closedPort);
    assertThat(
            BackendException.describe(
                new java.util.concurrent.CompletionException(new BackendException(0, "x"))))
        .isEqualTo("x");
  }
}
