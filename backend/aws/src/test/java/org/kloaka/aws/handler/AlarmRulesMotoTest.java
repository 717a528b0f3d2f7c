package org.kloaka.aws.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kloaka.aws.config.Settings;
import org.kloaka.aws.dynamo.DeviceItems;
import org.kloaka.aws.moto.Moto;
import org.kloaka.aws.moto.MotoAws;
import org.kloaka.aws.moto.StreamTap;
import org.kloaka.model.Device;
import org.kloaka.model.Filling;
import org.kloaka.model.SensorId;
import org.kloaka.testing.TestClock;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Silent sensors and the confirmation window on AWS, against moto: the scheduled sweep Lambda, the
 * devices-stream inspector and the notifier, on a forwardable clock.
 */
@Moto
class AlarmRulesMotoTest {

  private static final String TOKEN = "alarm-test-token";
  private static final long T0 = 1_795_860_000L; // 2026-11-28T10:00:00Z
  private static final long W = Duration.ofHours(3).toSeconds();

  private final TestClock clock = new TestClock(T0);

  @RegisterExtension final MotoHandlers handlers = new MotoHandlers(clock, TOKEN);

  private MotoAws aws;
  private StreamTap devicesStream;
  private StreamTap problemsStream;

  @BeforeEach
  void wire(MotoAws aws) {
    this.aws = aws;
    devicesStream = handlers.devicesStream();
    problemsStream = handlers.problemsStream();
  }

  @Test
  void aSilentSensorIsFoundAtItsDeadlinePushedAndInactiveOnceItReportsAgain() {
    OrganizerHandler organizer = handlers.organizer();
    DeviceStreamHandler inspector = handlers.inspector();
    NotifierHandler notifier = handlers.notifier();
    SilenceSweepHandler sweep = new SilenceSweepHandler(aws.db(), aws.settings(), clock);
    MotoHandlers.publish(organizer, "{\"id\": \"0-10\", \"filling\": \"62.5\"}");
    MotoHandlers.assertNoFailures(inspector.handleRequest(devicesStream.nextEvent(), null));

    clock.set(T0 + W - 1);
    assertThat(sweep.handleRequest(new ScheduledEvent(), null)).endsWith("0 marked silent");
    assertThat(aws.scan(MotoAws.PROBLEMS)).isEmpty();

    clock.set(T0 + W);
    handlers.connect("console-1="); // connections last 2 h: this console connected just now
    assertThat(sweep.handleRequest(new ScheduledEvent(), null))
        .isEqualTo("swept up to " + T0 + ": 1 candidates, 1 marked silent");
    Map<String, AttributeValue> item = aws.scan(MotoAws.PROBLEMS).get(0);
    assertThat(item.get("problem_id").s()).isEqualTo("0-10");
    assertThat(item.get("problem").s()).isEqualTo("SILENT");
    assertThat(item.get("upstream_id").s()).isEqualTo("0-10");
    assertThat(item.get("downstream_id").nul()).isTrue();
    assertThat(item.get("upstream_value").s()).isEqualTo("62.5");
    MotoHandlers.assertNoFailures(notifier.handleRequest(problemsStream.nextEvent(), null));
    JsonNode pushed = handlers.frames("console-1=").get(0).path("problem");
    assertThat(pushed.path("problem").asText()).isEqualTo("SILENT");
    assertThat(pushed.path("downstream_id").isNull()).isTrue();
    assertThat(pushed.path("problem_time").asLong()).isEqualTo(T0 + W);

    clock.set(T0 + W + 60);
    MotoHandlers.publish(organizer, "{\"id\": \"0-10\", \"filling\": \"100\"}");
    MotoHandlers.assertNoFailures(inspector.handleRequest(devicesStream.nextEvent(), null));
    assertThat(aws.scan(MotoAws.PROBLEMS).get(0).get("active").bool()).isFalse();
    MotoHandlers.assertNoFailures(notifier.handleRequest(problemsStream.nextEvent(), null));
    assertThat(handlers.frames("console-1=")).hasSize(2);
    assertThat(handlers.frames("console-1=").get(1).path("problem").path("active").asBoolean())
        .isFalse();
  }

  /**
   * The schedule fires once a minute; a run sweeps again 30 s after its start, so a deadline that
   * falls just after the first sweep is found within 30 s, not 60.
   */
  @Test
  void aDeadlineJustAfterARunsFirstSweepIsFoundByItsSecond() {
    OrganizerHandler organizer = handlers.organizer();
    DeviceStreamHandler inspector = handlers.inspector();
    List<Duration> pauses = new ArrayList<>();
    SilenceSweepHandler sweep =
        new SilenceSweepHandler(
            aws.db(),
            aws.settings(),
            clock,
            SilenceSweepHandler.SECOND_SWEEP,
            duration -> {
              pauses.add(duration);
              // The clock stands for real time: 30 s have passed since the run started (the
              // first sweep's own time, however long moto took, plus the pause).
              clock.forward(SilenceSweepHandler.SECOND_SWEEP);
            });
    MotoHandlers.publish(organizer, "{\"id\": \"0-10\", \"filling\": \"62.5\"}");
    MotoHandlers.assertNoFailures(inspector.handleRequest(devicesStream.nextEvent(), null));

    clock.set(T0 + W - 5); // the deadline is 5 s after this run's first sweep
    String result = sweep.handleRequest(new ScheduledEvent(), null);

    assertThat(result)
        .startsWith("swept up to " + (T0 - 5) + ": 0 candidates, 0 marked silent; then ")
        .endsWith("1 candidates, 1 marked silent");
    assertThat(pauses).hasSize(1);
    assertThat(pauses.get(0))
        .isGreaterThanOrEqualTo(Duration.ZERO)
        .isLessThanOrEqualTo(SilenceSweepHandler.SECOND_SWEEP);
    Map<String, AttributeValue> item = aws.scan(MotoAws.PROBLEMS).get(0);
    assertThat(item.get("problem").s()).isEqualTo("SILENT");
    long foundAfter = Long.parseLong(item.get("problem_time").n()) - (T0 + W);
    assertThat(foundAfter).as("seconds after the deadline").isBetween(0L, 30L);
  }

