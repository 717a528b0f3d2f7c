package org.kloaka.local.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.kloaka.local.mqtt.BrokerConfig;
import org.kloaka.local.mqtt.EmbeddedBroker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The local runtime's benchmark (issue 6): {@code java -cp kloaka-backend.jar:kloaka-bench.jar
 * org.kloaka.local.bench.Bench [--short|--soak]}.
 *
 * <p>Two legs in one JVM, one after the other, with the same publisher (Paho async QoS 1, several
 * connections, a bounded window each):
 *
 * <ol>
 *   <li><b>broker</b>: the embedded HiveMQ with no Kloaka extension and a QoS 0 subscriber that
 *       drops what it gets — the limit of the MQTT leg on this machine;
 *   <li><b>runtime</b>: the whole local runtime on a temporary data folder, a WebSocket client
 *       listening — flat out (messages stored and inspected per second: a PUBACK comes only after
 *       the commit holding the message and its inspection), then at a fixed rate with injected
 *       faults and a console polling {@code GET /problems}, timing pushes and answers.
 * </ol>
 *
 * <p>The last line printed is {@code bench: ingest_msgs_s=… broker_msgs_s=… ratio=… push_p50_ms=…
 * push_p99_ms=… problem_p99_ms=… rest_p99_ms=…}. Exit 0 when every message published was
 * acknowledged and stored once, 1 otherwise.
 */
@Command(
    name = "kloaka-bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Benchmarks the local runtime through real MQTT, WebSocket and REST clients.",
      "Prints one summary line last: bench: ingest_msgs_s=… broker_msgs_s=… …"
    })
