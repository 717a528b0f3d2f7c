package org.kloaka.aws.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kloaka.aws.handler.MotoHandlers.assertNoFailures;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kloaka.aws.config.Stores;
import org.kloaka.aws.moto.Moto;
import org.kloaka.aws.moto.MotoAws;
import org.kloaka.model.SensorId;
import org.kloaka.testing.TestClock;
import org.kloaka.testing.Uplinks;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The AWS chain on real SDK calls against moto: IoT payload → organizer → devices stream →
 * inspector → problems stream → notifier → PostToConnection (recorded by a local endpoint). The
 * stream events are the tables' actual stream records, read back from moto.
 */
@Moto
class AwsPipelineMotoTest {

  private static final String TOKEN = "pipeline-test-token";
  private static final long T0 = 1_795_860_000L; // 2026-11-28T10:00:00Z

  private final TestClock clock = new TestClock(Instant.ofEpochSecond(T0));

  @RegisterExtension final MotoHandlers handlers = new MotoHandlers(clock, TOKEN);

  private MotoAws aws;

  @BeforeEach
  void wire(MotoAws aws) {
    this.aws = aws;
  }

  @Test
  void obstructionTravelsFromDevicePayloadsToEveryConnectedConsole() throws Exception {
    handlers.connect("console-1=");
    handlers.connect("console-2=");

    handlers.publish("{\"id\": \"01\", \"filling\": \"100\"}");
    handlers.publish(resource("/payloads/ttn-uplink-kloaka02.json"));
    DynamodbEvent deviceChanges = handlers.devicesStream().nextEvent();
    assertThat(deviceChanges.getRecords())
        .extracting(r -> r.getEventName())
        .containsExactly("INSERT", "INSERT");

    assertNoFailures(handlers.inspector().handleRequest(deviceChanges, null));

    List<Map<String, AttributeValue>> problems = aws.scan(MotoAws.PROBLEMS);
    assertThat(problems).hasSize(1);
    Map<String, AttributeValue> problem = problems.get(0);
    assertThat(problem.get("problem_id").s()).isEqualTo("0102");
    assertThat(problem.get("problem").s()).isEqualTo("OBSTRUCTION");
    assertThat(problem.get("problem_status").s()).isEqualTo("UNRESOLVED");
    assertThat(problem.get("active").bool()).isTrue();
    assertThat(problem.get("upstream_value").s()).isEqualTo("100");
    assertThat(problem.get("downstream_value").s()).isEqualTo("50");

    assertNoFailures(
        handlers.notifier().handleRequest(handlers.problemsStream().nextEvent(), null));
    assertNoFailures(handlers.notifier().handleRequest(deviceChanges, null));

    for (String console : List.of("console-1=", "console-2=")) {
      List<JsonNode> frames = handlers.frames(console);
      assertThat(frames).as(console).hasSize(3);
      assertThat(frames.get(0).path("type").asText()).isEqualTo("problem");
      assertThat(frames.get(0).path("problem").path("problem_id").asText()).isEqualTo("0102");
      assertThat(frames.get(0).path("problem").path("problem").asText()).isEqualTo("OBSTRUCTION");
      assertThat(frames.get(0).path("problem").path("resolved_time").isNull()).isTrue();
      assertThat(frames.subList(1, 3))
          .containsExactly(
              handlers.json(
                  "{\"type\":\"device\",\"device\":{\"id\":\"01\",\"last_value\":\"100\",\"last_update\":"
                      + T0
                      + "}}"),
              handlers.json(
                  "{\"type\":\"device\",\"device\":{\"id\":\"02\",\"last_value\":\"50\",\"last_update\":1795860005}}"));
    }
    Map<String, AttributeValue> device02 = device("02");
    assertThat(device02.get("signal").m().get("rssi").n()).isEqualTo("-97.0");
  }

