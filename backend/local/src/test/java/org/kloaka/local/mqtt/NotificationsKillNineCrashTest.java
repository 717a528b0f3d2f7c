package org.kloaka.local.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.kloaka.local.mqtt.MqttDurabilityTest.get;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.local.fuzz.Fuzz;
import org.kloaka.local.notify.WebhookReceiver;

/**
 * Crash test for notifications (docs/notifications.md, "Delivery"): the runtime in a child JVM with
 * {@code --notify} is killed with SIGKILL {@value #DEFAULT_KILLS} times on the same data folder
 * ({@code -Dkloaka.notifyKills=N}; {@code -Dkloaka.crash.seed=S} replays the moments), by turns
 * while messages that open problems come in (after a random number of acknowledgements) and a
 * random time after a batch was stored, while its ladder goes out to two webhooks in this JVM.
 * After the last start has sent what was due, every (problem, step, channel) of every stored
 * problem reached its webhook — none lost, none for a problem that is not stored — and the repeats
 * (sends whose outcome the kill did not let the runtime write) are counted and printed.
 *
 * <p>The default run kills {@value #DEFAULT_KILLS} times: both kinds of moment, the first on the
 * empty store and the third while the second's ladder may still be due; {@code .ci/run}'s deep step
 * kills 6 times ({@code -Dkloaka.notifyKills=6}), more moments of the same kinds
 * (docs/decisions/035).
 */
@Tag("slow")
@Tag("crash")
class NotificationsKillNineCrashTest {

  static final int DEFAULT_KILLS = 3;

  @TempDir Path dir;
  WebhookReceiver oncall;
  WebhookReceiver crew;

  @BeforeEach
  void receivers() throws Exception {
    oncall = new WebhookReceiver();
    crew = new WebhookReceiver();
  }

  @AfterEach
  void stop() {
    oncall.close();
    crew.close();
  }

  /** One message a channel should get: problem, occurrence, step, channel. */
  record Key(String problemId, long problemTime, int step, String channel) {}

  @Test
  void killMinus9WhileProblemsOpenAndTheirLadderGoesOutLosesNoNotification() throws Exception {
    int kills = Integer.getInteger("kloaka.notifyKills", DEFAULT_KILLS);
    String given = System.getProperty("kloaka.crash.seed");
    long seed =
        given == null || given.isBlank() ? new SecureRandom().nextLong() : Long.parseLong(given);
    System.out.printf(
        "notification crash test: %d kills, seed=%d (replay with -Dkloaka.crash.seed=%d)%n",
        kills, seed, seed);
    Random random = new Random(seed);
    // Step 1 to both channels at once, step 2 to oncall two seconds later: sends are running at
    // any moment of a round, not only right after a commit.
    Path notify = dir.resolve("notify.json");
    Files.writeString(
        notify,
        """
        {"channels": {"oncall": {"type": "webhook", "url": "%s"},
                      "crew": {"type": "webhook", "url": "%s"}},
         "escalation": [{"after": "0s", "notify": ["oncall", "crew"]},
                        {"after": "2s", "notify": ["oncall"]}]}
        """
            .formatted(oncall.url(), crew.url()));
    String[] args = {"--notify", notify.toString()};
    Path data = dir.resolve("data");
    int next = 0;
    long started = System.nanoTime();

    for (int run = 0; run < kills; run++) {
      try (KloakaProcess kloaka =
          KloakaProcess.start(data, dir.resolve("run-" + run + ".txt"), args)) {
        String when;
        if (run % 2 == 0) {
          // While messages come in (and the first of their sends go out).
          int killAfter = 20 + random.nextInt(200);
          MqttDurabilityTest.Published published =
              MqttDurabilityTest.publishUntilGone(
                  kloaka.mqtt,
                  IntStream.iterate(next, s -> s + 1).iterator(),
                  killAfter,
                  () -> kloaka.process.destroyForcibly());
          next = Math.max(next, published.sentSet().length());
          when = "after " + killAfter + " acks, " + published.sent() + " sent";
        } else {
          // While the ladder of a stored batch goes out.
          int batch = 100 + random.nextInt(200);
          KillNineCrashTest.publishAll(
              kloaka.mqtt, IntStream.range(next, next + batch).boxed().toList());
          next += batch;
          long millis = random.nextInt(1500);
          kloaka.process.waitFor(millis, TimeUnit.MILLISECONDS); // it runs on meanwhile
          kloaka.process.destroyForcibly();
          when = millis + " ms after " + batch + " stored";
        }
        kloaka.process.waitFor(30, TimeUnit.SECONDS);
        System.out.printf(
            "notification crash run %d: start to ready %d ms, killed %s; %d + %d webhook requests"
                + " so far%n",
            run + 1, kloaka.startMillis, when, oncall.received().size(), crew.received().size());
      }
    }

    try (KloakaProcess kloaka = KloakaProcess.start(data, dir.resolve("final.txt"), args)) {
      Set<Key> expected = new HashSet<>();
      for (JsonNode problem : get(kloaka.http, "/problems?status=UNRESOLVED").path("problems")) {
        String id = problem.path("problem_id").asText();
        long time = problem.path("problem_time").asLong();
        expected.add(new Key(id, time, 1, "oncall"));
        expected.add(new Key(id, time, 1, "crew"));
        expected.add(new Key(id, time, 2, "oncall"));
      }
      assertThat(expected).as("problems opened (seed %d)", seed).isNotEmpty();
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> delivered().keySet().containsAll(expected));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  get(kloaka.http, "/status").path("notifications").path("pending").asLong() == 0);
      Map<Key, Integer> delivered = delivered();
      Set<Key> lost = new HashSet<>(expected);
      lost.removeAll(delivered.keySet());
      Set<Key> unexpected = new HashSet<>(delivered.keySet());
      unexpected.removeAll(expected);
      int messages = delivered.values().stream().mapToInt(Integer::intValue).sum();
      int repeats = messages - delivered.size();
      long repeatedKeys = delivered.values().stream().filter(n -> n > 1).count();
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf(
          "notification crash test: %d kills, %d problems, %d notifications due, %d delivered"
              + " messages, %d lost, %d for no stored problem, %d repeats (%d keys, %.2f %%); %.0f"
              + " s (seed %d)%n",
          kills,
          expected.size() / 3,
          expected.size(),
          messages,
          lost.size(),
          unexpected.size(),
          repeats,
          repeatedKeys,
          100.0 * repeats / Math.max(1, expected.size()),
          seconds,
          seed);
      assertThat(lost).as("notifications lost after %d kills (seed %d)", kills, seed).isEmpty();
      assertThat(unexpected).as("notifications of problems not stored (seed %d)", seed).isEmpty();
      assertThat(Files.readString(kloaka.stderr)).doesNotContain("\tat ");
      Fuzz.Figures.record(
          "crash",
          "kill -9 with notifications",
          kills + " kills",
          expected.size() + " due, 0 lost",
          repeats + " repeats",
          String.format("%.0f s", seconds),
          "seed " + seed);
    }
  }

  /** Every request the webhooks answered 200, by key, with how many times it came. */
  Map<Key, Integer> delivered() {
    Map<Key, Integer> counts = new HashMap<>();
    for (var channel : List.of(Map.entry("oncall", oncall), Map.entry("crew", crew))) {
      for (JsonNode body : channel.getValue().delivered()) {
        JsonNode problem = body.path("problem");
        counts.merge(
            new Key(
                problem.path("problem_id").asText(),
                problem.path("problem_time").asLong(),
                body.path("step").asInt(),
                channel.getKey()),
            1,
            Integer::sum);
      }
    }
    return counts;
  }
}
