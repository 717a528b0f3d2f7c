package org.kloaka.local.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.api.Push;
import org.kloaka.core.Inspector;
import org.kloaka.core.Neighbours;
import org.kloaka.core.Organizer;
import org.kloaka.core.Organizer.Outcome;
import org.kloaka.core.app.IngestMessage;
import org.kloaka.core.app.InspectPairs;
import org.kloaka.ingest.IngestParser;
import org.kloaka.local.fuzz.LogCapture;
import org.kloaka.local.sqlite.SqliteDatabase;
import org.kloaka.local.sqlite.SqliteDeviceStore;
import org.kloaka.local.sqlite.SqliteHistoryStore;
import org.kloaka.local.sqlite.SqliteProblemStore;
import org.kloaka.local.sqlite.SqliteRejectStore;
import org.kloaka.local.ws.ConsolePushes;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemStatus;
import org.kloaka.model.ProblemType;
import org.kloaka.model.SensorId;
import org.kloaka.testing.TestClock;
import org.kloaka.testing.Uplinks;

class IngestPipelineTest {

  static final long T = 1_658_274_939L;

  @TempDir Path dir;
  final TestClock clock = TestClock.atEpochSecond(T);
  final List<Push> pushed = new CopyOnWriteArrayList<>();
  SqliteDatabase db;
  SqliteDeviceStore devices;
  SqliteHistoryStore history;
  SqliteProblemStore problems;
  SqliteRejectStore rejects;
  IngestPipeline pipeline;

  IngestPipeline start(Neighbours neighbours, int capacity) {
    db = SqliteDatabase.open(dir.resolve("kloaka.db"), SqliteDatabase.Durability.FULL, 2, clock);
    devices = new SqliteDeviceStore(db);
    history = new SqliteHistoryStore(db);
    problems = new SqliteProblemStore(db);
    rejects = new SqliteRejectStore(db, 100);
    IngestMessage ingest =
        IngestMessage.inspectingInTheSameUnit(
            new Organizer(new IngestParser(), devices, history, rejects, clock),
            new InspectPairs(new Inspector(devices, problems, neighbours, clock)));
    pipeline = new IngestPipeline(ingest, db, new ConsolePushes(pushed::add), capacity, 500);
    return pipeline;
  }

  IngestPipeline start() {
    return start(Neighbours.BY_ID_CONVENTION, 10_000);
  }

  @AfterEach
  void close() {
    if (pipeline != null) {
      pipeline.close();
    }
    if (db != null) {
      db.close();
    }
  }