  @Test
  void redeliveredDeviceRecordsCreateNoSecondProblemAndNoSecondPush() throws Exception {
    handlers.connect("console-1=");
    handlers.publish("{\"id\": \"01\", \"filling\": \"100\"}");
    handlers.publish("{\"id\": \"02\", \"filling\": \"0\"}");
    DynamodbEvent deviceChanges = handlers.devicesStream().nextEvent();
    assertNoFailures(handlers.inspector().handleRequest(deviceChanges, null));
    assertNoFailures(
        handlers.notifier().handleRequest(handlers.problemsStream().nextEvent(), null));
    assertThat(handlers.frames("console-1="))
        .extracting(f -> f.path("type").asText())
        .containsExactly("problem");

    clock.forward(Duration.ofMinutes(1));
    assertNoFailures(
        handlers.inspector().handleRequest(deviceChanges, null)); // the same batch, redelivered
    DynamodbEvent secondPass = handlers.problemsStream().nextEvent();

    assertThat(aws.scan(MotoAws.PROBLEMS)).hasSize(1);
    assertThat(secondPass.getRecords())
        .as("only last_seen moved")
        .allSatisfy(r -> assertThat(r.getEventName()).isEqualTo("MODIFY"));
    assertNoFailures(handlers.notifier().handleRequest(secondPass, null));
    assertThat(handlers.frames("console-1=")).as("no second push").hasSize(1);
  }

  @Test
  void flowBackToNormalMakesTheProblemInactiveAndPushesItOnce() throws Exception {
    handlers.connect("console-1=");
    handlers.publish("{\"id\": \"01\", \"filling\": \"100\"}");
    handlers.publish("{\"id\": \"02\", \"filling\": \"50\"}");
    assertNoFailures(
        handlers.inspector().handleRequest(handlers.devicesStream().nextEvent(), null));
    assertNoFailures(
        handlers.notifier().handleRequest(handlers.problemsStream().nextEvent(), null));

    clock.forward(Duration.ofMinutes(5));
    handlers.publish("{\"id\": \"02\", \"filling\": \"100\"}");
    assertNoFailures(
        handlers.inspector().handleRequest(handlers.devicesStream().nextEvent(), null));
    assertNoFailures(
        handlers.notifier().handleRequest(handlers.problemsStream().nextEvent(), null));

    List<JsonNode> frames = handlers.frames("console-1=");
    assertThat(frames).hasSize(2);
    assertThat(frames.get(1).path("problem").path("active").asBoolean()).isFalse();
    assertThat(frames.get(1).path("problem").path("problem_status").asText())
        .isEqualTo("UNRESOLVED");
  }

  @Test
  void aLateMessageIsKeptInTheHistoryButChangesNothingConsolesSee() throws Exception {
    handlers.connect("console-1=");
    handlers.publish("{\"id\": \"01\", \"filling\": \"100\"}");
    ObjectNode late = (ObjectNode) handlers.json(resource("/payloads/ttn-uplink-kloaka02.json"));
    ((ObjectNode) late.get("end_device_ids")).put("device_id", "kloaka01");
    late.put("received_at", "2026-11-28T09:59:00Z");
    ((ObjectNode) late.get("uplink_message").get("decoded_payload")).put("filling", 0);
    handlers.publish(late.toString());

    Map<String, AttributeValue> device = device("01");
    assertThat(device.get("last_value").s()).isEqualTo("100");
    assertThat(device.get("last_update").n()).isEqualTo(Long.toString(T0));
    assertThat(device).as("recent measurements are history rows").doesNotContainKey("measurements");
    assertThat(
            Stores.of(aws.db(), aws.settings(), clock)
                .devices()
                .find(SensorId.parse("01"))
                .orElseThrow()
                .value()
                .measurements())
        .extracting(m -> m.filling().toString())
        .containsExactly("0", "100");
    assertThat(aws.scan(MotoAws.HISTORY)).hasSize(2);

    DynamodbEvent changes = handlers.devicesStream().nextEvent();
    assertThat(changes.getRecords())
        .extracting(r -> r.getEventName())
        .containsExactly("INSERT", "MODIFY");
    assertNoFailures(handlers.notifier().handleRequest(changes, null));
    assertThat(handlers.frames("console-1="))
        .containsExactly(
            handlers.json(
                "{\"type\":\"device\",\"device\":{\"id\":\"01\",\"last_value\":\"100\",\"last_update\":"
                    + T0
                    + "}}"));
  }

  @Test
  void aConsoleThatWentAwayIsForgottenAtItsFirstFailedPush() throws Exception {
    handlers.connect("stays=");
    handlers.connect("left-without-disconnect=");
    handlers.consoles().markGone("left-without-disconnect=");

    handlers.publish("{\"id\": \"01\", \"filling\": \"100\"}");
    assertNoFailures(handlers.notifier().handleRequest(handlers.devicesStream().nextEvent(), null));

    assertThat(handlers.frames("stays=")).hasSize(1);
    assertThat(aws.scan(MotoAws.CONNECTIONS))
        .extracting(item -> item.get("connection_id").s())
        .containsExactly("stays=");
  }

