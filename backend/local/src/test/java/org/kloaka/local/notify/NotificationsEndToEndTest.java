package org.kloaka.local.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.local.LocalConfig;
import org.kloaka.local.LocalRuntime;
import org.kloaka.local.RunningRuntime;
import org.kloaka.local.StartupException;
import org.kloaka.testing.TestClock;

/**
 * Notifications through the whole local runtime (docs/notifications.md): a real webhook receiver
 * over HTTP that fails, stalls and recovers, a real SMTP server (GreenMail), the ladder on a test
 * clock, restarts, and bad files.
 */
class NotificationsEndToEndTest {

  static final long T = 1_795_860_000L; // 2026-11-28T10:00:00Z
  static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  final TestClock clock = TestClock.atEpochSecond(T);
  final List<AutoCloseable> toClose = new ArrayList<>();
  WebhookReceiver hook;
  GreenMail smtp;

  @BeforeEach
  void servers() throws Exception {
    hook = new WebhookReceiver();
    smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.setUser("kloaka", "secret");
    smtp.start();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
    hook.close();
    smtp.stop();
  }

  Path file(String name, String text) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  Path notifyFile(String extra) throws Exception {
    Files.writeString(dir.resolve("smtp-password"), "secret\n");
    return file(
        "notify.json",
        """
        {"channels": {
           "oncall": {"type": "webhook", "url": "%s", "headers": {"Authorization": "Bearer hook"}},
           "crew": {"type": "email", "to": ["crew@city.example"], "from": "kloaka@city.example",
                    "smtp": {"host": "127.0.0.1", "port": %d, "tls": "none",
                             "username": "kloaka", "password_file": "smtp-password"}}%s},
         "escalation": [{"after": "0s", "notify": ["oncall", "crew"]},
                        {"after": "30m", "notify": ["oncall"]}],
         "also_when_resolved": true}
        """
            .formatted(hook.url(), smtp.getSmtp().getPort(), extra));
  }

  LocalConfig config(Path notify) throws Exception {
    Path network =
        file(
            "network.json",
            """
            {"tubes": [{"id": "0", "name": "Via Roma trunk",
                        "sensors": [{"id": "01", "name": "Manhole 14"}, {"id": "02", "name": "Manhole 15"}, {"id": "03"}]}]}
            """);
    return LocalConfig.defaults()
        .withDataDir(dir.resolve("data"))
        .withPorts(0, 0, 0)
        .withEnv(Map.of())
        .withClock(clock)
        .withoutMqtt()
        .withNetworkFile(network)
        .withNotifyFile(notify);
  }

  LocalRuntime start(LocalConfig config) {
    LocalRuntime runtime = LocalRuntime.start(config);
    toClose.add(0, runtime);
    return runtime;
  }

  void openObstruction(LocalRuntime runtime) throws Exception {
    RunningRuntime.submit(runtime, "01", "100");
    RunningRuntime.submit(runtime, "02", "0");
  }

  @Test
  void theWebhookAndTheMailSayInPlainWordsWhatWhereSinceWhenAndHowToAcknowledge() throws Exception {
    LocalRuntime runtime = start(config(notifyFile("")));
    openObstruction(runtime);

    await().atMost(WAIT).until(() -> hook.delivered().size() == 1);
    JsonNode body = hook.delivered().get(0);
    assertThat(body.get("type").asText()).isEqualTo("problem");
    assertThat(body.get("event").asText()).isEqualTo("opened");
    assertThat(body.get("step").asInt()).isEqualTo(1);
    assertThat(body.get("problem").get("problem_id").asText()).isEqualTo("0102");
    assertThat(body.get("text").asText())
        .isEqualTo(
            "OBSTRUCTION between Manhole 14 (sensor 01) and Manhole 15 (sensor 02) since"
                + " 2026-11-28 10:00 UTC. Acknowledge it in the Kloaka console, or: PATCH"
                + " /problems/0102 {\"acknowledged\": true}");
    assertThat(hook.received().get(0).authorization()).isEqualTo("Bearer hook");

    await().atMost(WAIT).until(() -> smtp.getReceivedMessages().length == 1);
    MimeMessage mail = smtp.getReceivedMessages()[0];
    assertThat(mail.getSubject())
        .isEqualTo("Kloaka: OBSTRUCTION 0102 (Manhole 14 (sensor 01) → Manhole 15 (sensor 02))");
    assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("crew@city.example");
    String text = ((String) mail.getContent()).replace("\r\n", "\n");
    assertThat(text)
        .contains("A new problem opened on the sewer line.")
        .contains("Since: 2026-11-28 10:00 UTC")
        .contains("upstream 100 %, downstream 0 %")
        .contains("PATCH /problems/0102");

    await()
        .atMost(WAIT)
        .until(
            () -> RunningRuntime.get(runtime, "/notifications").get("notifications").size() == 2);
    JsonNode recent = RunningRuntime.get(runtime, "/notifications?limit=5").get("notifications");
    assertThat(recent.get(0).get("state").asText()).isEqualTo("delivered");
    assertThat(recent.get(0).get("problem_id").asText()).isEqualTo("0102");
    // The same rows as CSV, asked either way, like every other list.
    var csv =
        RunningRuntime.send(
            runtime, RunningRuntime.request(runtime, "/notifications?format=csv&limit=5").GET());
    var accepted =
        RunningRuntime.send(
            runtime,
            RunningRuntime.request(runtime, "/notifications?limit=5")
                .header("Accept", "text/csv")
                .GET());
    for (var answer : java.util.List.of(csv, accepted)) {
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
      assertThat(answer.body().split("\r\n"))
          .hasSize(1 + recent.size())
          .startsWith("problem_id,problem_time,event,step,channel,state,due,attempts,time,error");
      assertThat(answer.body().split("\r\n")[1]).startsWith("0102,").contains(",delivered,");
    }
    JsonNode status = RunningRuntime.get(runtime, "/status").get("notifications");
    // Step 2 (30 min) waits; nothing failed.
    assertThat(status.get("pending").asLong()).isEqualTo(1);
    assertThat(status.get("failed").asLong()).isZero();
  }

