package org.kloaka.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.kloaka.local.RunningRuntime.get;
import static org.kloaka.local.RunningRuntime.patch;
import static org.kloaka.local.RunningRuntime.request;
import static org.kloaka.local.RunningRuntime.send;
import static org.kloaka.local.RunningRuntime.submit;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.core.Organizer.Outcome;
import org.kloaka.local.auth.ApiToken;
import org.kloaka.testing.TestClock;

class LocalRuntimeTest {

  static final long T = 1_658_274_939L;

  @TempDir Path dir;
  final TestClock clock = TestClock.atEpochSecond(T);
  final List<AutoCloseable> toClose = new ArrayList<>();

  LocalConfig config() {
    return LocalConfig.defaults()
        .withDataDir(dir.resolve("data"))
        .withPorts(0, 0, 0)
        .withEnv(Map.of())
        .withClock(clock)
        // MQTT costs ~5 s per start/stop; the MQTT tests (org.kloaka.local.mqtt) cover it.
        .withoutMqtt();
  }

  LocalRuntime start(LocalConfig config) {
    LocalRuntime runtime = LocalRuntime.start(config);
    toClose.add(0, runtime);
    return runtime;
  }

  LocalRuntime start() {
    return start(config());
  }

  PushClient connect(LocalRuntime runtime) throws InterruptedException {
    PushClient client = PushClient.connect(runtime.wsUri(), runtime.token());
    toClose.add(0, client::closeBlocking);
    return client;
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable each : toClose) {
      each.close();
    }
  }

  @Test
  void readingsBecomeDevicesProblemsAndPushesToEveryConsoleAndResolvingIsPushedToo()
      throws Exception {
    LocalRuntime runtime = start();
    PushClient first = connect(runtime);
    PushClient second = connect(runtime);

    submit(runtime, "01", "100");
    submit(runtime, "02", "50");

    for (PushClient client : List.of(first, second)) {
      client.await(PushClient.problem("0102", "problem", "OBSTRUCTION"));
      client.await(
          f ->
              f.path("type").asText().equals("device")
                  && f.path("device").path("id").asText().equals("02")
                  && f.path("device").path("last_value").asText().equals("50"));
    }
    JsonNode problem = get(runtime, "/problems/0102");
    assertThat(problem.path("problem_status").asText()).isEqualTo("UNRESOLVED");
    assertThat(problem.path("problem_time").asLong()).isEqualTo(T);
    assertThat(get(runtime, "/devices").path("devices"))
        .extracting(d -> d.path("id").asText())
        .containsExactly("01", "02");

    HttpResponse<String> resolved =
        patch(
            runtime, "/problems/0102", "{\"problem_status\":\"RESOLVED\",\"note\":\"crew sent\"}");

    assertThat(resolved.statusCode()).isEqualTo(200);
    for (PushClient client : List.of(first, second)) {
      JsonNode push = client.await(PushClient.problem("0102", "problem_status", "RESOLVED"));
      assertThat(push.path("problem").path("note").asText()).isEqualTo("crew sent");
      assertThat(push.path("problem").path("resolved_time").asLong()).isEqualTo(T);
    }
    assertThat(get(runtime, "/problems?status=RESOLVED").path("problems")).hasSize(1);
  }

  @Test
  void everyRowOfTheFlowTableReachesTheConsoleAsItsVerdict() throws Exception {
    LocalRuntime runtime = start();
    PushClient console = connect(runtime);
    String[] values = {"100", "50", "0"}; // CORRECT, LOW, NO
    String[][] verdicts = {
      {null, "OBSTRUCTION", "OBSTRUCTION"},
      {"PROBLEM", null, "OBSTRUCTION"},
      {"PROBLEM", "PROBLEM", null}
    };
    for (int up = 0; up < 3; up++) {
      for (int down = 0; down < 3; down++) {
        int tube = up * 3 + down;
        submit(runtime, tube + "1", values[up]);
        submit(runtime, tube + "2", values[down]);
      }
    }
    // The last device push comes after every problem push of the earlier batches.
    console.await(f -> f.path("device").path("id").asText().equals("82"));

    for (int up = 0; up < 3; up++) {
      for (int down = 0; down < 3; down++) {
        String id = (up * 3 + down) + "1" + (up * 3 + down) + "2";
        List<String> pushed =
            console.frames.stream()
                .filter(f -> f.path("problem").path("problem_id").asText().equals(id))
                .map(f -> f.path("problem").path("problem").asText())
                .toList();
        String verdict = verdicts[up][down];
        assertThat(pushed)
            .as("%s → %s", values[up], values[down])
            .isEqualTo(verdict == null ? List.of() : List.of(verdict));
      }
    }
  }

  @Test
  void theWholeLifecycleIsPushedOncePerChange() throws Exception {
    LocalRuntime runtime = start();
    PushClient console = connect(runtime);

    submit(runtime, "01", "100");
    submit(runtime, "02", "50"); // new → pushed
    clock.forward(Duration.ofMinutes(5));
    submit(runtime, "02", "50"); // same → last_seen only, not pushed
    submit(runtime, "02", "100"); // OK → inactive, pushed
    submit(runtime, "02", "0"); // again → active, pushed
    patch(runtime, "/problems/0102", "{\"problem_status\":\"RESOLVED\"}"); // pushed
    clock.forward(Duration.ofMinutes(5));
    submit(runtime, "01", "0"); // other type on a RESOLVED pair → new record, pushed
    submit(runtime, "02", "100");

    console.await(PushClient.problem("0102", "problem", "PROBLEM"));
    console.await(
        f ->
            f.path("device").path("last_value").asText().equals("100")
                && f.path("device").path("last_update").asLong() == T + 600);
    List<String> pushes =
        console.frames.stream()
            .filter(f -> f.path("type").asText().equals("problem"))
            .map(f -> f.path("problem"))
            .map(
                p ->
                    p.path("problem").asText()
                        + "/"
                        + p.path("problem_status").asText()
                        + "/"
                        + (p.path("active").asBoolean() ? "active" : "inactive"))
            .toList();
    assertThat(pushes)
        .containsExactly(
            "OBSTRUCTION/UNRESOLVED/active",
            "OBSTRUCTION/UNRESOLVED/inactive",
            "OBSTRUCTION/UNRESOLVED/active",
            "OBSTRUCTION/RESOLVED/active",
            "PROBLEM/UNRESOLVED/active");
    JsonNode now = get(runtime, "/problems/0102");
    assertThat(now.path("problem_time").asLong()).isEqualTo(T + 600);
    assertThat(now.path("resolved_time").isNull()).isTrue();
  }

  @Test
  void restRefusesCallsWithoutTheTokenButHealthAndAnswersJsonUtf8() throws Exception {
    LocalRuntime runtime = start();

    HttpResponse<String> health =
        send(runtime, HttpRequest.newBuilder(URI.create(runtime.httpUri() + "/health")));
    HttpResponse<String> anonymous =
        send(runtime, HttpRequest.newBuilder(URI.create(runtime.httpUri() + "/devices")));
    HttpResponse<String> wrong =
        send(
            runtime,
            HttpRequest.newBuilder(URI.create(runtime.httpUri() + "/devices"))
                .header("Authorization", "Bearer not-" + runtime.token()));
    HttpResponse<String> allowed = send(runtime, request(runtime, "/devices"));

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"ok\"");
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(allowed.headers().firstValue("Content-Type"))
        .hasValue("application/json; charset=utf-8");
    assertThat(anonymous.body()).startsWith("{\"error\":").doesNotContain("Exception");
  }

  @Test
  void bodyOverTheLimitIs413() throws Exception {
    LocalRuntime runtime = start();
    String big = "{\"problem_status\":\"RESOLVED\",\"note\":\"" + "x".repeat(70_000) + "\"}";

    HttpResponse<String> response = patch(runtime, "/problems/0102", big);

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).contains("64 KiB");
  }

  static int handshakeStatus(URI uri) {
    try {
      HttpClient.newHttpClient()
          .newWebSocketBuilder()
          .buildAsync(uri, new WebSocket.Listener() {})
          .join()
          .abort();
      return 101;
    } catch (CompletionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException refused) {
        return refused.getResponse().statusCode();
      }
      throw e;
    }
  }

  @Test
  void webSocketWithAWrongOrMissingTokenIsRefusedWith401AtTheHandshake() throws Exception {
    LocalRuntime runtime = start();

    assertThat(handshakeStatus(URI.create(runtime.wsUri() + "/?token=" + runtime.token())))
        .isEqualTo(101);
    assertThat(handshakeStatus(URI.create(runtime.wsUri() + "/?token=wrong"))).isEqualTo(401);
    assertThat(handshakeStatus(URI.create(runtime.wsUri() + "/"))).isEqualTo(401);
    assertThat(handshakeStatus(URI.create(runtime.wsUri() + "/other?token=" + runtime.token())))
        .isEqualTo(404);
    PushClient refused = new PushClient(URI.create(runtime.wsUri() + "/?token=wrong"));
    assertThat(refused.connectBlocking(10, TimeUnit.SECONDS)).isFalse();
  }

  @Test
  void badFramesGetAnErrorAndTheConnectionStaysOpen() throws Exception {
    LocalRuntime runtime = start();
    PushClient client = connect(runtime);

    client.send("not json");
    client.send("{\"action\":\"dance\"}");
    client.send("[1,2]");
    client.send(new byte[] {1, 2, 3});
    client.send("{\"action\":\"ping\"}");

    client.await(f -> f.path("type").asText().equals("pong"));
    assertThat(client.frames).hasSize(5);
    assertThat(client.frames.subList(0, 4))
        .allSatisfy(f -> assertThat(f.path("type").asText()).isEqualTo("error"))
        .extracting(f -> f.path("error").asText())
        .satisfies(
            errors -> {
              assertThat(errors.get(0)).contains("not valid JSON");
              assertThat(errors.get(1)).contains("unknown action \"dance\"");
              assertThat(errors.get(3)).contains("binary");
            });
    assertThat(client.isOpen()).isTrue();
  }

  @Test
  void aFrameOverTheLimitClosesTheConnectionWith1009AndAReason() throws Exception {
    LocalRuntime runtime = start();
    // Many times: the client is still sending the rest of its frame when the server answers, and
    // a server that closed its socket with those bytes unread would reset the connection — the
    // client then saw 1006 instead of 1009 (seen in CI, one run in several).
    for (int attempt = 0; attempt < 25; attempt++) {
      PushClient client = connect(runtime);

      client.send("{\"action\":\"" + "x".repeat(70_000) + "\"}");

      String reason = client.closed.get(10, TimeUnit.SECONDS);
      assertThat(client.closeCode).as("close code, attempt %d", attempt).isEqualTo(1009);
      assertThat(reason).isNotBlank();
    }
  }

  @Test
  void restartKeepsDevicesProblemsAndHistory() throws Exception {
    LocalRuntime before = start();
    submit(before, "01", "100");
    clock.forward(Duration.ofMinutes(1));
    submit(before, "02", "0");
    submit(before, "02", "0");
    before.close();

    LocalRuntime after = start();

    assertThat(get(after, "/devices/02").path("last_value").asText()).isEqualTo("0");
    assertThat(get(after, "/problems/0102").path("problem").asText()).isEqualTo("OBSTRUCTION");
    assertThat(get(after, "/devices/02/measurements").path("measurements")).hasSize(2);
    assertThat(after.token()).isEqualTo(before.token());
  }

  @Test
  void rejectsAreCappedAtTheConfiguredNumber() throws Exception {
    LocalRuntime runtime = start(config().withRejectsKeep(3));
    for (int i = 0; i < 7; i++) {
      Outcome outcome = submit(runtime, "bad-" + i, "100");
      assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
    }

    JsonNode rejects = get(runtime, "/rejects").path("rejects");

    assertThat(rejects)
        .extracting(r -> r.path("payload").asText())
        .containsExactly(
            "{\"id\":\"bad-6\",\"filling\":\"100\"}",
            "{\"id\":\"bad-5\",\"filling\":\"100\"}",
            "{\"id\":\"bad-4\",\"filling\":\"100\"}");
  }

  @Test
  void historyOlderThanTheRetentionIsPrunedRightAfterStart() throws Exception {
    LocalRuntime first = start(config().withHistoryDays(5));
    submit(first, "01", "100");
    clock.forward(Duration.ofDays(10));
    submit(first, "01", "50");
    first.close();

    LocalRuntime second = start(config().withHistoryDays(5));

    // On the retention's own thread: the start does not wait for it.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(get(second, "/devices/01/measurements").path("measurements"))
                    .extracting(m -> m.path("dt").asLong())
                    .containsExactly(T + Duration.ofDays(10).toSeconds()));
  }

  @Test
  void tokenFileIsCreatedOwnerOnlyAndReused() throws Exception {
    LocalRuntime first = start();
    Path file = first.tokenFile();
    String token = first.token();
    first.close();

    assertThat(file).isEqualTo(dir.resolve("data").resolve("api-token"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(token).matches("[0-9a-f]{64}");
    assertThat(start().token()).isEqualTo(token);
  }

  @Test
  void tokenFromTheEnvironmentWinsAndNoFileIsMade() {
    String token = "from-env-0123456789abcdef-0123456789";
    LocalRuntime runtime = start(config().withEnv(Map.of("KLOAKA_API_TOKEN", token)));

    assertThat(runtime.token()).isEqualTo(token);
    assertThat(runtime.tokenFile()).isNull();
    assertThat(runtime.readyLine()).endsWith(" token_env=KLOAKA_API_TOKEN");
    assertThat(dir.resolve("data").resolve("api-token")).doesNotExist();
  }

  @Test
  void aShortTokenInTheEnvironmentIsRefusedWithoutShowingIt() {
    String token = "guessable-31-characters-0123456";
    assertThat(token).hasSize(31);

    assertThatThrownBy(() -> start(config().withEnv(Map.of("KLOAKA_API_TOKEN", token))))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("KLOAKA_API_TOKEN holds 31 characters")
        .hasMessageContaining("at least 32")
        .message()
        .doesNotContain(token);
  }

  @Test
  void aTokenOf32CharactersIsEnough() {
    String token = "x".repeat(ApiToken.MIN_ENV_LENGTH);

    assertThat(start(config().withEnv(Map.of("KLOAKA_API_TOKEN", token))).token()).isEqualTo(token);
  }

  @Test
  void everyPortInUseIsNamedInOneMessageBeforeAnythingStarts() throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    try (ServerSocket mqtt = new ServerSocket(0, 1, loopback);
        ServerSocket ws = new ServerSocket(0, 1, loopback)) {
      LocalConfig config =
          config().withMqtt(true).withPorts(mqtt.getLocalPort(), 0, ws.getLocalPort());
      long started = System.nanoTime();

      assertThatThrownBy(() -> start(config))
          .isInstanceOf(StartupException.class)
          .hasMessage(
              "ports in use on 127.0.0.1: %d (--mqtt-port), %d (--ws-port): stop what uses them,"
                  + " or choose other ports (0 picks a free one)",
              mqtt.getLocalPort(), ws.getLocalPort());
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      System.out.printf("port clash reported in %d ms%n", took.toMillis());
      assertThat(took).isLessThan(Duration.ofSeconds(1));
      assertThat(dir.resolve("data"))
          .as("nothing started, not even the data folder")
          .doesNotExist();
    }
  }

  @Test
  void aPortGivenToTwoServersIsRefused() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = free.getLocalPort();
    }
    LocalConfig config = config().withPorts(0, port, port);

    assertThatThrownBy(() -> start(config))
        .isInstanceOf(StartupException.class)
        .hasMessage("--http-port and --ws-port are both %d: give each server its own port", port);
  }

  @Test
  void tokenFileOthersCanReadIsRefused() throws Exception {
    start().close();
    Path file = dir.resolve("data").resolve("api-token");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(this::start)
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("chmod 600 " + file);
  }

  @Test
  void readyLineNamesTheRealAddressesAndTheTokenFile() {
    LocalRuntime runtime = start(config().withMqtt(true));

    assertThat(runtime.readyLine())
        .matches(
            "kloaka ready mqtt=tcp://127\\.0\\.0\\.1:[1-9]\\d* http=http://127\\.0\\.0\\.1:[1-9]\\d*"
                + " ws=ws://127\\.0\\.0\\.1:[1-9]\\d* token_file=.*api-token");
    assertThat(runtime.httpUri().getPort()).isPositive();
    assertThat(runtime.wsUri().getPort()).isPositive();
    assertThat(runtime.mqttUri().getPort()).isPositive();
  }

  @Test
  void boundToEveryAddressTheReadyLineShowsEachServerTheSameWay() throws Exception {
    Path password = Files.writeString(dir.resolve("mqtt-password"), "a-long-random-password\n");
    LocalRuntime runtime =
        start(config().withMqtt(true).withBind("0.0.0.0").withMqttCredentials("gateway", password));

    assertThat(runtime.readyLine())
        .matches(
            "kloaka ready mqtt=tcp://0\\.0\\.0\\.0:[1-9]\\d* http=http://0\\.0\\.0\\.0:[1-9]\\d*"
                + " ws=ws://0\\.0\\.0\\.0:[1-9]\\d* token_file=.*api-token");
  }

  @Test
  void withoutMqttTheReadyLineSaysSo() {
    LocalRuntime runtime = start();

    assertThat(runtime.readyLine()).startsWith("kloaka ready mqtt=off http=");
    assertThat(runtime.mqttUri()).isNull();
  }

  @Test
  void aSecondRuntimeOnTheSameDataFolderIsRefused() {
    start();

    assertThatThrownBy(this::start)
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("in use by another Kloaka");
  }

  @Test
  void aBadNetworkFileStopsTheStartWithItsProblem() throws Exception {
    Path network = dir.resolve("network.json");
    Files.writeString(network, "{\"tubes\": [{\"id\": \"0\", \"sensors\": [{\"id\": \"13\"}]}]}");

    assertThatThrownBy(() -> start(config().withNetworkFile(network)))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("13");
  }
}
