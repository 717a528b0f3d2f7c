package org.kloaka.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Random;
import java.util.concurrent.Executor;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.kloaka.console.demo.DemoDevices;
import org.kloaka.local.LocalConfig;
import org.kloaka.local.LocalRuntime;
import org.kloaka.local.auth.ApiToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's default mode: the local runtime in this JVM, and with {@code --demo} simulated
 * devices that publish to its broker. When a Kloaka runtime already holds the ports, the console
 * connects to it instead ({@link RunningRuntime}).
 */
public final class Embedded {

  private static final Logger log = LoggerFactory.getLogger(Embedded.class);

  private Embedded() {}

  static ConsoleSession start(ConsoleOptions options) {
    LocalConfig config = LocalConfig.defaults();
    Path network = options.network;
    Path scratch = null;
    if (options.demo) {
      // The demo never writes into the operator's real data folder, and takes free ports.
      scratch = options.data != null ? null : temporaryFolder();
      Path data = options.data != null ? options.data : scratch;
      config = config.withDataDir(data).withPorts(0, 0, 0);
      if (network == null) {
        network = writeDemoNetwork(data);
      }
    } else if (options.data != null) {
      config = config.withDataDir(options.data);
    }
    if (network != null) {
      config = config.withNetworkFile(network);
    }
    ConsoleSession session = start(config, options.demo, Launcher::onFxThread, options.staleAfter);
    if (scratch != null) {
      Path folder = scratch;
      session.ownLast(() -> deleteTree(folder)); // the demo's data and token go with it
    }
    return session;
  }

  static void deleteTree(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (var paths = Files.walk(folder)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /**
   * Starts a runtime with {@code config} and a session connected to it; the session owns (and
   * closes) the runtime and, with {@code demo}, the simulated devices.
   */
  public static ConsoleSession start(
      LocalConfig config, boolean demo, Executor ui, Duration staleAfter) {
    if (!demo) {
      Endpoints running = RunningRuntime.find(config, config.env().get(ApiToken.ENV));
      if (running != null) {
        log.info(
            "a Kloaka runtime already runs on {}: the console connects to it instead of starting"
                + " its own",
            running.http());
        return new ConsoleSession(
            running,
            ui,
            Clock.systemDefaultZone(),
            ZoneId.systemDefault(),
            staleAfter,
            Duration.ofSeconds(20));
      }
    }
    LocalRuntime runtime = LocalRuntime.start(config);
    log.info(runtime.readyLine());
    Endpoints endpoints =
        new Endpoints(runtime.httpUri(), runtime.wsUri(), runtime.mqttUri(), runtime.token());
    ConsoleSession session =
        new ConsoleSession(
            endpoints,
            ui,
            Clock.systemDefaultZone(),
            ZoneId.systemDefault(),
            staleAfter,
            Duration.ofSeconds(20));
    session.own(runtime);
    if (demo) {
      DemoDevices devices = new DemoDevices(publisher(runtime), Clock.systemUTC(), new Random());
      session.own(devices);
      devices.start(Duration.ofMillis(1500), runtime::sweepSilentSensors);
    }
    return session;
  }

  /** Over MQTT when the runtime's broker answers; straight into its pipeline otherwise. */
  static DemoDevices.Publisher publisher(LocalRuntime runtime) {
    try {
      return DemoDevices.mqtt(runtime.mqttUri(), new Random());
    } catch (MqttException e) {
      log.warn(
          "no MQTT broker at {} ({}); the demo devices hand their uplinks to the runtime directly",
          runtime.mqttUri(),
          e.getMessage());
      // Returns once stored, as a QoS 1 publish does.
      return payload -> runtime.pipeline().submit(payload).join();
    }
  }

  private static Path temporaryFolder() {
    try {
      return Files.createTempDirectory("kloaka-demo-");
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot create a folder for the demo's data: " + e.getMessage(), e);
    }
  }

  private static Path writeDemoNetwork(Path data) {
    try {
      Files.createDirectories(data);
      return Files.write(data.resolve("demo-network.json"), DemoDevices.networkBytes());
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the demo's network file: " + e.getMessage(), e);
    }
  }
}
