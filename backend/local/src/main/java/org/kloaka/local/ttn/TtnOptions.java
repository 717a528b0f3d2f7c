package org.kloaka.local.ttn;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code --ttn-…} options: where The Things Stack's MQTT server is, the application (the MQTT
 * username {@code APP@TENANT}), the file holding its API key, an optional CA for a private server,
 * and optionally the API base whose Storage Integration fills the gaps after an outage
 * (docs/ttn.md).
 *
 * @param mqtt e.g. {@code mqtts://eu1.cloud.thethings.network:8883}, or {@code null} when off
 * @param app e.g. {@code kloaka@ttn}
 * @param keyFile the API key's file, readable by its owner only
 * @param ca a PEM file of CA certificates to trust instead of the JVM's, or {@code null}
 * @param storage e.g. {@code https://eu1.cloud.thethings.network}, or {@code null}
 */
public record TtnOptions(URI mqtt, String app, Path keyFile, Path ca, URI storage) {

  /** TTN not used. */
  public static final TtnOptions OFF = new TtnOptions(null, null, null, null, null);

  public boolean enabled() {
    return mqtt != null;
  }

  /** The application id: {@code app} without {@code @TENANT}. */
  public String applicationId() {
    return app.substring(0, app.indexOf('@'));
  }

  /** The MQTT address as Paho spells it: {@code ssl://host:port} or {@code tcp://host:port}. */
  public String pahoUri() {
    boolean tls = tls();
    int port = mqtt.getPort() > 0 ? mqtt.getPort() : tls ? 8883 : 1883;
    return (tls ? "ssl://" : "tcp://") + mqtt.getHost() + ":" + port;
  }

  /** Whether the connection is encrypted ({@code mqtts://} or {@code ssl://}). */
  public boolean tls() {
    String scheme = mqtt.getScheme().toLowerCase(Locale.ROOT);
    return scheme.equals("mqtts") || scheme.equals("ssl");
  }

  /** Parses {@code --ttn-mqtt} / {@code --ttn-storage} text; null stays null. */
  public static URI uri(String text) {
    if (text == null) {
      return null;
    }
    try {
      return new URI(text.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + text + "' is not a URL: " + e.getReason(), e);
    }
  }

  /** What is wrong with these options, one sentence each; empty when fine or off. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    boolean any = mqtt != null || app != null || keyFile != null || ca != null || storage != null;
    if (!any) {
      return problems;
    }
    if (mqtt == null || app == null || keyFile == null) {
      problems.add(
          "--ttn-mqtt, --ttn-app and --ttn-key-file go together (--ttn-ca and --ttn-storage are"
              + " optional): give all three to take uplinks from The Things Stack's MQTT server");
      return problems;
    }
    String scheme = mqtt.getScheme() == null ? "" : mqtt.getScheme().toLowerCase(Locale.ROOT);
    if (!List.of("mqtts", "ssl", "mqtt", "tcp").contains(scheme) || mqtt.getHost() == null) {
      problems.add(
          "--ttn-mqtt "
              + mqtt
              + " is not an MQTT address: write mqtts://HOST:8883 (e.g."
              + " mqtts://eu1.cloud.thethings.network:8883)");
    }
    int at = app.indexOf('@');
    if (at < 1 || at == app.length() - 1 || app.indexOf('@', at + 1) >= 0 || app.isBlank()) {
      problems.add(
          "--ttn-app "
              + app
              + " must be APPLICATION@TENANT, e.g. kloaka@ttn on The Things Network");
    }
    if (!Files.isReadable(keyFile)) {
      problems.add("--ttn-key-file " + keyFile + " does not exist or is not readable");
    }
    if (ca != null && !Files.isReadable(ca)) {
      problems.add("--ttn-ca " + ca + " does not exist or is not readable");
    }
    if (storage != null) {
      String s = storage.getScheme() == null ? "" : storage.getScheme().toLowerCase(Locale.ROOT);
      if (!List.of("https", "http").contains(s) || storage.getHost() == null) {
        problems.add(
            "--ttn-storage "
                + storage
                + " is not an HTTP address: write the API base, e.g."
                + " https://eu1.cloud.thethings.network");
      }
    }
    return problems;
  }
}
