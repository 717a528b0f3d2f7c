package org.kloaka.local;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.kloaka.core.AlarmRules;
import org.kloaka.core.Rejects;
import org.kloaka.local.http.RateLimit;
import org.kloaka.local.sqlite.SqliteDatabase;
import org.kloaka.local.ttn.TtnOptions;
import org.kloaka.local.ws.PushServer;

/**
 * How to run the local runtime: the command line's options, plus what tests and the console set in
 * code (the environment, the clock, the store's durability). Immutable; start from {@link
 * #defaults()} and change what differs with the {@code with…} methods.
 *
 * @param networkFile the network file, or {@code null} for the id convention alone
 * @param mqttUsername required, with {@code mqttPasswordFile}, when {@code bind} is not loopback
 * @param env where {@code KLOAKA_API_TOKEN} is looked up
 * @param mqtt whether the embedded MQTT broker runs; tests that only need REST/WebSocket turn it
 *     off (it costs ~1 s to start and ~4 s to stop, docs/decisions/006)
 * @param httpRateLimit REST requests a second per remote address (bursts of twice that); 0 = no
 *     limit (docs/decisions/011)
 * @param wsMaxQueued frames a WebSocket client may leave unread before it is closed (1013)
 * @param ttn The Things Stack's MQTT server and storage to take uplinks from ({@link
 *     TtnOptions#OFF} when not used)
 * @param limits timeouts for slow and idle clients, connection caps (docs/decisions/017)
 * @param notifyFile the notification file (docs/notifications.md), or {@code null}: no
 *     notifications
 * @param silentAfter a sensor silent this long gets a SILENT problem; zero turns it off
 *     (docs/problems.md)
 * @param confirmAfter how long a pair stays not OK before its problem opens; zero: at once
 * @param integrityCheck when the store's file is checked at start (after an unclean stop, or
 *     always)
 */