public final class Bench implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(Bench.class);

  @Option(names = "--short", description = "A few seconds, for CI: checks it works, not a figure.")
  boolean quick;

  @Option(names = "--soak", description = "The fixed-rate phase lasts 5 minutes (memory check).")
  boolean soak;

  @Option(
      names = "--scale",
      description = {
        "Instead of the two legs: grow a store by bulk load and measure how ingest, history reads,",
        "start-up, disk, retention and heap grow with it (last line: scale: …)."
      })
  boolean scale;

  @Option(
      names = "--scale-rows",
      paramLabel = "N",
      description = "History rows of the full store for --scale (default 20000000).")
  long scaleRows = 20_000_000;

  @Option(
      names = "--scale-devices",
      paramLabel = "D",
      description = "Devices of the grown store for --scale (default 100000).")
  int scaleDevices = 100_000;

  @Option(
      names = "--scale-points",
      paramLabel = "P",
      description = "Points of the --scale curve: 0, then halves up to all rows (default 4).")
  int scalePoints = ScaleLeg.POINTS;

  @Option(
      names = "--scale-rounds",
      paramLabel = "N",
      description =
          "Rounds of --scale's empty-vs-full and retention comparisons (default 3; 1 for CI).")
  int scaleRounds = ScaleLeg.ROUNDS;

  @Option(names = "--sensors", paramLabel = "N", description = "Simulated sensors (default 1000).")
  int sensors = 1000;

  @Option(names = "--tubes", paramLabel = "M", description = "Tubes they sit on (default 10).")
  int tubes = 10;

  @Option(
      names = "--rate",
      paramLabel = "R",
      description = "Messages/s of the fixed-rate phase (default 1000).")
  double rate = 1000;

  @Option(
      names = "--seconds",
      paramLabel = "S",
      description = "Measured seconds of the fixed-rate phase (default 30; --short 2; --soak 300).")
  Integer seconds;

  @Option(
      names = "--flat-seconds",
      paramLabel = "S",
      description = "Measured seconds of each flat-out phase (default 20; --short 1.5).")
  Integer flatSeconds;

  @Option(
      names = "--rounds",
      paramLabel = "N",
      description = {
        "Flat-out rounds of broker then runtime, in turn (default 1); the ratio compares their",
        "medians, so a change of the machine's load between the legs weighs less."
      })
  int rounds = 1;

  @Option(
      names = "--connections",
      paramLabel = "C",
      description = "MQTT publisher connections (default 4).")
  int connections = 4;

  @Option(
      names = "--window",
      paramLabel = "W",
      description = "Unacknowledged QoS 1 messages per connection (default 500).")
  int window = 500;

  @Option(
      names = "--faults",
      paramLabel = "F",
      description = "Faults injected per second in the fixed-rate phase (default 5).")
  double faultRate = 5;

  @Option(
      names = "--rest-rate",
      paramLabel = "Q",
      description = "GET /problems calls per second in the fixed-rate phase (default 10).")
  double restRate = 10;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Data folder to use and keep (default: a temporary one, deleted after).")
  Path data;

  @Spec CommandSpec spec;

  private final PrintStream out;

  public Bench() {
    this(System.out);
  }

  Bench(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    CommandLine command =
        new CommandLine(new Bench())
            .setExecutionExceptionHandler(
                (e, commandLine, parseResult) -> {
                  log.error("The benchmark failed", e);
                  commandLine.getErr().println("bench: failed: " + e);
                  return 1;
                });
    System.exit(command.execute(args));
  }

  /** What is wrong with the options, one sentence each. */
  List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (quick && soak) {
      problems.add("--short and --soak exclude each other");
    }
    if (scale && (soak || quick)) {
      problems.add("--scale excludes --short and --soak");
    }
    if (scaleRows < 1 || scaleDevices < 100) {
      problems.add("--scale-rows must be at least 1 and --scale-devices at least 100");
    }
    if (scalePoints < 2 || scalePoints > 10 || scaleRounds < 1 || scaleRounds > 20) {
      problems.add("--scale-points must be 2-10 and --scale-rounds 1-20");
    }
    if (tubes < 1 || tubes > 10_000) {
      problems.add("--tubes must be 1-10000, was " + tubes);
    } else if (sensors < 3 * tubes || sensors / tubes > 9_999) {
      problems.add(
          "--sensors must give each tube 3 to 9999 sensors (faults need a pair and its"
              + " neighbours), was "
              + sensors
              + " on "
              + tubes
              + " tubes");
    }
    if (!(rate > 0) || !(faultRate >= 0) || !(restRate > 0)) {
      problems.add("--rate and --rest-rate must be positive, --faults not negative");
    }
    if (rounds < 1 || rounds > 20) {
      problems.add("--rounds must be 1-20, was " + rounds);
    }
    if (connections < 1 || window < 1) {
      problems.add("--connections and --window must be at least 1");
    }
    if ((seconds != null && seconds < 1) || (flatSeconds != null && flatSeconds < 1)) {
      problems.add("--seconds and --flat-seconds must be at least 1");
    }
    return problems;
  }

  @Override
  public Integer call() throws Exception {
    List<String> invalid = problems();
    if (!invalid.isEmpty()) {
      throw new ParameterException(spec.commandLine(), String.join("; ", invalid));
    }
    Duration warmup = Duration.ofMillis(quick ? 500 : 3_000);
    Duration flat =
        flatSeconds != null
            ? Duration.ofSeconds(flatSeconds)
            : quick ? Duration.ofMillis(1_500) : Duration.ofSeconds(20);
    Duration paced = Duration.ofSeconds(seconds != null ? seconds : quick ? 2 : soak ? 300 : 30);
    Fleet fleet = new Fleet(sensors, tubes);
    Path dir = data != null ? data : Files.createTempDirectory("kloaka-bench-");
    say(
        "machine cpus=%d load_avg=%.2f java=%s max_heap_mb=%d",
        Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20);
    say(
        "config sensors=%d tubes=%d connections=%d window=%d flat_s=%.1f rate=%.0f paced_s=%d"
            + " faults_s=%.1f rest_s=%.1f data=%s",
        fleet.size(),
        tubes,
        connections,
        window,
        flat.toMillis() / 1000.0,
        rate,
        paced.toSeconds(),
        faultRate,
        restRate,
        dir);
    List<String> problems = new ArrayList<>();
    if (scale) {
      try {
        Duration scaleFlat = flatSeconds != null ? flat : Duration.ofSeconds(10);
        String summary =
            new ScaleLeg(
                    this::say,
                    connections,
                    window,
                    scaleRows,
                    scaleDevices,
                    Duration.ofSeconds(2),
                    scaleFlat,
                    scalePoints,
                    scaleRounds)
                .run(dir.resolve("scale"), fleet, problems);
        problems.forEach(p -> log.error("Benchmark check failed: {}", p));
        out.println(summary);
        out.flush();
        return problems.isEmpty() ? 0 : 1;
      } finally {
        if (data == null) {
          deleteTree(dir);
        }
      }
    }
    try {
      RuntimeLeg leg = new RuntimeLeg(this::say, connections, window, rate, faultRate, restRate);
      List<Double> brokers = new ArrayList<>();
      List<Double> ingests = new ArrayList<>();
      for (int round = 1; round < rounds; round++) {
        brokers.add(bareBroker(dir.resolve("bare-" + round), fleet, warmup, flat).perSecond());
        ingests.add(
            leg.flatOutOnly(dir.resolve("runtime-" + round), fleet, warmup, flat, problems));
        say(
            "round %d ingest_msgs_s=%.0f broker_msgs_s=%.0f ratio=%.2f load_avg=%.2f",
            round,
            ingests.get(round - 1),
            brokers.get(round - 1),
            ingests.get(round - 1) / brokers.get(round - 1),
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      }
      Publisher.FlatOut bare = bareBroker(dir.resolve("bare"), fleet, warmup, flat);
      RuntimeLeg.Figures figures =
          leg.run(dir.resolve("runtime"), fleet, warmup, flat, paced, problems);
      brokers.add(bare.perSecond());
      ingests.add(figures.ingest());
      if (rounds > 1) {
        say(
            "round %d ingest_msgs_s=%.0f broker_msgs_s=%.0f ratio=%.2f load_avg=%.2f"
                + " (medians of %d rounds below)",
            rounds,
            figures.ingest(),
            bare.perSecond(),
            figures.ingest() / bare.perSecond(),
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
            rounds);
      }
      double broker = ScaleLeg.median(brokers);
      double ingest = ScaleLeg.median(ingests);
      if (rounds > 1) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
          ratios.add(ingests.get(i) / brokers.get(i));
        }
        say(
            "rounds ratio of medians=%.2f median of the rounds' ratios=%.2f",
            ingest / broker, ScaleLeg.median(ratios));
      }
      problems.forEach(p -> log.error("Benchmark check failed: {}", p));
      // On a machine shared with other work the two legs get different shares of the CPU; what
      // each message cost in CPU is steadier, so say it too.
      double brokerCost = bare.cpu().totalNanos() / 1e3 / bare.acked();
      say(
          "cpu_us_per_msg broker=%.1f ingest=%.1f (their ratio %.2f: ingest/broker if CPU-bound)",
          brokerCost, figures.ingestCpuPerMsg(), brokerCost / figures.ingestCpuPerMsg());
      say(
          "ingest_msgs_s=%.0f broker_msgs_s=%.0f ratio=%.2f push_p50_ms=%.1f push_p99_ms=%.1f"
              + " problem_p99_ms=%.1f rest_p99_ms=%.1f",
          ingest,
          broker,
          ingest / broker,
          figures.pushP50(),
          figures.pushP99(),
          figures.problemP99(),
          figures.restP99());
      return problems.isEmpty() ? 0 : 1;
    } finally {
      if (data == null) {
        deleteTree(dir);
      }
    }
  }

  /** The MQTT leg alone: HiveMQ with no Kloaka extension, a QoS 0 subscriber dropping all. */
  private Publisher.FlatOut bareBroker(Path dir, Fleet fleet, Duration warmup, Duration flat)
      throws Exception {
    try (EmbeddedBroker broker = EmbeddedBroker.startWithoutIngest(BrokerConfig.loopback(dir));
        NullSubscriber subscriber = NullSubscriber.connect(broker.uri(), Publisher.TOPIC);
        Publisher publisher = Publisher.connect(broker.uri(), connections, window, fleet)) {
      long deliveredBefore = subscriber.received();
      Publisher.FlatOut result = publisher.flatOut(warmup, flat, Optional.empty());
      say(
          "broker (HiveMQ CE, no Kloaka extension; QoS 0 no-op subscriber): msgs_s=%.0f"
              + " subscriber_received=%d of %d published",
          result.perSecond(), subscriber.received() - deliveredBefore, publisher.published());
      say("broker cpu %s", result.cpu().describe(8));
      return result;
    }
  }

  private void say(String format, Object... args) {
    out.println("bench: " + String.format(Locale.ROOT, format, args));
    out.flush();
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      log.warn("Could not delete the benchmark's data folder {}", dir, e);
    }
  }
}
