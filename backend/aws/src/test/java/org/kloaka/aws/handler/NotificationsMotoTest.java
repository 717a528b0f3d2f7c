package org.kloaka.aws.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kloaka.aws.handler.MotoHandlers.assertNoFailures;
import static org.kloaka.aws.handler.MotoHandlers.publish;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kloaka.api.Json;
import org.kloaka.aws.config.Settings;
import org.kloaka.aws.moto.HttpApiCall;
import org.kloaka.aws.moto.Moto;
import org.kloaka.aws.moto.MotoAws;
import org.kloaka.aws.moto.StreamTap;
import org.kloaka.aws.moto.WebhookReceiver;
import org.kloaka.testing.TestClock;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * Notifications on AWS (docs/notifications.md) against moto: problems opened by the real stream
 * inspector, the outbox written with them, the scheduled sender on a forwarded clock, a real
 * webhook receiver over HTTP, the stack's SNS topic watched through a subscribed SQS queue, and a
 * webhook header's secret read from SSM.
 */
@Moto
class NotificationsMotoTest {

  private static final String TOKEN = "notify-test-token";
  private static final String HOOK_SECRET_PARAM = "/kloaka/test/notify/hook-token";
  private static final long T0 = 1_795_860_000L;

  private final TestClock clock = new TestClock(Instant.ofEpochSecond(T0));
  private final ObjectMapper mapper = Json.newMapper();
  private final WebhookReceiver hook = new WebhookReceiver();
  private MotoAws aws;
  private SnsClient sns;
  private SqsClient sqs;
  private String topicArn;
  private String queueUrl;
  private Settings current;

