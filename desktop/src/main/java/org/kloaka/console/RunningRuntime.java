package org.kloaka.console;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.kloaka.local.FreePorts;
import org.kloaka.local.LocalConfig;
import org.kloaka.local.StartupException;
import org.kloaka.local.auth.ApiToken;

/**
 * A Kloaka runtime that already holds the embedded runtime's ports (started headless, or by another
 * console): the console connects to it instead of failing to start a second one (decision 029).
 * Only a server whose {@code GET /health} answers as Kloaka's does counts; anything else on the
 * port is left to the runtime's own one-line "port in use" error.
 */
final class RunningRuntime {

  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

  private RunningRuntime() {}

  /**
   * The endpoints of the Kloaka runtime on {@code config}'s ports, or null when its HTTP port is
   * free or held by something that is not Kloaka.
   *
   * @param envToken {@code KLOAKA_API_TOKEN}, or null
   * @throws StartupException when a Kloaka runtime answers but its token cannot be found
   */
  static Endpoints find(LocalConfig config, String envToken) {
    if (config.httpPort() == 0) {
      return null; // free ports asked for: never someone else's
    }
    String host = loopbackFor(config.bind());
    InetAddress bind;
    try {
      bind = InetAddress.getByName(config.bind());
    } catch (UnknownHostException e) {
      return null; // the runtime's own start reports the bad address
    }
    if (FreePorts.bindable(bind, config.httpPort())) {
      return null;
    }
    URI http = URI.create("http://" + host + ":" + config.httpPort());
    if (!answersAsKloaka(http)) {
      return null;
    }
    URI ws = URI.create("ws://" + host + ":" + config.wsPort());
    URI mqtt = config.mqtt() ? URI.create("mqtt://" + host + ":" + config.mqttPort()) : null;
    String token = envToken != null && !envToken.isBlank() ? envToken.strip() : tokenFile(config);
    if (token == null) {
      throw new StartupException(
          "a Kloaka runtime already runs on "
              + http
              + " but its token is not in "
              + config.dataDir().resolve(ApiToken.FILE_NAME)
              + ": connect with --backend "
              + http
              + " --ws "
              + ws
              + " --token T (or set KLOAKA_API_TOKEN)");
    }
    return new Endpoints(http, ws, mqtt, token);
  }

  /** Whether {@code GET /health} answers 200 with Kloaka's {@code {"status": "ok"}}. */
  static boolean answersAsKloaka(URI http) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build();
    HttpRequest request =
        HttpRequest.newBuilder(http.resolve("/health")).timeout(PROBE_TIMEOUT).GET().build();
    try {
      HttpResponse<String> answer = client.send(request, HttpResponse.BodyHandlers.ofString());
      return answer.statusCode() == 200
          && answer.body().replace(" ", "").contains("\"status\":\"ok\"");
    } catch (IOException | IllegalArgumentException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String tokenFile(LocalConfig config) {
    Path file = config.dataDir().resolve(ApiToken.FILE_NAME);
    try {
      String token = Files.readString(file, StandardCharsets.UTF_8).strip();
      return token.isEmpty() ? null : token;
    } catch (IOException e) {
      return null;
    }
  }

  /** A wildcard bind is reached on loopback. */
  private static String loopbackFor(String bind) {
    if (bind == null || bind.equals("0.0.0.0") || bind.equals("::")) {
      return "127.0.0.1";
    }
    return bind.contains(":") ? "[" + bind + "]" : bind;
  }
}
