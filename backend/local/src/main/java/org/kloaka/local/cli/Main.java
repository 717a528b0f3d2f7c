package org.kloaka.local.cli;

import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import org.kloaka.local.LocalConfig;
import org.kloaka.local.LocalRuntime;
import org.kloaka.local.ServerLimits;
import org.kloaka.local.StartupException;
import org.kloaka.local.sqlite.SqliteDatabase;
import org.kloaka.local.ttn.TtnOptions;
import org.kloaka.time.DurationText;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar kloaka-backend.jar}: parses the options, starts the {@link LocalRuntime}, prints
 * the {@code kloaka ready} line on standard output, and runs until SIGTERM or SIGINT, when it stops
 * cleanly (storing everything it took) and exits 0.
 *
 * <p>Exit codes: 0 for {@code --help}, {@code --version} and a clean stop; 2 for a bad option (the
 * reason on one line and a pointer to {@code --help}, {@link OptionErrors}); 1 when the runtime
 * cannot start (the reason on one line).
 */
@Command(
    name = "kloaka",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    sortOptions = false,
    description = {
      "Kloaka's local runtime: MQTT ingest, REST API, WebSocket pushes and the embedded store.",
      "Prints one line starting with 'kloaka ready' when every server is listening."
    })
public final class Main implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--data", paramLabel = "DIR", description = "Data folder (default: ~/.kloaka).")
  Path data;

  @Option(
      names = "--bind",
      paramLabel = "ADDR",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String bind = "127.0.0.1";

  @Option(
      names = "--mqtt-port",
      paramLabel = "PORT",
      description = "MQTT port (default: ${DEFAULT-VALUE}; 0 = any free).")
  int mqttPort = LocalConfig.DEFAULT_MQTT_PORT;

  @Option(
      names = "--http-port",
      paramLabel = "PORT",
      description = "REST port (default: ${DEFAULT-VALUE}; 0 = any free).")
  int httpPort = LocalConfig.DEFAULT_HTTP_PORT;

  @Option(
      names = "--ws-port",
      paramLabel = "PORT",
      description = "WebSocket port (default: ${DEFAULT-VALUE}; 0 = any free).")
  int wsPort = LocalConfig.DEFAULT_WS_PORT;

  @Option(
      names = "--network",
      paramLabel = "FILE",
      description = "Network file (JSON) describing tubes and junctions.")
  Path network;

  @Option(
      names = "--notify",
      paramLabel = "FILE",
      description =
          "Notification file (JSON): webhook and e-mail channels and an escalation ladder"
              + " (docs/notifications.md).")
  Path notify;

  @Option(
      names = "--keep-measurements",
      paramLabel = "N",
      description = "Recent measurements kept in each device record (default: ${DEFAULT-VALUE}).")
  int keepMeasurements = LocalConfig.DEFAULT_KEEP_MEASUREMENTS;

  @Option(
      names = "--history-days",
      paramLabel = "DAYS",
      description = "Days of measurement history kept (default: ${DEFAULT-VALUE}).")
  int historyDays = LocalConfig.DEFAULT_HISTORY_DAYS;

  @Option(
      names = "--check-integrity",
      description =
          "Check the store's file (PRAGMA quick_check, ~10 s per GB) even when the last stop was"
              + " clean; without it, only after an unclean one (docs/decisions/028).")
  boolean checkIntegrity;

  @Option(
      names = "--rejects-keep",
      paramLabel = "N",
      description = "Rejected messages kept, newest first (default: ${DEFAULT-VALUE}).")
  int rejectsKeep = org.kloaka.core.Rejects.DEFAULT_KEEP;

  @Option(
      names = "--rate-limit",
      paramLabel = "N",
      description =
          "REST requests a second per client address, in bursts of twice that; over it the answer"
              + " is 429 (default: ${DEFAULT-VALUE}; 0 = no limit).")
  int rateLimit = org.kloaka.local.http.RateLimit.DEFAULT_PER_SECOND;

  @Option(
      names = "--http-request-timeout",
      paramLabel = "DURATION",
      defaultValue = "10s",
      description =
          "Time a REST client has to send a whole request; then 408 (default: ${DEFAULT-VALUE}).")
  Duration httpRequestTimeout;

  @Option(
      names = "--http-idle-timeout",
      paramLabel = "DURATION",
      defaultValue = "30s",
      description =
          "A kept-alive REST connection idle this long is closed (default: ${DEFAULT-VALUE}).")
  Duration httpIdleTimeout;

  @Option(
      names = "--ws-handshake-timeout",
      paramLabel = "DURATION",
      defaultValue = "5s",
      description = "Time to send the WebSocket handshake; then 408 (default: ${DEFAULT-VALUE}).")
  Duration wsHandshakeTimeout;

  @Option(
      names = "--ws-idle-timeout",
      paramLabel = "DURATION",
      defaultValue = "90s",
      description =
          "A WebSocket client that sends nothing this long is closed; it is pinged at half of it"
              + " (default: ${DEFAULT-VALUE}).")
  Duration wsIdleTimeout;

  @Option(
      names = "--max-connections-per-address",
      paramLabel = "N",
      description =
          "Connections at once from one address to each of REST and WebSocket; over it 429"
              + " (default: ${DEFAULT-VALUE}; this machine's own are not counted).")
  int maxConnectionsPerAddress = ServerLimits.DEFAULT_PER_ADDRESS;

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      description =
          "Connections at once to each of REST and WebSocket; over it 503 (default:"
              + " ${DEFAULT-VALUE}).")
  int maxConnections = ServerLimits.DEFAULT_TOTAL;

  @Option(
      names = "--silent-after",
      paramLabel = "DURATION",
      defaultValue = "3h",
      description =
          "A sensor that sends nothing this long becomes a SILENT problem (default:"
              + " ${DEFAULT-VALUE}; 0 = off; docs/problems.md).")
  Duration silentAfter;

  @Option(
      names = "--confirm-after",
      paramLabel = "DURATION",
      defaultValue = "0",
      description =
          "A pair opens a problem only once not OK this long in measurement time; an OK reading"
              + " restarts the wait (default: ${DEFAULT-VALUE} = at once).")
  Duration confirmAfter;

  @Option(
      names = "--mqtt-username",
      paramLabel = "NAME",
      description = "MQTT user name; required when --bind is not loopback.")
  String mqttUsername;

  @Option(
      names = "--mqtt-password-file",
      paramLabel = "FILE",
      description = "File holding the MQTT password; required when --bind is not loopback.")
  Path mqttPasswordFile;

  @Option(
      names = "--ttn-mqtt",
      paramLabel = "URL",
      description =
          "The Things Stack's MQTT server to take uplinks from, e.g."
              + " mqtts://eu1.cloud.thethings.network:8883 (docs/ttn.md).")
  String ttnMqtt;

  @Option(
      names = "--ttn-app",
      paramLabel = "APP@TENANT",
      description = "The TTN application as its MQTT user name, e.g. kloaka@ttn.")
  String ttnApp;

  @Option(
      names = "--ttn-key-file",
      paramLabel = "FILE",
      description = "File holding the application's API key; readable by its owner only.")
  Path ttnKeyFile;

  @Option(
      names = "--ttn-ca",
      paramLabel = "FILE",
      description = "PEM CA certificates to trust for a private The Things Stack server.")
  Path ttnCa;

  @Option(
      names = "--ttn-storage",
      paramLabel = "URL",
      description =
          "TTN's API base, e.g. https://eu1.cloud.thethings.network: after every (re)connection,"
              + " fetch what was missed from its Storage Integration.")
  String ttnStorage;

  LocalRuntime runtime;

  // How the runtime is started and kept running: the real ones, or a test's.
  private final Function<LocalConfig, LocalRuntime> start;
  private final Consumer<LocalRuntime> keepRunning;

  public Main() {
    this(LocalRuntime::start, Main::stopOnSignal);
  }

  /**
   * For tests that run the command in their own JVM.
   *
   * @param keepRunning called once the runtime is up, before the ready line is printed
   */
  Main(Function<LocalConfig, LocalRuntime> start, Consumer<LocalRuntime> keepRunning) {
    this.start = start;
    this.keepRunning = keepRunning;
  }

  public static void main(String[] args) {
    Main main = new Main();
    int code = commandLine(main).execute(args);
    if (main.runtime == null) {
      System.exit(code);
    }
    // Started: the servers' threads keep the process alive until a signal runs the shutdown hook.
  }

  static CommandLine commandLine(Main main) {
    return new CommandLine(main)
        .addSubcommand(new OperatorsCommand())
        // picocli's own Path conversion quotes InvalidPathException (a NUL in the name).
        .registerConverter(Path.class, Main::path)
        .registerConverter(Duration.class, Main::duration)
        .setParameterExceptionHandler(new OptionErrors("kloaka"))
        .setExecutionExceptionHandler(
            (e, commandLine, parseResult) -> {
              PrintWriter err = commandLine.getErr();
              if (e instanceof StartupException) {
                err.println("kloaka: cannot start: " + e.getMessage());
              } else {
                // A bug, not the operator's doing: the trace goes to the log, one line here.
                LoggerFactory.getLogger(Main.class).error("Unexpected failure", e);
                err.println("kloaka: unexpected failure (a bug; the log above has the details)");
              }
              err.flush();
              return 1;
            });
  }

  private static Duration duration(String text) {
    try {
      return DurationText.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }

  private static Path path(String text) {
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      throw new CommandLine.TypeConversionException(
          "'" + text.replace("\0", "\\0") + "' is not a usable path: " + e.getReason());
    }
  }

  LocalConfig config() {
    LocalConfig config =
        LocalConfig.defaults()
            .withBind(bind)
            .withPorts(mqttPort, httpPort, wsPort)
            .withNetworkFile(network)
            .withNotifyFile(notify)
            .withKeepMeasurements(keepMeasurements)
            .withHistoryDays(historyDays)
            .withRejectsKeep(rejectsKeep)
            .withHttpRateLimit(rateLimit)
            .withLimits(
                ServerLimits.defaults()
                    .withTimeouts(
                        httpRequestTimeout, httpIdleTimeout, wsHandshakeTimeout, wsIdleTimeout)
                    .withConnections(maxConnectionsPerAddress, maxConnections))
            .withAlarms(silentAfter, confirmAfter)
            .withMqttCredentials(mqttUsername, mqttPasswordFile)
            .withTtn(ttnOptions())
            .withIntegrityCheck(
                checkIntegrity
                    ? SqliteDatabase.IntegrityCheck.ALWAYS
                    : SqliteDatabase.IntegrityCheck.AFTER_UNCLEAN_STOP);
    return data == null ? config : config.withDataDir(data);
  }

  private TtnOptions ttnOptions() {
    try {
      return new TtnOptions(
          TtnOptions.uri(ttnMqtt), ttnApp, ttnKeyFile, ttnCa, TtnOptions.uri(ttnStorage));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  @Override
  public Integer call() {
    LocalConfig config = config();
    List<String> problems = config.problems();
    if (!problems.isEmpty()) {
      throw new ParameterException(spec.commandLine(), String.join("\n", problems));
    }
    runtime = start.apply(config);
    // First the stop on a signal, then the line a script waits for.
    keepRunning.accept(runtime);
    PrintWriter out = spec.commandLine().getOut();
    out.println(runtime.readyLine());
    out.flush();
    return 0;
  }

  /** Runs until SIGTERM or SIGINT, then stops cleanly and exits 0 (1 if stopping failed). */
  private static void stopOnSignal(LocalRuntime started) {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  int status = 0;
                  try {
                    started.close();
                  } catch (RuntimeException e) {
                    LoggerFactory.getLogger(Main.class).error("Stopping failed", e);
                    status = 1;
                  }
                  // A signal would otherwise end the JVM with 128+signal; a clean stop is 0.
                  Runtime.getRuntime().halt(status);
                },
                "kloaka-shutdown"));
  }

  /** The version from the jar's manifest, when run from the jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"kloaka " + (version == null ? "(development build)" : version)};
    }
  }
}