  @Test
  void badPayloadsAreKeptAsRejectsAndChangeNothingElse() {
    handlers.publish("not json at all");
    handlers.publish("{\"id\": \"x1\", \"filling\": \"100\"}");
    handlers.publish("{\"id\": \"01\", \"filling\": \"101\"}");
    handlers.publish("{\"id\": \"01\", \"filling\": \"" + "9".repeat(5000) + "\"}");

    List<Map<String, AttributeValue>> rejects = aws.scan(MotoAws.REJECTS);
    assertThat(rejects).hasSize(4);
    assertThat(rejects)
        .extracting(r -> r.get("reason").s())
        .allSatisfy(reason -> assertThat(reason).isNotBlank());
    assertThat(rejects)
        .extracting(r -> r.get("payload").s())
        .contains("not json at all")
        .allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(4096));
    assertThat(rejects).allSatisfy(r -> assertThat(r).containsKey("expires_at"));
    assertThat(aws.scan(MotoAws.DEVICES)).isEmpty();
    assertThat(aws.scan(MotoAws.HISTORY)).isEmpty();
    assertThat(handlers.devicesStream().nextEvent().getRecords()).isEmpty();

    handlers.publish("{\"id\": \"01\", \"filling\": \"100\"}");
    assertThat(aws.scan(MotoAws.DEVICES)).hasSize(1);
  }

  @Test
  void aRecordThatCannotBeInspectedIsReportedWithEveryRecordAfterIt() {
    handlers.publish("{\"id\": \"01\", \"filling\": \"100\"}");
    aws.db()
        .putItem(r -> r.tableName(MotoAws.DEVICES).item(Map.of("id", AttributeValue.fromS("03"))));
    handlers.publish("{\"id\": \"02\", \"filling\": \"50\"}");
    DynamodbEvent changes = handlers.devicesStream().nextEvent();
    assertThat(changes.getRecords()).hasSize(3);

    StreamsEventResponse response = handlers.inspector().handleRequest(changes, null);

    assertThat(response.getBatchItemFailures())
        .extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
        .containsExactly(
            changes.getRecords().get(1).getDynamodb().getSequenceNumber(),
            changes.getRecords().get(2).getDynamodb().getSequenceNumber());
  }

  /** The inspect rule of docs/decisions/015, as IngestPipelineTest checks it locally. */
  @Test
  void aRepeatOfTheLastReadingInTheSameSecondInspectsNothingALaterOneMovesLastSeen()
      throws Exception {
    handlers.publish("{\"id\": \"01\", \"filling\": \"100\"}");
    handlers.publish("{\"id\": \"02\", \"filling\": \"50\"}");
    assertNoFailures(
        handlers.inspector().handleRequest(handlers.devicesStream().nextEvent(), null));
    assertThat(lastSeen("0102")).isEqualTo(T0);

    clock.forward(Duration.ofMinutes(1));
    handlers.publish(new String(Uplinks.ttn("02", 50, T0), StandardCharsets.UTF_8));
    DynamodbEvent repeat = handlers.devicesStream().nextEvent();
    assertThat(repeat.getRecords()).as("the repeat is stored").isNotEmpty();
    assertNoFailures(handlers.inspector().handleRequest(repeat, null));
    assertThat(lastSeen("0102")).as("same last_value and last_update: not inspected").isEqualTo(T0);

    handlers.publish(new String(Uplinks.ttn("02", 50, T0 + 1), StandardCharsets.UTF_8));
    assertNoFailures(
        handlers.inspector().handleRequest(handlers.devicesStream().nextEvent(), null));
    assertThat(lastSeen("0102")).as("a new last_update: inspected").isEqualTo(T0 + 60);
  }

  private long lastSeen(String problemId) {
    return aws.scan(MotoAws.PROBLEMS).stream()
        .filter(p -> p.get("problem_id").s().equals(problemId))
        .mapToLong(p -> Long.parseLong(p.get("last_seen").n()))
        .findFirst()
        .orElseThrow();
  }

  private Map<String, AttributeValue> device(String id) {
    return aws.db()
        .getItem(r -> r.tableName(MotoAws.DEVICES).key(Map.of("id", AttributeValue.fromS(id))))
        .item();
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = AwsPipelineMotoTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
