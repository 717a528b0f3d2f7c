package org.kloaka.aws.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kloaka.api.Json;
import org.kloaka.aws.config.Settings;
import org.kloaka.aws.config.Stores;
import org.kloaka.aws.moto.AtomicConditionalWrites;
import org.kloaka.aws.moto.Moto;
import org.kloaka.aws.moto.MotoAws;
import org.kloaka.aws.moto.WebhookReceiver;
import org.kloaka.core.TestData;
import org.kloaka.model.ProblemType;
import org.kloaka.testing.TestClock;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Two scheduled runs of the sender that overlap send nothing twice: each claim is a conditional
 * write, so of two runs that saw the same due entries exactly one takes each (docs/decisions/031).
 */
@Moto
class NotificationOverlapMotoTest {

  private static final long T0 = 1_795_860_000L;
  private static final int PROBLEMS = 10;

  private final TestClock clock = new TestClock(Instant.ofEpochSecond(T0));
  private final WebhookReceiver hook = new WebhookReceiver();
  private final ObjectMapper mapper = Json.newMapper();
  private MotoAws aws;
  private Settings settings;

  @BeforeEach
  void openProblems(MotoAws aws) {
    this.aws = aws;
    settings =
        aws.settings(
            Map.of(
                Settings.NOTIFY,
                "{\"channels\": {\"oncall\": {\"type\": \"webhook\", \"url\": \""
                    + hook.url()
                    + "\"}}, \"escalation\": [{\"after\": \"0s\", \"notify\": [\"oncall\"]}]}"));
    Stores stores = Stores.of(aws.db(), settings, clock);
    for (int tube = 0; tube < PROBLEMS; tube++) {
      assertThat(
              stores
                  .problems()
                  .replace(
                      null,
                      TestData.unresolved(tube + "1", tube + "2", ProblemType.OBSTRUCTION, T0),
                      List.of()))
          .isTrue();
    }
    assertThat(aws.scan(MotoAws.NOTIFICATIONS)).hasSize(PROBLEMS);
  }

  @AfterEach
  void stop() {
    hook.close();
  }

  private DeliverNotificationsHandler sender(DynamoDbClient db) {
    return new DeliverNotificationsHandler(db, aws.ssm(), aws.server().sns(), settings, clock);
  }

  /**
   * The second run starts and finishes between the first run's read of the due index and its
   * claims: both saw every entry due, the first one's claims all lose.
   */
  @Test
  void aRunThatOverlapsAnotherBetweenItsReadAndItsClaimsSendsNothingTwice() {
    AtomicReference<Runnable> between = new AtomicReference<>();
    ExecutionInterceptor afterTheDueQuery =
        new ExecutionInterceptor() {
          @Override
          public void afterExecution(
              Context.AfterExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof QueryRequest query
                && "due".equals(query.indexName())) {
              Runnable run = between.getAndSet(null);
              if (run != null) {
                run.run();
              }
            }
          }
        };
    DeliverNotificationsHandler first = sender(aws.server().dynamoDb(afterTheDueQuery));
    DeliverNotificationsHandler second = sender(aws.db());
    List<String> secondSaid = new ArrayList<>();
    between.set(() -> secondSaid.add(second.handleRequest(null, null)));

    String firstSaid = first.handleRequest(null, null);

    assertThat(between.get()).as("the second run ran inside the first").isNull();
    assertThat(secondSaid)
        .containsExactly(
            PROBLEMS
                + " delivered, 0 to retry, 0 failed for good,"
                + " 0 cancelled, 0 still sending");
    assertThat(firstSaid).startsWith("0 delivered");
    assertEachProblemSentOnce();
  }

  /**
   * Two runs at once on two threads, as two schedule invocations that overlap. Their clients make
   * each conditional write atomic, as DynamoDB does and moto does not ({@link
   * AtomicConditionalWrites}).
   */
  @Test
  void twoRunsAtOnceSendEachEntryOnce() throws Exception {
    AtomicConditionalWrites atomic = new AtomicConditionalWrites();
    DeliverNotificationsHandler a = sender(aws.server().dynamoDb(atomic));
    DeliverNotificationsHandler b = sender(aws.server().dynamoDb(atomic));
    CountDownLatch start = new CountDownLatch(1);
    CompletableFuture<String> ranA = CompletableFuture.supplyAsync(() -> after(start, a));
    CompletableFuture<String> ranB = CompletableFuture.supplyAsync(() -> after(start, b));
    start.countDown();
    String saidA = ranA.get(60, TimeUnit.SECONDS);
    String saidB = ranB.get(60, TimeUnit.SECONDS);
    assertThat(delivered(saidA) + delivered(saidB)).as(saidA + " / " + saidB).isEqualTo(PROBLEMS);
    assertEachProblemSentOnce();
  }

  private static String after(CountDownLatch start, DeliverNotificationsHandler sender) {
    try {
      start.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return sender.handleRequest(null, null);
  }

  private static int delivered(String summary) {
    return Integer.parseInt(summary.substring(0, summary.indexOf(' ')));
  }

  private void assertEachProblemSentOnce() {
    List<String> sent =
        hook.requests().stream()
            .map(
                r -> {
                  try {
                    return mapper.readTree(r.body()).path("problem").path("problem_id").asText();
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                })
            .toList();
    assertThat(sent).hasSize(PROBLEMS).doesNotHaveDuplicates();
    assertThat(aws.scan(MotoAws.NOTIFICATIONS))
        .extracting(item -> item.get("state").s())
        .containsOnly("delivered");
    assertThat(aws.scan(MotoAws.TIMELINE))
        .filteredOn(item -> item.get("type").s().equals("notified"))
        .hasSize(PROBLEMS);
  }
}