  @Test
  void aFailingWebhookIsRetriedWithBackoffAndDeliveredOnceWhenItRecovers() throws Exception {
    hook.mode(WebhookReceiver.Mode.FAIL);
    LocalRuntime runtime = start(config(notifyFile("")));
    openObstruction(runtime);
    await().atMost(WAIT).until(() -> hook.received().size() == 1);
    await()
        .atMost(WAIT)
        .until(
            () -> {
              JsonNode list = RunningRuntime.get(runtime, "/notifications").get("notifications");
              for (JsonNode n : list) {
                if (n.get("channel").asText().equals("oncall")) {
                  return n.get("attempts").asInt() == 1
                      && n.get("state").asText().equals("pending")
                      && n.get("error").asText().contains("HTTP 503");
                }
              }
              return false;
            });
    // The retry is due 10 s after the failure, on the runtime's clock.
    assertThat(hook.received()).hasSize(1);
    hook.mode(WebhookReceiver.Mode.OK);
    clock.forward(Duration.ofSeconds(10));
    await().atMost(WAIT).until(() -> hook.delivered().size() == 1);
    clock.forward(Duration.ofMinutes(5));
    Thread.onSpinWait();
    assertThat(hook.delivered()).hasSize(1);
    assertThat(hook.received()).hasSize(2);
  }