public record LocalConfig(
    Path dataDir,
    String bind,
    int mqttPort,
    int httpPort,
    int wsPort,
    Path networkFile,
    int keepMeasurements,
    int historyDays,
    int rejectsKeep,
    String mqttUsername,
    Path mqttPasswordFile,
    Map<String, String> env,
    Clock clock,
    SqliteDatabase.Durability durability,
    boolean mqtt,
    int httpRateLimit,
    int wsMaxQueued,
    TtnOptions ttn,
    ServerLimits limits,
    Path notifyFile,
    Duration silentAfter,
    Duration confirmAfter,
    SqliteDatabase.IntegrityCheck integrityCheck) {

  public static final int DEFAULT_MQTT_PORT = 1883;
  public static final int DEFAULT_HTTP_PORT = 8080;
  public static final int DEFAULT_WS_PORT = 8081;
  public static final int DEFAULT_KEEP_MEASUREMENTS = 100;
  public static final int DEFAULT_HISTORY_DAYS = 365;

  public LocalConfig {
    env = env == null ? Map.of() : Map.copyOf(env);
    ttn = ttn == null ? TtnOptions.OFF : ttn;
  }

  /** {@code ~/.kloaka}, loopback, the standard ports, FULL durability, the system clock. */
  public static LocalConfig defaults() {
    return new LocalConfig(
        Path.of(System.getProperty("user.home"), ".kloaka"),
        "127.0.0.1",
        DEFAULT_MQTT_PORT,
        DEFAULT_HTTP_PORT,
        DEFAULT_WS_PORT,
        null,
        DEFAULT_KEEP_MEASUREMENTS,
        DEFAULT_HISTORY_DAYS,
        Rejects.DEFAULT_KEEP,
        null,
        null,
        System.getenv(),
        Clock.systemUTC(),
        SqliteDatabase.Durability.FULL,
        true,
        RateLimit.DEFAULT_PER_SECOND,
        PushServer.DEFAULT_MAX_QUEUED,
        TtnOptions.OFF,
        ServerLimits.defaults(),
        null,
        AlarmRules.DEFAULT_SILENT_AFTER,
        AlarmRules.DEFAULT_CONFIRM_AFTER,
        SqliteDatabase.IntegrityCheck.AFTER_UNCLEAN_STOP);
  }

  public LocalConfig withDataDir(Path dir) {
    return with(b -> b.dataDir = dir);
  }

  public LocalConfig withBind(String address) {
    return with(b -> b.bind = address);
  }

  /** Port 0 picks a free port. */
  public LocalConfig withPorts(int mqtt, int http, int ws) {
    return with(
        b -> {
          b.mqttPort = mqtt;
          b.httpPort = http;
          b.wsPort = ws;
        });
  }

  public LocalConfig withNetworkFile(Path file) {
    return with(b -> b.networkFile = file);
  }

  /** The notification file (docs/notifications.md); null: none. */
  public LocalConfig withNotifyFile(Path file) {
    return with(b -> b.notifyFile = file);
  }

  public LocalConfig withKeepMeasurements(int keep) {
    return with(b -> b.keepMeasurements = keep);
  }

  public LocalConfig withHistoryDays(int days) {
    return with(b -> b.historyDays = days);
  }

  public LocalConfig withRejectsKeep(int keep) {
    return with(b -> b.rejectsKeep = keep);
  }

  public LocalConfig withMqttCredentials(String username, Path passwordFile) {
    return with(
        b -> {
          b.mqttUsername = username;
          b.mqttPasswordFile = passwordFile;
        });
  }

  /** The environment {@code KLOAKA_API_TOKEN} is read from (tests pass their own). */
  public LocalConfig withEnv(Map<String, String> environment) {
    return with(b -> b.env = environment);
  }

  public LocalConfig withClock(Clock time) {
    return with(b -> b.clock = time);
  }

  public LocalConfig withDurability(SqliteDatabase.Durability level) {
    return with(b -> b.durability = level);
  }

  /** When the store's file is checked at start ({@code --check-integrity}: every start). */
  public LocalConfig withIntegrityCheck(SqliteDatabase.IntegrityCheck check) {
    return with(b -> b.integrityCheck = check);
  }

  /** Without the MQTT broker: for tests and tools that feed the pipeline directly. */
  public LocalConfig withoutMqtt() {
    return withMqtt(false);
  }

  public LocalConfig withMqtt(boolean on) {
    return with(b -> b.mqtt = on);
  }

  /** Frames a WebSocket client may leave unread before it is closed with 1013. */
  public LocalConfig withWsMaxQueued(int frames) {
    return with(b -> b.wsMaxQueued = frames);
  }

  /** REST requests a second per remote address; 0 turns the limit off. */
  public LocalConfig withHttpRateLimit(int perSecond) {
    return with(b -> b.httpRateLimit = perSecond);
  }

  /** Take uplinks from The Things Stack's MQTT server (and storage), or {@link TtnOptions#OFF}. */
  public LocalConfig withTtn(TtnOptions options) {
    return with(b -> b.ttn = options);
  }

  /** Timeouts for slow and idle clients and connection caps of the REST and WebSocket servers. */
  public LocalConfig withLimits(ServerLimits serverLimits) {
    return with(b -> b.limits = serverLimits);
  }

  /** {@code --silent-after} and {@code --confirm-after} (docs/problems.md); zero turns each off. */
  public LocalConfig withAlarms(Duration silent, Duration confirm) {
    return with(
        b -> {
          b.silentAfter = silent;
          b.confirmAfter = confirm;
        });
  }

  /**
   * The alarm rules these options name.
   *
   * @throws IllegalArgumentException when {@link #problems()} names one of them
   */
  public AlarmRules alarms() {
    return new AlarmRules(silentAfter, confirmAfter);
  }

  /** A copy with {@code change} applied: the one place that lists every component. */
  private LocalConfig with(Consumer<Copy> change) {
    Copy b = new Copy(this);
    change.accept(b);
    return new LocalConfig(
        b.dataDir,
        b.bind,
        b.mqttPort,
        b.httpPort,
        b.wsPort,
        b.networkFile,
        b.keepMeasurements,
        b.historyDays,
        b.rejectsKeep,
        b.mqttUsername,
        b.mqttPasswordFile,
        b.env,
        b.clock,
        b.durability,
        b.mqtt,
        b.httpRateLimit,
        b.wsMaxQueued,
        b.ttn,
        b.limits,
        b.notifyFile,
        b.silentAfter,
        b.confirmAfter,
        b.integrityCheck);
  }

  /** The components as mutable fields, for {@link #with}. */
  private static final class Copy {
    Path dataDir;
    String bind;
    int mqttPort;
    int httpPort;
    int wsPort;
    Path networkFile;
    int keepMeasurements;
    int historyDays;
    int rejectsKeep;
    String mqttUsername;
    Path mqttPasswordFile;
    Map<String, String> env;
    Clock clock;
    SqliteDatabase.Durability durability;
    boolean mqtt;
    int httpRateLimit;
    int wsMaxQueued;
    TtnOptions ttn;
    ServerLimits limits;
    Path notifyFile;
    Duration silentAfter;
    Duration confirmAfter;
    SqliteDatabase.IntegrityCheck integrityCheck;

    Copy(LocalConfig c) {
      dataDir = c.dataDir;
      bind = c.bind;
      mqttPort = c.mqttPort;
      httpPort = c.httpPort;
      wsPort = c.wsPort;
      networkFile = c.networkFile;
      keepMeasurements = c.keepMeasurements;
      historyDays = c.historyDays;
      rejectsKeep = c.rejectsKeep;
      mqttUsername = c.mqttUsername;
      mqttPasswordFile = c.mqttPasswordFile;
      env = c.env;
      clock = c.clock;
      durability = c.durability;
      mqtt = c.mqtt;
      httpRateLimit = c.httpRateLimit;
      wsMaxQueued = c.wsMaxQueued;
      ttn = c.ttn;
      limits = c.limits;
      notifyFile = c.notifyFile;
      silentAfter = c.silentAfter;
      confirmAfter = c.confirmAfter;
      integrityCheck = c.integrityCheck;
    }
  }

  /** Whether {@link #bind} is a loopback address (only this machine can connect). */
  public boolean bindsLoopbackOnly() throws UnknownHostException {
    return InetAddress.getByName(bind).isLoopbackAddress();
  }

  private static java.util.Optional<String> alarmProblem(String option, Duration value) {
    if (value == null) {
      return java.util.Optional.of(option + " is missing");
    }
    if (value.isNegative() || value.getNano() != 0) {
      return java.util.Optional.of(
          option
              + " must be whole seconds or more, e.g. 90s, 30m, 3h, 1d (0 turns it off), was "
              + value);
    }
    return java.util.Optional.empty();
  }

  /** What is wrong with this configuration, one sentence each, saying how to fix it. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (dataDir == null || dataDir.toString().isBlank()) {
      // Path.of("") is the working directory: a store and a token file would land wherever the
      // command happened to be started.
      problems.add("--data must name a folder (it was empty)");
    }
    for (var port :
        Map.of("--mqtt-port", mqttPort, "--http-port", httpPort, "--ws-port", wsPort).entrySet()) {
      if (port.getValue() < 0 || port.getValue() > 65_535) {
        problems.add(
            port.getKey() + " " + port.getValue() + " is not a port (0–65535; 0 picks a free one)");
      }
    }
    if (keepMeasurements < 1) {
      problems.add("--keep-measurements must be at least 1, was " + keepMeasurements);
    }
    if (historyDays < 1) {
      problems.add("--history-days must be at least 1, was " + historyDays);
    }
    if (wsMaxQueued < 1) {
      problems.add("the WebSocket queue limit must be at least 1 frame, was " + wsMaxQueued);
    }
    if (httpRateLimit < 0) {
      problems.add("--rate-limit must be at least 0 (0 turns it off), was " + httpRateLimit);
    }
    if (limits == null) {
      problems.add("the server limits are missing");
    } else {
      problems.addAll(limits.problems());
    }
    if (rejectsKeep < 1) {
      problems.add("--rejects-keep must be at least 1, was " + rejectsKeep);
    }
    if ((mqttUsername == null) != (mqttPasswordFile == null)) {
      problems.add("--mqtt-username and --mqtt-password-file go together: give both or neither");
    }
    if (mqttPasswordFile != null && !Files.isReadable(mqttPasswordFile)) {
      problems.add(
          "--mqtt-password-file " + mqttPasswordFile + " does not exist or is not readable");
    }
    problems.addAll(ttn.problems());
    alarmProblem("--silent-after", silentAfter).ifPresent(problems::add);
    alarmProblem("--confirm-after", confirmAfter).ifPresent(problems::add);
    try {
      if (!bindsLoopbackOnly() && (mqttUsername == null || mqttPasswordFile == null)) {
        problems.add(
            "--bind "
                + bind
                + " lets other machines connect, so MQTT needs credentials: add --mqtt-username NAME"
                + " --mqtt-password-file FILE (a file holding the password), or bind 127.0.0.1");
      }
    } catch (UnknownHostException e) {
      problems.add("--bind " + bind + " is not an address of this machine");
    }
    return problems;
  }
}
