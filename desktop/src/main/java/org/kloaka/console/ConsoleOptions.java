package org.kloaka.console;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.kloaka.time.DurationText;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** The console's command line (README.md, "Run"). */
@Command(
    name = "kloaka-console",
    mixinStandardHelpOptions = true,
    version = "Kloaka console 0.1",
    description = {
      "The operator's console. With no options it starts the local runtime in-process and connects"
          + " to it; --backend/--ws/--token connect to a running backend (local or AWS) instead."
    })
public final class ConsoleOptions {

  @Option(
      names = "--backend",
      paramLabel = "URL",
      description =
          "REST base URL of a running backend, e.g. https://abc.execute-api.eu-central-1.amazonaws.com")
  URI backend;

  @Option(
      names = "--ws",
      paramLabel = "URL",
      description =
          "WebSocket URL of that backend, e.g. wss://xyz.execute-api.eu-central-1.amazonaws.com/prod")
  URI ws;

  @Option(
      names = "--token",
      paramLabel = "T",
      description = "API token (default: env KLOAKA_API_TOKEN)")
  String token;

  @Option(
      names = "--demo",
      description = "Also start simulated devices that publish over MQTT (embedded runtime only)")
  boolean demo;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Data directory of the embedded runtime (default: ~/.kloaka)")
  Path data;

  @Option(
      names = "--network",
      paramLabel = "FILE",
      description =
          "Network file for the embedded runtime (with --demo: the demo's own by default)")
  Path network;

  @Option(
      names = "--stale-after",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "1h",
      description =
          "Sensors silent longer than this look stale: 90m, 1h, 2d or ISO PT1H (default: ${DEFAULT-VALUE})")
  Duration staleAfter;

  @Option(
      names = "--tiles",
      paramLabel = "URL",
      defaultValue = "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
      description = "Map tile URL template, or 'none' (default: ${DEFAULT-VALUE})")
  String tiles;

  @Option(names = "--large-text", description = "Start with large text (for a wall screen)")
  boolean largeText;

  /** Why these options cannot work together, or null. */
  String whyInvalid(String envToken) {
    boolean remote = backend != null || ws != null;
    if (remote && (backend == null || ws == null)) {
      return "--backend and --ws go together: give both URLs of the running backend";
    }
    if (remote && !hasSchemeAndHost(backend, "http", "https")) {
      return "--backend must be an http:// or https:// URL with a host, not '" + backend + "'";
    }
    if (remote && !hasSchemeAndHost(ws, "ws", "wss")) {
      return "--ws must be a ws:// or wss:// URL with a host, not '" + ws + "'";
    }
    if (remote && token() == null && (envToken == null || envToken.isBlank())) {
      return "a running backend needs its API token: --token T or env KLOAKA_API_TOKEN";
    }
    if (remote && demo) {
      return "--demo runs with the embedded runtime only (its devices publish to its broker)";
    }
    if (staleAfter.isNegative() || staleAfter.isZero()) {
      return "--stale-after must be positive";
    }
    return null;
  }

  private static boolean hasSchemeAndHost(URI url, String... schemes) {
    return url.getScheme() != null
        && java.util.Arrays.asList(schemes)
            .contains(url.getScheme().toLowerCase(java.util.Locale.ROOT))
        && url.getHost() != null;
  }

  boolean remote() {
    return backend != null;
  }

  String token() {
    return token == null || token.isBlank() ? null : token;
  }

  String tileUrl() {
    return tiles == null || tiles.isBlank() || tiles.equalsIgnoreCase("none") ? null : tiles;
  }

  /** The one duration syntax of Kloaka ({@link DurationText}): 90s, 90m, 1h, 2d, PT1H. */
  public static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String text) {
      try {
        return DurationText.parse(text);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
