package org.kloaka.local.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kloaka.local.mqtt.MqttDurabilityTest.get;
import static org.kloaka.local.mqtt.MqttDurabilityTest.payload;
import static org.kloaka.local.mqtt.MqttDurabilityTest.seqOf;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.PrimitiveIterator;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kloaka.local.LocalConfig;
import org.kloaka.local.LocalRuntime;
import org.kloaka.local.RunningRuntime;
import org.kloaka.local.fuzz.Fuzz;
import org.kloaka.local.sqlite.SqliteDatabase;

/**
 * Crash test (issue 7): the runtime in a child JVM is killed with SIGKILL at a random moment of a
 * QoS 1 load, several times in a row on the same data folder ({@code -Dkloaka.crash.seed=S} replays
 * the moments).
 *
 * <p>After every restart: the store passed its integrity check at start, which runs because the
 * last stop was not clean (the runtime refuses to start otherwise, and says so in its log) and
 * passes a full {@code PRAGMA integrity_check}; every message ever acknowledged is stored; no
 * message is stored more often than it was sent. The publisher resends what was never acknowledged,
 * as an MQTT client does. At the end, once every message is acknowledged, the problems equal those
 * of a fault-free run of the same messages through a runtime never killed.
 *
 * <p>Run twice: with the seed's rules, and with both alarm rules on ({@code --silent-after 1h
 * --confirm-after 30m}): then every not-OK pair waits in the confirmation window, so the crashed
 * store must also hold the same waits as the fault-free run — each written in the message's
 * transaction.
 *
 * <p>How many kills (docs/decisions/035): the default run ({@code ./mvnw -B verify}) kills the seed
 * run {@value #DEFAULT_KILLS} times and the alarm run {@value #DEFAULT_ALARM_KILLS} times; {@code
 * -Dkloaka.crashKills=N} kills the seed run N times and the alarm run N/5 times (at least {@value
 * #DEFAULT_ALARM_KILLS}), and {@code .ci/run}'s deep step runs it with 20 (so 20 and 4). Every kill
 * is the same experiment — a random moment 100 to 1,500 acknowledgements after the resends, every
 * check after each restart, the same final comparison —, the first on the empty store and the
 * others on a store that already holds what the earlier runs left (waits, in the alarm run); more
 * kills only try more moments. {@code -Dkloaka.killRuns=N} sets both runs to N. The child JVMs run
 * with the client compiler only, which halves their start on two busy cores and changes nothing the
 * test checks (docs/decisions/014).
 */
@Tag("slow")
@Tag("crash")
class KillNineCrashTest {

  static final int DEFAULT_KILLS = 5;
  static final int DEFAULT_ALARM_KILLS = 2;

  /** The runtime's options of one run of the test. */
  enum Rules {
    SEED(Duration.ofHours(3), Duration.ZERO),
    ALARMS(Duration.ofHours(1), Duration.ofMinutes(30));

    final Duration silentAfter;
    final Duration confirmAfter;

    Rules(Duration silentAfter, Duration confirmAfter) {
      this.silentAfter = silentAfter;
      this.confirmAfter = confirmAfter;
    }

    /** Kills of this run: {@code -Dkloaka.crashKills} for the seed run, a fifth of it here. */
    int kills() {
      int seedKills = Integer.getInteger("kloaka.crashKills", DEFAULT_KILLS);
      int kills = this == SEED ? seedKills : Math.max(DEFAULT_ALARM_KILLS, seedKills / 5);
      return Integer.getInteger("kloaka.killRuns", kills);
    }