  @Test
  void aStalledWebhookDoesNotHoldUpIngestOrTheMail() throws Exception {
    hook.stallFor(60_000);
    LocalRuntime runtime = start(config(notifyFile("")));
    long started = System.nanoTime();
    // 200 pairs of tube 1 (ids 1-1 … 1-400 by convention): 200 obstructions open.
    for (int s = 1; s <= 400; s += 2) {
      RunningRuntime.submit(runtime, "1-" + s, "100");
      RunningRuntime.submit(runtime, "1-" + (s + 1), "0");
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    // The e-mail channel is not held up by the stalled webhook.
    await().atMost(WAIT).until(() -> smtp.getReceivedMessages().length >= 200);
    assertThat(hook.delivered()).isEmpty();
    assertThat(RunningRuntime.get(runtime, "/status").get("notifications").get("pending").asLong())
        .isGreaterThanOrEqualTo(200);
    hook.release();
    await().atMost(Duration.ofSeconds(60)).until(() -> hook.delivered().size() >= 200);
    // Each pair's problem reached the webhook once.
    assertThat(hook.delivered().stream().map(b -> b.get("problem").get("problem_id").asText()))
        .doesNotHaveDuplicates();
    System.out.printf("400 messages stored in %d ms with a stalled webhook%n", took.toMillis());
  }

  @Test
  void theLadderEscalatesStopsWhenResolvedAndTellsTheResolution() throws Exception {
    LocalRuntime runtime = start(config(notifyFile("")));
    openObstruction(runtime);
    await().atMost(WAIT).until(() -> hook.delivered().size() == 1);
    clock.forward(Duration.ofMinutes(30));
    await().atMost(WAIT).until(() -> hook.delivered().size() == 2);
    assertThat(hook.delivered().get(1).get("event").asText()).isEqualTo("escalated");
    assertThat(hook.delivered().get(1).get("step").asInt()).isEqualTo(2);
    assertThat(hook.delivered().get(1).get("text").asText()).startsWith("Still unacknowledged");
    assertThat(
            RunningRuntime.patch(runtime, "/problems/0102", "{\"problem_status\": \"RESOLVED\"}")
                .statusCode())
        .isEqualTo(200);
    // Time passes while the notices go out: a first attempt that failed under load (a timeout)
    // is retried after its backoff, which this clock only reaches when it moves.
    await().atMost(WAIT).until(() -> movingTheClock(() -> hook.delivered().size() >= 3));
    await().atMost(WAIT).until(() -> movingTheClock(() -> smtp.getReceivedMessages().length >= 2));
    // Exactly one message per step and channel, and one resolution notice each.
    assertThat(hook.delivered()).hasSize(3);
    assertThat(hook.delivered().get(2).get("event").asText()).isEqualTo("resolved");
    assertThat(smtp.getReceivedMessages()).hasSize(2);
    assertThat(smtp.getReceivedMessages()[1].getSubject()).startsWith("Kloaka: resolved");
  }

  /** Forwards the test clock by a second unless {@code done}; answers {@code done}. */
  boolean movingTheClock(java.util.function.BooleanSupplier done) {
    if (done.getAsBoolean()) {
      return true;
    }
    clock.forward(Duration.ofSeconds(1));
    return false;
  }

  @Test
  void aSendStillRunningWhenTheClockJumpsPastItsLeaseIsNotSentTwice() throws Exception {
    // The webhook holds every request: step 1 is in flight when the clock jumps an hour, past the
    // sender's 15-minute lease, which makes step 2 due on the same channel.
    hook.stallFor(60_000);
    LocalRuntime runtime = start(config(notifyFile("")));
    openObstruction(runtime);
    await().atMost(WAIT).until(() -> hook.arrived() == 1);
    clock.forward(Duration.ofHours(1));
    await().atMost(WAIT).until(() -> hook.arrived() >= 2);
    hook.release();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              int delivered = 0;
              for (JsonNode n :
                  RunningRuntime.get(runtime, "/notifications").get("notifications")) {
                if (n.get("channel").asText().equals("oncall")
                    && n.get("state").asText().equals("delivered")) {
                  delivered++;
                }
              }
              return delivered == 2;
            });
    assertThat(hook.received().stream().map(r -> r.body().get("step").asInt()))
        .containsExactlyInAnyOrder(1, 2);
  }

  @Test
  void whatWasDueWhenTheRuntimeStoppedIsSentAfterTheNextStart() throws Exception {
    hook.mode(WebhookReceiver.Mode.FAIL);
    LocalConfig config = config(notifyFile(""));
    LocalRuntime first = start(config);
    openObstruction(first);
    await().atMost(WAIT).until(() -> hook.received().size() == 1);
    first.close();
    hook.mode(WebhookReceiver.Mode.OK);
    clock.forward(Duration.ofSeconds(10));
    start(config);
    await().atMost(WAIT).until(() -> hook.delivered().size() == 1);
    assertThat(hook.delivered().get(0).get("event").asText()).isEqualTo("opened");
  }

  @Test
  void aTestMessageGoesToEveryChannelAndEachAnswersItsOutcome() throws Exception {
    String dead = ", \"dead\": {\"type\": \"webhook\", \"url\": \"http://127.0.0.1:1/nobody\"}";
    LocalRuntime runtime = start(config(notifyFile(dead)));
    var response =
        RunningRuntime.send(
            runtime,
            RunningRuntime.request(runtime, "/notifications/test")
                // It answers once every channel has: a first SMTP session in a fresh JVM took
                // over 10 s on a loaded CI machine.
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode results =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).get("results");
    assertThat(results).hasSize(3);
    assertThat(results.get(0).get("channel").asText()).isEqualTo("oncall");
    assertThat(results.get(0).get("ok").asBoolean()).isTrue();
    assertThat(results.get(0).get("error").isNull()).isTrue();
    assertThat(results.get(1).get("channel").asText()).isEqualTo("crew");
    assertThat(results.get(1).get("ok").asBoolean()).isTrue();
    assertThat(results.get(2).get("channel").asText()).isEqualTo("dead");
    assertThat(results.get(2).get("ok").asBoolean()).isFalse();
    assertThat(results.get(2).get("error").asText()).contains("connection refused");
    assertThat(hook.delivered().get(0).get("type").asText()).isEqualTo("test");
    assertThat(smtp.getReceivedMessages()[0].getSubject()).isEqualTo("Kloaka: test message (crew)");
  }

  @Test
  void onlyTheAdminMaySendATestMessage() throws Exception {
    LocalRuntime runtime = start(config(notifyFile("")));
    var created =
        RunningRuntime.send(
            runtime,
            RunningRuntime.request(runtime, "/operators")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"name\": \"maria\", \"role\": \"operator\"}")));
    assertThat(created.statusCode()).isEqualTo(201);
    String token =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(created.body())
            .get("token")
            .asText();
    var refused =
        RunningRuntime.send(
            runtime,
            RunningRuntime.request(runtime, "/notifications/test")
                .setHeader("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(refused.statusCode()).isEqualTo(403);
    var listed =
        RunningRuntime.send(
            runtime,
            RunningRuntime.request(runtime, "/notifications")
                .setHeader("Authorization", "Bearer " + token)
                .GET());
    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(hook.received()).isEmpty();
  }

  @Test
  void anAcknowledgementStopsTheLadder() throws Exception {
    LocalRuntime runtime = start(config(notifyFile("")));
    openObstruction(runtime);
    await().atMost(WAIT).until(() -> hook.delivered().size() == 1);
    assertThat(
            RunningRuntime.patch(runtime, "/problems/0102", "{\"acknowledged\": true}")
                .statusCode())
        .isEqualTo(200);
    clock.forward(Duration.ofHours(2));
    await()
        .atMost(WAIT)
        .until(
            () -> {
              for (JsonNode n :
                  RunningRuntime.get(runtime, "/notifications").get("notifications")) {
                if (n.get("step").asInt() == 2) {
                  return n.get("state").asText().equals("cancelled");
                }
              }
              return false;
            });
    assertThat(hook.delivered()).hasSize(1);
    JsonNode events = RunningRuntime.get(runtime, "/problems/0102/events").get("events");
    List<String> types = new ArrayList<>();
    events.forEach(e -> types.add(e.get("type").asText()));
    assertThat(types).contains("opened", "notified", "acknowledged");
  }

  @Test
  void withoutAFileNothingIsSentAndTheRoutesAnswerEmpty() throws Exception {
    LocalRuntime runtime = start(config(null));
    openObstruction(runtime);
    assertThat(RunningRuntime.get(runtime, "/notifications").get("notifications")).isEmpty();
    assertThat(RunningRuntime.get(runtime, "/status").get("notifications").get("pending").asLong())
        .isZero();
    assertThat(hook.received()).isEmpty();
  }

  @Test
  void aBadFileStopsTheStartNamingItsProblem() throws Exception {
    String good = Files.readString(notifyFile(""));
    record Case(String json, String expected) {}
    List<Case> cases =
        List.of(
            new Case(
                good.replace("\"notify\": [\"oncall\"]", "\"notify\": [\"pager\"]"),
                "escalation[1].notify names the unknown channel \"pager\""),
            new Case(
                good.replace("\"30m\"", "\"half an hour\""),
                "escalation[1].after \"half an hour\" is not a duration"),
            new Case(
                good.replace("\"from\": \"kloaka@city.example\",", ""),
                "channels.crew.from is missing"),
            new Case(
                good.replace("\"type\": \"webhook\"", "\"type\": \"sns\""),
                "channels.oncall is of type sns, which this deployment cannot send"),
            new Case(
                good.replace("smtp-password", "no-such-file"),
                "channels.crew.smtp.password_file "
                    + dir.resolve("no-such-file")
                    + " cannot be read: not found"),
            new Case(
                good.replace("\"url\": \"" + hook.url() + "\"", "\"url\": \"ftp://x\""),
                "channels.oncall.url must be an http:// or https:// address"),
            new Case("{\"channels\": {}, ", "not a notification file"));
    for (Case c : cases) {
      Path bad = file("bad.json", c.json());
      assertThatThrownBy(() -> LocalRuntime.start(config(bad)))
          .as(c.expected())
          .isInstanceOf(StartupException.class)
          .hasMessageStartingWith("notification file " + bad)
          .hasMessageContaining(c.expected());
    }
    Path unreadable = dir.resolve("smtp-password");
    Files.setPosixFilePermissions(unreadable, PosixFilePermissions.fromString("---------"));
    if (!Files.isReadable(unreadable)) { // root reads anything: the case above covers "cannot read"
      assertThatThrownBy(() -> LocalRuntime.start(config(file("n.json", good))))
          .hasMessageContaining(
              "password_file " + unreadable + " cannot be read: permission denied");
    }
  }
}