  @BeforeEach
  void wire(MotoAws aws) {
    this.aws = aws;
    aws.putToken(TOKEN);
    aws.server()
        .ssm()
        .putParameter(
            r ->
                r.name(HOOK_SECRET_PARAM)
                    .type(ParameterType.SECURE_STRING)
                    .value("Bearer hook-secret"));
    sns = aws.server().sns();
    sqs = aws.server().sqs();
    topicArn = sns.createTopic(r -> r.name("kloaka-test-notify")).topicArn();
    queueUrl = sqs.createQueue(r -> r.queueName("sms-watch")).queueUrl();
    String queueArn =
        sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNamesWithStrings("QueueArn"))
            .attributesAsStrings()
            .get("QueueArn");
    sns.subscribe(r -> r.topicArn(topicArn).protocol("sqs").endpoint(queueArn));
  }

  @AfterEach
  void stop() {
    hook.close();
  }

  private String file(String escalation) {
    return """
        {"channels": {
           "oncall": {"type": "webhook", "url": "%s",
                      "headers": {"Authorization": "ssm:%s"}},
           "sms": {"type": "sns"}},
         "escalation": %s,
         "also_when_resolved": true}"""
        .formatted(hook.url(), HOOK_SECRET_PARAM, escalation);
  }

  /** The functions' environment with this notification file; REST calls use the latest one. */
  private Settings settings(String notify) {
    current = aws.settings(Map.of(Settings.NOTIFY, notify, Settings.NOTIFY_TOPIC, topicArn));
    return current;
  }

  private DeliverNotificationsHandler sender(Settings settings) {
    return new DeliverNotificationsHandler(aws.db(), aws.ssm(), sns, settings, clock);
  }

  /** Opens problem 0102 through the organizer and the devices-stream inspector. */
  private void openProblem(Settings settings) {
    OrganizerHandler organizer = new OrganizerHandler(aws.db(), settings, clock);
    DeviceStreamHandler inspector = new DeviceStreamHandler(aws.db(), settings, clock);
    StreamTap devices = aws.tap(MotoAws.DEVICES);
    publish(organizer, "{\"id\": \"01\", \"filling\": \"100\"}");
    publish(organizer, "{\"id\": \"02\", \"filling\": \"0\"}");
    assertNoFailures(inspector.handleRequest(devices.nextEvent(), null));
  }

  private List<JsonNode> hookBodies() {
    return hook.delivered().stream().map(r -> json(r.body())).toList();
  }

  private List<JsonNode> snsMessages() {
    List<JsonNode> found = new ArrayList<>();
    while (true) {
      List<Message> batch =
          sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)).messages();
      if (batch.isEmpty()) {
        return found;
      }
      for (Message message : batch) {
        found.add(json(message.body()));
        sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
      }
    }
  }

  @Test
  void theLadderFiresEscalatesStopsOnAcknowledgeAndTellsTheResolution() {
    Settings settings =
        settings(
            file(
                "[{\"after\": \"0s\", \"notify\": [\"oncall\"]},"
                    + " {\"after\": \"30m\", \"notify\": [\"oncall\", \"sms\"]},"
                    + " {\"after\": \"2h\", \"notify\": [\"sms\"]}]"));
    openProblem(settings);
    // Written with the problem, in its transaction: every step × channel, none sent yet.
    assertThat(aws.scan(MotoAws.NOTIFICATIONS)).hasSize(4);
    assertThat(hook.requests()).isEmpty();

    DeliverNotificationsHandler sender = sender(settings);
    assertThat(sender.handleRequest(null, null)).startsWith("1 delivered");
    assertThat(hookBodies())
        .singleElement()
        .satisfies(
            body -> {
              assertThat(body.path("event").asText()).isEqualTo("opened");
              assertThat(body.path("step").asInt()).isEqualTo(1);
              assertThat(body.path("text").asText()).contains("sensor 01", "sensor 02");
              assertThat(body.path("problem").path("problem_id").asText()).isEqualTo("0102");
            });
    assertThat(hook.requests().get(0).authorization())
        .as("the header's secret read from SSM")
        .isEqualTo("Bearer hook-secret");
    assertThat(snsMessages()).isEmpty();

    clock.forward(Duration.ofMinutes(29));
    assertThat(sender.handleRequest(null, null)).startsWith("0 delivered");
    clock.forward(Duration.ofMinutes(1));
    assertThat(sender.handleRequest(null, null)).startsWith("2 delivered");
    assertThat(hookBodies()).hasSize(2);
    assertThat(hookBodies().get(1).path("event").asText()).isEqualTo("escalated");
    List<JsonNode> published = snsMessages();
    assertThat(published)
        .singleElement()
        .satisfies(
            envelope -> {
              assertThat(envelope.path("TopicArn").asText()).isEqualTo(topicArn);
              assertThat(envelope.path("Subject").asText())
                  .startsWith("Kloaka: still unacknowledged (step 2)")
                  .doesNotContain("→");
              assertThat(envelope.path("Message").asText())
                  .contains("Nobody has acknowledged this problem yet");
            });

    assertThat(call("PATCH", "/problems/0102", "{\"acknowledged\": true}").getStatusCode())
        .isEqualTo(200);
    clock.forward(Duration.ofHours(3));
    sender.handleRequest(null, null);
    assertThat(snsMessages()).as("step 3 was cancelled by the acknowledgement").isEmpty();

    clock.forward(Duration.ofMinutes(5));
    String resolve = "{\"problem_status\": \"RESOLVED\", \"note\": \"cleared\"}";
    assertThat(call("PATCH", "/problems/0102", resolve).getStatusCode()).isEqualTo(200);
    assertThat(sender.handleRequest(null, null)).startsWith("2 delivered");
    assertThat(hookBodies()).hasSize(3);
    assertThat(hookBodies().get(2).path("event").asText()).isEqualTo("resolved");
    assertThat(snsMessages())
        .singleElement()
        .satisfies(m -> assertThat(m.path("Subject").asText()).startsWith("Kloaka: resolved"));
    assertThat(sender.handleRequest(null, null)).startsWith("0 delivered");

    JsonNode recent = body(call("GET", "/notifications", null));
    assertThat(recent.path("notifications"))
        .extracting(
            n ->
                n.path("channel").asText()
                    + " "
                    + n.path("event").asText()
                    + " "
                    + n.path("state").asText())
        .containsExactlyInAnyOrder(
            "oncall opened delivered",
            "oncall escalated delivered",
            "sms escalated delivered",
            "sms escalated cancelled",
            "oncall resolved delivered",
            "sms resolved delivered");
    JsonNode events = body(call("GET", "/problems/0102/events", null));
    assertThat(events.path("events"))
        .filteredOn(e -> e.path("type").asText().equals("notified"))
        .extracting(e -> e.path("note").asText())
        .containsExactlyInAnyOrder(
            "oncall: opened, step 1",
            "oncall: escalated, step 2",
            "sms: escalated, step 2",
            "oncall: resolved, step 2",
            "sms: resolved, step 2");
    JsonNode status = body(call("GET", "/status", null));
    assertThat(status.path("notifications").path("pending").asLong()).isZero();
    assertThat(status.path("notifications").path("failed").asLong()).isZero();
  }

  @Test
  void aFailingWebhookIsRetriedWithBackoffUntilItRecoversAndGivenUpAfterADay() {
    Settings settings = settings(file("[{\"after\": \"0s\", \"notify\": [\"oncall\"]}]"));
    openProblem(settings);
    hook.answer(500, 503);
    DeliverNotificationsHandler sender = sender(settings);
    assertThat(sender.handleRequest(null, null)).contains("1 to retry");
    clock.forward(Duration.ofSeconds(9));
    assertThat(sender.handleRequest(null, null)).startsWith("0 delivered, 0 to retry");
    clock.forward(Duration.ofSeconds(1));
    assertThat(sender.handleRequest(null, null)).contains("1 to retry");
    clock.forward(Duration.ofSeconds(20));
    assertThat(sender.handleRequest(null, null)).startsWith("1 delivered");
    assertThat(hook.requests())
        .extracting(WebhookReceiver.Request::answered)
        .containsExactly(500, 503, 204);
    JsonNode entry = body(call("GET", "/notifications", null)).path("notifications").get(0);
    assertThat(entry.path("state").asText()).isEqualTo("delivered");
    assertThat(entry.path("attempts").asInt()).isEqualTo(3);

    // A second problem whose webhook never recovers: retried for 24 h, then given up.
    OrganizerHandler organizer = new OrganizerHandler(aws.db(), settings, clock);
    DeviceStreamHandler inspector = new DeviceStreamHandler(aws.db(), settings, clock);
    StreamTap devices = aws.tap(MotoAws.DEVICES);
    devices.nextEventJson();
    publish(organizer, "{\"id\": \"11\", \"filling\": \"100\"}");
    publish(organizer, "{\"id\": \"12\", \"filling\": \"0\"}");
    assertNoFailures(inspector.handleRequest(devices.nextEvent(), null));
    long opened = clock.seconds();
    Integer[] failures = new Integer[50];
    java.util.Arrays.fill(failures, 500);
    hook.answer(failures);
    int attempts = 0;
    String last = "";
    while (clock.seconds() < opened + Duration.ofHours(25).toSeconds()) {
      last = sender.handleRequest(null, null);
      attempts += last.contains("1 to retry") || last.contains("1 failed") ? 1 : 0;
      if (last.contains("1 failed for good")) {
        break;
      }
      // Longer than the longest backoff (30 min): one attempt per run.
      clock.forward(Duration.ofHours(2));
    }
    assertThat(last).contains("1 failed for good");
    assertThat(clock.seconds() - opened).isGreaterThanOrEqualTo(Duration.ofHours(24).toSeconds());
    assertThat(attempts).isGreaterThanOrEqualTo(12);
    JsonNode status = body(call("GET", "/status", null));
    assertThat(status.path("notifications").path("failed").asLong()).isEqualTo(1);
    JsonNode events = body(call("GET", "/problems/1112/events", null));
    assertThat(events.path("events"))
        .filteredOn(e -> e.path("type").asText().equals("notify_failed"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.path("note").asText())
                    .startsWith("oncall: opened, step 1, gave up after")
                    .contains("500"));
  }

  @Test
  void aTestMessageReachesEveryChannelAndAnswersEachOutcome() {
    Settings settings = settings(file("[{\"after\": \"0s\", \"notify\": [\"oncall\", \"sms\"]}]"));
    RestHandler rest = new RestHandler(aws.db(), aws.ssm(), sns, settings, clock);
    JsonNode results = body(rest.handleRequest(event("POST", "/notifications/test", null), null));
    assertThat(results.path("results"))
        .extracting(r -> r.path("channel").asText() + " " + r.path("ok").asBoolean())
        .containsExactly("oncall true", "sms true");
    assertThat(hookBodies())
        .singleElement()
        .satisfies(b -> assertThat(b.path("event").asText()).isEqualTo("test"));
    assertThat(snsMessages())
        .singleElement()
        .satisfies(
            m -> assertThat(m.path("Subject").asText()).isEqualTo("Kloaka: test message (sms)"));

    hook.answer(500);
    JsonNode failed = body(rest.handleRequest(event("POST", "/notifications/test", null), null));
    assertThat(failed.path("results").get(0).path("ok").asBoolean()).isFalse();
    assertThat(failed.path("results").get(0).path("error").asText()).contains("500");
  }

  @Test
  void aBadFileFailsTheColdStartNamingTheProblem() {
    assertThatThrownBy(
            () -> sender(settings(file("[{\"after\": \"0s\", \"notify\": [\"pager\"]}]"))))
        .hasMessageContaining("KLOAKA_NOTIFY")
        .hasMessageContaining("escalation[0].notify names the unknown channel \"pager\"");
    assertThatThrownBy(
            () ->
                new RestHandler(
                    aws.db(),
                    aws.ssm(),
                    sns,
                    settings(file("[{\"after\": \"soon\", \"notify\": [\"oncall\"]}]")),
                    clock))
        .hasMessageContaining("escalation[0].after \"soon\" is not a duration");
    assertThatThrownBy(() -> sender(settings("{\"channels\": {")))
        .hasMessageContaining("not a notification file");
    String missingSecret =
        """
        {"channels": {"crew": {"type": "email", "to": ["crew@city.example"],
           "from": "kloaka@city.example",
           "smtp": {"host": "127.0.0.1", "username": "kloaka",
                    "password_ssm": "/kloaka/test/notify/none"}}},
         "escalation": [{"after": "0s", "notify": ["crew"]}]}""";
    assertThatThrownBy(() -> sender(settings(missingSecret)))
        .hasMessageContaining("channels.crew.smtp.password_ssm")
        .hasMessageContaining("SSM parameter /kloaka/test/notify/none cannot be read")
        .hasMessageContaining("ParameterNotFound");
    assertThatThrownBy(
            () ->
                sender(
                    settings(
                        missingSecret.replace(
                            "\"password_ssm\": \"/kloaka/test/notify/none\"",
                            "\"password_file\": \"/etc/kloaka/smtp\""))))
        .hasMessageContaining("channels.crew.smtp.password_file is for the local runtime");
    assertThatThrownBy(
            () ->
                sender(
                    settings(
                        "{\"channels\": {\"sms\": {\"type\": \"sns\", \"url\": \"https://x\"}},"
                            + " \"escalation\": [{\"after\": \"0s\", \"notify\": [\"sms\"]}]}")))
        .hasMessageContaining("channels.sms: an sns channel takes no other field");
    assertThatThrownBy(
            () ->
                sender(
                    aws.settings(
                        Map.of(
                            Settings.NOTIFY,
                            file("[{\"after\": \"0s\", \"notify\": [\"sms\"]}]")))))
        .hasMessageContaining("the stack names no SNS topic");
  }

  private APIGatewayV2HTTPResponse call(String method, String path, String body) {
    return new RestHandler(aws.db(), aws.ssm(), sns, current, clock)
        .handleRequest(event(method, path, body), null);
  }

  private static com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent event(
      String method, String path, String body) {
    return HttpApiCall.event(method, path, null, TOKEN, body, false, Map.of());
  }

  private JsonNode body(APIGatewayV2HTTPResponse response) {
    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
    return json(response.getBody());
  }

  private JsonNode json(String text) {
    try {
      return mapper.readTree(text);
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }
}