    String[] args() {
      return new String[] {
        "--silent-after", silentAfter.toString(), "--confirm-after", confirmAfter.toString()
      };
    }
  }

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Rules.class)
  void killMinus9AtRandomMomentsLosesNothingAcknowledgedAndEndsLikeAFaultFreeRun(Rules rules)
      throws Exception {
    int kills = rules.kills();
    String given = System.getProperty("kloaka.crash.seed");
    long seed =
        given == null || given.isBlank() ? new SecureRandom().nextLong() : Long.parseLong(given);
    System.out.printf(
        "crash test (%s rules): %d kills, seed=%d (replay with -Dkloaka.crash.seed=%d)%n",
        rules, kills, seed, seed);
    Random random = new Random(seed);
    Path data = dir.resolve("data");
    BitSet everAcked = new BitSet();
    BitSet everSent = new BitSet();
    int[] timesSent = new int[1 << 20];
    int next = 0;
    long started = System.nanoTime();

    for (int run = 0; run < kills; run++) {
      try (KloakaProcess kloaka =
          KloakaProcess.start(data, dir.resolve("run-" + run + ".txt"), rules.args())) {
        String label = "after kill " + run + " (seed " + seed + ")";
        if (run > 0) {
          checkAfterRestart(kloaka, data, everAcked, timesSent, label);
        }
        // First what was never acknowledged (an MQTT client resends it), then new messages.
        List<Integer> resend = unacknowledged(everSent, everAcked);
        int first = next;
        PrimitiveIterator.OfInt seqs =
            IntStream.concat(
                    resend.stream().mapToInt(Integer::intValue),
                    IntStream.iterate(first, s -> s + 1))
                .iterator();
        int killAfter = resend.size() + 100 + random.nextInt(1400);
        MqttDurabilityTest.Published published =
            MqttDurabilityTest.publishUntilGone(
                kloaka.mqtt, seqs, killAfter, () -> kloaka.process.destroyForcibly()); // SIGKILL
        kloaka.process.waitFor(30, TimeUnit.SECONDS);
        everAcked.or(published.acked());
        everSent.or(published.sentSet());
        published.sentSet().stream().forEach(seq -> timesSent[seq]++);
        next = Math.max(next, published.sentSet().length());
        System.out.printf(
            "crash run %d: killed after %d acks (%d resent, %d sent); start to ready %d ms%n",
            run + 1,
            published.acked().cardinality(),
            resend.size(),
            published.sent(),
            kloaka.startMillis);
      }
    }

    // The last start: check, resend everything never acknowledged, and compare.
    try (KloakaProcess kloaka = KloakaProcess.start(data, dir.resolve("final.txt"), rules.args())) {
      checkAfterRestart(
          kloaka, data, everAcked, timesSent, "after the last kill (seed " + seed + ")");
      List<Integer> resend = unacknowledged(everSent, everAcked);
      publishAll(kloaka.mqtt, resend);
      resend.forEach(seq -> timesSent[seq]++);
      everAcked.or(bits(resend));
      assertThat(everAcked).as("every message sent is acknowledged now").isEqualTo(everSent);
      assertThat(everSent.nextClearBit(0))
          .as("messages 0…n-1, none skipped")
          .isEqualTo(everSent.length());

      Map<String, String> crashed = problems(path -> get(kloaka.http, path));
      Map<String, String> faultFree = faultFreeProblems(everSent.length(), rules);
      assertThat(crashed)
          .as("problems after %d kills vs a fault-free run (seed %d)", kills, seed)
          .isEqualTo(faultFree);
      Set<String> waits = waits(data.resolve(SqliteDatabase.FILE_NAME));
      assertThat(waits)
          .as("confirmation waits after %d kills vs a fault-free run (seed %d)", kills, seed)
          .isEqualTo(waits(dir.resolve("fault-free").resolve(SqliteDatabase.FILE_NAME)));
      if (rules.confirmAfter.isZero()) {
        assertThat(waits).isEmpty();
      } else {
        assertThat(waits).as("not-OK pairs waiting").isNotEmpty();
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf(
          "crash test (%s rules): %d kills survived; %d messages acknowledged, %d found, 0 lost;"
              + " %d problems and %d waits as in a fault-free run; %.0f s%n",
          rules,
          kills,
          everAcked.cardinality(),
          everAcked.cardinality(),
          crashed.size(),
          waits.size(),
          seconds);
      Fuzz.Figures.record(
          "crash",
          "kill -9 (" + rules + " rules)",
          kills + " kills survived",
          everAcked.cardinality() + " acked, all found",
          crashed.size() + " problems = fault-free run",
          String.format("%.0f s", seconds),
          "seed " + seed);
    }
  }

  /** What must hold each time the runtime comes back. */
  private static void checkAfterRestart(
      KloakaProcess kloaka, Path data, BitSet everAcked, int[] timesSent, String label)
      throws Exception {
    String log = Files.readString(kloaka.stderr);
    assertThat(log)
        .as("the store's integrity was checked at start, %s", label)
        .contains("integrity ok (quick_check: the last stop was not clean");
    assertThat(log)
        .as("the restarted runtime's log shows no stack trace, %s", label)
        .doesNotContain("\tat ");
    Path database = data.resolve(SqliteDatabase.FILE_NAME);
    assertThat(integrityCheck(database)).as(label).isEqualTo("ok");
    BitSet stored = new BitSet();
    for (JsonNode device : get(kloaka.http, "/devices").path("devices")) {
      stored.set(seqOf(device.path("id").asText()));
    }
    // History rows per message, read beside the runtime (one query, not one REST call each).
    for (Map.Entry<String, Integer> rows : historyRows(database).entrySet()) {
      int seq = seqOf(rows.getKey());
      assertThat(rows.getValue())
          .as("history rows of message %d (sent %d times), %s", seq, timesSent[seq], label)
          .isBetween(1, timesSent[seq]);
    }
    BitSet lost = (BitSet) everAcked.clone();
    lost.andNot(stored);
    assertThat(lost.stream().boxed().toList())
        .as("acknowledged but not stored, %s", label)
        .isEmpty();
  }

  /**
   * A full {@code PRAGMA integrity_check}, read-only, beside the running runtime (WAL allows it).
   */
  static String integrityCheck(Path database) throws Exception {
    try (Connection connection = readOnly(database);
        ResultSet rows = connection.createStatement().executeQuery("PRAGMA integrity_check")) {
      List<String> answers = new ArrayList<>();
      while (rows.next()) {
        answers.add(rows.getString(1));
      }
      return String.join("; ", answers);
    }
  }

  static Map<String, Integer> historyRows(Path database) throws Exception {
    try (Connection connection = readOnly(database);
        ResultSet rows =
            connection
                .createStatement()
                .executeQuery(
                    "SELECT device_id, count(*) FROM (SELECT device_id FROM history"
                        + " UNION ALL SELECT device_id FROM history_recent) GROUP BY device_id")) {
      Map<String, Integer> counts = new TreeMap<>();
      while (rows.next()) {
        counts.put(rows.getString(1), rows.getInt(2));
      }
      return counts;
    }
  }

  /** The pairs waiting out the confirmation window. */
  static Set<String> waits(Path database) throws Exception {
    try (Connection connection = readOnly(database);
        ResultSet rows =
            connection.createStatement().executeQuery("SELECT problem_id FROM pending_fault")) {
      Set<String> ids = new TreeSet<>();
      while (rows.next()) {
        ids.add(rows.getString(1));
      }
      return ids;
    }
  }

  private static Connection readOnly(Path database) throws Exception {
    Properties properties = new Properties();
    properties.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
    return DriverManager.getConnection("jdbc:sqlite:" + database, properties);
  }

  private static List<Integer> unacknowledged(BitSet sent, BitSet acked) {
    BitSet missing = (BitSet) sent.clone();
    missing.andNot(acked);
    return missing.stream().boxed().toList();
  }

  private static BitSet bits(List<Integer> seqs) {
    BitSet bits = new BitSet();
    seqs.forEach(bits::set);
    return bits;
  }

  /** Publishes every message (QoS 1) and waits until each is acknowledged. */
  static void publishAll(URI mqtt, List<Integer> seqs) throws Exception {
    MqttAsyncClient client = Mqtt.connect(mqtt.toString());
    try {
      List<CompletableFuture<Void>> acks = new ArrayList<>();
      for (int seq : seqs) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        client.publish(Mqtt.TOPIC, payload(seq), 1, false, null, Mqtt.completing(acked));
        acks.add(acked);
      }
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
    } finally {
      Mqtt.closeQuietly(client);
    }
  }

  /** The same messages, in order, through a runtime in this JVM that is never killed. */
  private Map<String, String> faultFreeProblems(int messages, Rules rules) throws Exception {
    try (LocalRuntime runtime =
        LocalRuntime.start(
            LocalConfig.defaults()
                .withDataDir(dir.resolve("fault-free"))
                .withAlarms(rules.silentAfter, rules.confirmAfter)
                .withPorts(0, 0, 0)
                .withoutMqtt()
                .withHttpRateLimit(0)
                .withEnv(Map.of()))) {
      CompletableFuture<?> last = CompletableFuture.completedFuture(null);
      for (int seq = 0; seq < messages; seq++) {
        last = runtime.pipeline().submit(payload(seq));
      }
      last.get(2, TimeUnit.MINUTES);
      return problems(path -> RunningRuntime.get(runtime, path));
    }
  }

  /** A REST GET that answers the body of a 200. */
  interface Rest {
    JsonNode get(String path) throws Exception;
  }

  /** Every problem by id, as the fields that do not depend on the clock. */
  static Map<String, String> problems(Rest rest) throws Exception {
    Map<String, String> problems = new TreeMap<>();
    for (String status : List.of("UNRESOLVED", "RESOLVED")) {
      JsonNode list = rest.get("/problems?status=" + status);
      for (JsonNode problem : list.path("problems")) {
        String previous =
            problems.put(
                problem.path("problem_id").asText(),
                String.join(
                    " ",
                    problem.path("problem").asText(),
                    problem.path("problem_status").asText(),
                    problem.path("upstream_id").asText()
                        + "="
                        + problem.path("upstream_value").asText(),
                    problem.path("downstream_id").asText()
                        + "="
                        + problem.path("downstream_value").asText(),
                    "active=" + problem.path("active").asText()));
        assertThat(previous)
            .as("problem %s listed twice", problem.path("problem_id").asText())
            .isNull();
      }
    }
    return problems;
  }
}