  static byte[] reading(String id, String filling) {
    return ("{\"id\":\"" + id + "\",\"filling\":\"" + filling + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  int barriers;

  /**
   * Stores one reading and waits until the consoles heard of it: futures complete before a batch's
   * events go out, so the test then stores a reading of a fresh sensor and waits for its push,
   * which comes after every earlier event.
   */
  Outcome store(String id, String filling) throws Exception {
    Outcome outcome = pipeline.submit(reading(id, filling)).get(10, TimeUnit.SECONDS);
    String barrier = "99-" + barriers++;
    pipeline.submit(reading(barrier, "1")).get(10, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                pushed.stream()
                    .anyMatch(
                        p ->
                            p instanceof Push.DevicePush d
                                && d.device().id().toString().equals(barrier)));
    return outcome;
  }

  List<Problem> problemPushes() {
    return pushed.stream()
        .filter(p -> p instanceof Push.ProblemPush)
        .map(p -> ((Push.ProblemPush) p).problem())
        .toList();
  }

  @Test
  void everyRowOfTheFlowTableGivesItsVerdict() throws Exception {
    start();
    String[] values = {"100", "50", "0"}; // CORRECT, LOW, NO
    String[][] expected = {
      {null, "OBSTRUCTION", "OBSTRUCTION"},
      {"PROBLEM", null, "OBSTRUCTION"},
      {"PROBLEM", "PROBLEM", null}
    };
    for (int up = 0; up < 3; up++) {
      for (int down = 0; down < 3; down++) {
        int tube = up * 3 + down;
        store(tube + "1", values[up]);
        store(tube + "2", values[down]);
        String problemId = tube + "1" + tube + "2";
        String want = expected[up][down];
        var record = problems.find(problemId);
        if (want == null) {
          assertThat(record).as("%s → %s", values[up], values[down]).isEmpty();
        } else {
          assertThat(record.orElseThrow().value().problem())
              .as("%s → %s", values[up], values[down])
              .isEqualTo(ProblemType.valueOf(want));
          assertThat(problemPushes()).extracting(Problem::problemId).contains(problemId);
        }
      }
    }
    assertThat(problemPushes()).hasSize(6);
  }

  @Test
  void lifecycleNewRepeatedClearedReturnedAndChangedPushesOnlyNews() throws Exception {
    start();
    store("01", "100");
    store("02", "50");
    Problem opened = problems.find("0102").orElseThrow().value();
    assertThat(opened.problemStatus()).isEqualTo(ProblemStatus.UNRESOLVED);
    assertThat(opened.active()).isTrue();
    assertThat(opened.problemTime()).isEqualTo(T);
    assertThat(problemPushes()).hasSize(1);

    clock.forward(Duration.ofMinutes(5));
    store("02", "50");
    Problem repeated = problems.find("0102").orElseThrow().value();
    assertThat(repeated.lastSeen()).isEqualTo(T + 300);
    assertThat(repeated.problemTime()).isEqualTo(T);
    assertThat(problemPushes()).as("no duplicate push").hasSize(1);

    store("02", "100");
    assertThat(problems.find("0102").orElseThrow().value().active()).isFalse();
    assertThat(problemPushes()).hasSize(2);
    assertThat(problemPushes().get(1).active()).isFalse();

    store("02", "0");
    assertThat(problemPushes()).hasSize(3);
    assertThat(problemPushes().get(2).active()).isTrue();

    store("01", "0");
    store("02", "100");
    assertThat(problems.find("0102").orElseThrow().value().problem())
        .isEqualTo(ProblemType.PROBLEM);
    assertThat(problemPushes()).last().extracting(Problem::problem).isEqualTo(ProblemType.PROBLEM);
  }

  @Test
  void rejectsAreLoggedOnceAMinuteOnOneLineEach() throws Exception {
    start();
    String logged;
    try (LogCapture log = LogCapture.start()) {
      pipeline.submit("{\"id\":\"01\n\tat fake.Frame\",\"filling\":\"1\"}".getBytes()).get();
      pipeline.submit("not json".getBytes(StandardCharsets.UTF_8)).get();
      pipeline.submit("{\"id\":\"01\",\"filling\":\"lots\"}".getBytes()).get();
      pipeline.close(); // ends the window: the count is logged
      logged = log.text();
    }

    List<String> lines =
        logged.lines().filter(l -> l.contains("Rejected a device message")).toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).contains("\\u000a\\u0009at fake.Frame").contains("GET /rejects");
    assertThat(lines.get(1)).endsWith("… 2 more in the last minute");
    assertThat(logged).doesNotContain("\tat fake.Frame");
  }

  @Test
  void badPayloadIsRejectedAndKeptWhileTheNextGoodOneIsStored() throws Exception {
    start();
    Outcome bad = pipeline.submit("not json".getBytes(StandardCharsets.UTF_8)).get();
    Outcome good = store("01", "100");

    assertThat(bad).isInstanceOf(Outcome.Rejected.class);
    assertThat(((Outcome.Rejected) bad).reason()).contains("not valid JSON");
    assertThat(rejects.newest(10))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.payload()).isEqualTo("not json");
              assertThat(r.received()).isEqualTo(T);
            });
    assertThat(good).isInstanceOf(Outcome.Accepted.class);
    assertThat(devices.find(SensorId.parse("01"))).isPresent();
  }

  @Test
  void manyMessagesAreStoredInFewerTransactionsThanMessages() throws Exception {
    start();
    int count = 3_000;
    List<CompletableFuture<Outcome>> futures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      futures.add(pipeline.submit(reading("0" + (i % 10), String.valueOf(i % 101))));
    }
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

    assertThat(pipeline.storedCount()).isEqualTo(count);
    assertThat(pipeline.batchCount()).isLessThan(count);
    long rows = 0;
    for (int i = 0; i < 10; i++) {
      rows += history.range(SensorId.parse("0" + i), 0, Long.MAX_VALUE, 10_000).size();
    }
    assertThat(rows).isEqualTo(count);
  }

  /** Neighbours that fail for one sensor: a stand-in for any bug or store failure mid-batch. */
  static Neighbours failingFor(String broken, CountDownLatch gate) {
    return new Neighbours() {
      @Override
      public List<SensorId> previousOf(SensorId id) {
        pass(gate);
        if (id.toString().equals(broken)) {
          throw new IllegalStateException("neighbours of " + broken + " are broken");
        }
        return Neighbours.BY_ID_CONVENTION.previousOf(id);
      }

      @Override
      public List<SensorId> followingOf(SensorId id) {
        return Neighbours.BY_ID_CONVENTION.followingOf(id);
      }
    };
  }

  static void pass(CountDownLatch gate) {
    try {
      gate.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aFailingMessageFailsAloneAndTheRestOfItsBatchIsStoredOnce() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    start(failingFor("55", gate), 100);
    // The first message holds the writer at the gate, so the next three queue up as one batch.
    CompletableFuture<Outcome> first = pipeline.submit(reading("50", "100"));
    await().until(() -> pipeline.queuedCount() == 0);
    CompletableFuture<Outcome> before = pipeline.submit(reading("54", "100"));
    CompletableFuture<Outcome> broken = pipeline.submit(reading("55", "100"));
    CompletableFuture<Outcome> after = pipeline.submit(reading("56", "100"));
    gate.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).isInstanceOf(Outcome.Accepted.class);
    assertThat(before.get(10, TimeUnit.SECONDS)).isInstanceOf(Outcome.Accepted.class);
    assertThat(after.get(10, TimeUnit.SECONDS)).isInstanceOf(Outcome.Accepted.class);
    assertThatThrownBy(() -> broken.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseMessage("neighbours of 55 are broken");
    assertThat(devices.find(SensorId.parse("55"))).as("rolled back").isEmpty();
    assertThat(devices.list()).extracting(d -> d.id().toString()).containsExactly("50", "54", "56");
    store("57", "100");
    assertThat(pushed.stream().filter(p -> p instanceof Push.DevicePush))
        .as("one push per stored device, none for the rolled-back attempt")
        .extracting(p -> ((Push.DevicePush) p).device().id().toString())
        .containsExactly("50", "54", "56", "57", "99-0");
  }

  @Test
  void fullQueueBlocksSubmitAndFailsTrySubmitFast() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    start(failingFor("none", gate), 2);
    CompletableFuture<Outcome> held = pipeline.submit(reading("01", "100"));
    await().atMost(Duration.ofSeconds(10)).until(() -> pipeline.queuedCount() == 0);
    pipeline.submit(reading("02", "100"));
    pipeline.submit(reading("03", "100"));

    CompletableFuture<Outcome> overflow = pipeline.trySubmit(reading("04", "100"));
    assertThat(overflow).isCompletedExceptionally();
    assertThatThrownBy(overflow::join).hasMessageContaining("queue is full");

    CompletableFuture<CompletableFuture<Outcome>> submitted = new CompletableFuture<>();
    Thread producer = new Thread(() -> submitted.complete(pipeline.submit(reading("05", "100"))));
    producer.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> producer.getState() == Thread.State.WAITING);
    assertThat(submitted).as("submit waits while the queue is full").isNotDone();
    gate.countDown();

    assertThat(submitted.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS))
        .isInstanceOf(Outcome.Accepted.class);
    assertThat(held.get(10, TimeUnit.SECONDS)).isInstanceOf(Outcome.Accepted.class);
    assertThat(devices.list()).hasSize(4);
  }

  @Test
  void closeStoresEverythingQueuedAndRefusesMore() throws Exception {
    start();
    List<CompletableFuture<Outcome>> futures = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      futures.add(pipeline.submit(reading("01", String.valueOf(i % 101))));
    }

    pipeline.close();

    assertThat(futures).allSatisfy(f -> assertThat(f).isCompleted().isNotCompletedExceptionally());
    assertThat(history.range(SensorId.parse("01"), 0, Long.MAX_VALUE, 10_000)).hasSize(1_000);
    assertThat(pipeline.submit(reading("01", "1"))).isCompletedExceptionally();
  }

  /** The inspect rule of docs/decisions/015, as AwsPipelineMotoTest checks it on AWS. */
  @Test
  void aRepeatOfTheLastReadingInTheSameSecondInspectsNothingALaterOneMovesLastSeen()
      throws Exception {
    start();
    store("01", "100");
    store("02", "50");
    assertThat(problems.find("0102").orElseThrow().value().lastSeen()).isEqualTo(T);

    clock.forward(Duration.ofMinutes(1));
    pipeline.submit(Uplinks.ttn("02", 50, T)).get(10, TimeUnit.SECONDS);
    assertThat(devices.find(SensorId.parse("02")).orElseThrow().value().measurements())
        .as("the repeat is stored")
        .hasSize(2);
    assertThat(problems.find("0102").orElseThrow().value().lastSeen())
        .as("same last_value and last_update: not inspected")
        .isEqualTo(T);

    pipeline.submit(Uplinks.ttn("02", 50, T + 1)).get(10, TimeUnit.SECONDS);
    assertThat(problems.find("0102").orElseThrow().value().lastSeen())
        .as("a new last_update: inspected")
        .isEqualTo(T + 60);
    assertThat(problemPushes()).as("only last_seen moved: no push").hasSize(1);
  }
}