  /**
   * Many sensors silent at once: one sweep, one Query of the index, no Scan, one write per record.
   * (200 rather than 5,000: moto takes about 160 writes a second; the core and local tests run
   * 5,000.)
   */
  @Test
  void manySensorsFallingSilentAtOnceAreOneSweepWithoutAScanAndOneWriteEach() {
    int sensors = 200;
    clock.set(T0 + W - 60); // a sweep before: the catch-up of the first one is done
    new SilenceSweepHandler(aws.db(), aws.settings(), clock).handleRequest(null, null);
    for (int n = 1; n <= sensors; n++) {
      int i = n;
      aws.db()
          .putItem(
              r ->
                  r.tableName(MotoAws.DEVICES)
                      .item(
                          DeviceItems.toItem(
                              new Device(SensorId.parse("7-" + i), Filling.of(100), T0, null, null),
                              1)));
    }
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    DynamoDbClient counted =
        aws.server()
            .dynamoDb(
                new ExecutionInterceptor() {
                  @Override
                  public void beforeExecution(
                      Context.BeforeExecution context, ExecutionAttributes attributes) {
                    calls
                        .computeIfAbsent(
                            context.request().getClass().getSimpleName(), k -> new AtomicInteger())
                        .incrementAndGet();
                  }
                });
    SilenceSweepHandler sweep = new SilenceSweepHandler(counted, aws.settings(), clock);
    clock.set(T0 + W);

    long started = System.nanoTime();
    String result = sweep.handleRequest(new ScheduledEvent(), null);
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.printf("moto: %s in %d ms; calls %s%n", result, millis, calls);

    assertThat(result).endsWith(sensors + " candidates, " + sensors + " marked silent");
    assertThat(calls).doesNotContainKey("ScanRequest");
    // One write per record: the record with its timeline event, in one TransactWriteItems.
    assertThat(
            calls.getOrDefault("PutItemRequest", new AtomicInteger()).get()
                + calls.getOrDefault("TransactWriteItemsRequest", new AtomicInteger()).get())
        .as("one write per record")
        .isEqualTo(sensors);
    assertThat(calls.get("QueryRequest").get()).isBetween(1, 2);
    assertThat(aws.scan(MotoAws.PROBLEMS)).hasSize(sensors);

    calls.clear();
    clock.set(T0 + W + 60);
    assertThat(sweep.handleRequest(new ScheduledEvent(), null)).endsWith("0 marked silent");
    assertThat(calls)
        .doesNotContainKeys("ScanRequest", "PutItemRequest", "TransactWriteItemsRequest");
  }

  @Test
  void theStreamInspectorWaitsOutTheConfirmationWindow() {
    Settings confirming = aws.settings(Map.of(Settings.CONFIRM_AFTER, "30m"));
    OrganizerHandler organizer = new OrganizerHandler(aws.db(), confirming, clock);
    DeviceStreamHandler inspector = new DeviceStreamHandler(aws.db(), confirming, clock);
    MotoHandlers.publish(organizer, "{\"id\": \"01\", \"filling\": \"100\"}");
    MotoHandlers.publish(organizer, "{\"id\": \"02\", \"filling\": \"50\"}");
    MotoHandlers.assertNoFailures(inspector.handleRequest(devicesStream.nextEvent(), null));
    assertThat(aws.scan(MotoAws.PROBLEMS)).isEmpty();
    assertThat(aws.scan(MotoAws.ALARM_STATE))
        .extracting(i -> i.get("key").s() + "@" + i.get("since").n())
        .containsExactly("pending#0102@" + T0);

    clock.set(T0 + 29 * 60 + 59);
    MotoHandlers.publish(organizer, "{\"id\": \"02\", \"filling\": \"50\"}");
    MotoHandlers.assertNoFailures(inspector.handleRequest(devicesStream.nextEvent(), null));
    assertThat(aws.scan(MotoAws.PROBLEMS)).as("a second before").isEmpty();

    clock.set(T0 + 30 * 60);
    MotoHandlers.publish(organizer, "{\"id\": \"02\", \"filling\": \"50\"}");
    MotoHandlers.assertNoFailures(inspector.handleRequest(devicesStream.nextEvent(), null));
    List<Map<String, AttributeValue>> problems = aws.scan(MotoAws.PROBLEMS);
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0).get("problem").s()).isEqualTo("OBSTRUCTION");
    assertThat(problems.get(0).get("problem_time").n()).isEqualTo(Long.toString(T0 + 30 * 60));
    assertThat(aws.scan(MotoAws.ALARM_STATE)).as("the wait ended").isEmpty();
  }

  @Test
  void aBadDurationFailsTheColdStartNamingTheVariable() {
    assertThatThrownBy(
            () ->
                new DeviceStreamHandler(
                    aws.db(), aws.settings(Map.of(Settings.CONFIRM_AFTER, "soon")), clock))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("KLOAKA_CONFIRM_AFTER")
        .hasMessageContaining("'soon' is not a duration");
    assertThatThrownBy(
            () ->
                new SilenceSweepHandler(
                    aws.db(), aws.settings(Map.of(Settings.SILENT_AFTER, "500ms")), clock))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("KLOAKA_SILENT_AFTER")
        .hasMessageContaining("whole seconds");
  }
}
