package org.kloaka.local.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kloaka.local.RunningRuntime.get;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.local.LocalConfig;
import org.kloaka.local.LocalRuntime;

/** The runtime started with --mqtt-username/--mqtt-password-file takes only those credentials. */
class MqttCredentialsEndToEndTest {

  @TempDir static Path dir;
  static LocalRuntime runtime;

  @BeforeAll
  static void start() throws Exception {
    Path passwordFile = Files.writeString(dir.resolve("mqtt-password"), "tr0ub4dor&3\n");
    runtime =
        LocalRuntime.start(
            LocalConfig.defaults()
                .withDataDir(dir.resolve("data"))
                .withPorts(0, 0, 0)
                .withEnv(Map.of())
                .withMqttCredentials("gateway", passwordFile));
  }

  @AfterAll
  static void stop() {
    if (runtime != null) {
      runtime.close();
    }
  }

  static void publishAs(String username, String password, String id) throws Exception {
    MqttConnectOptions options = Mqtt.options();
    if (username != null) {
      options.setUserName(username);
      options.setPassword(password.toCharArray());
    }
    MqttAsyncClient client = Mqtt.client(runtime.mqttUri().toString());
    try {
      client.connect(options).waitForCompletion(10_000);
      client
          .publish(Mqtt.TOPIC, MqttIngestEndToEndTest.plain(id, "100"), 1, false)
          .waitForCompletion(10_000);
    } finally {
      Mqtt.closeQuietly(client);
    }
  }

  @Test
  void theConfiguredCredentialsAreAcceptedAndTheirMessagesStored() throws Exception {
    publishAs("gateway", "tr0ub4dor&3", "21");

    assertThat(get(runtime, "/devices/21").path("last_value").asText()).isEqualTo("100");
  }

  @Test
  void aBadPasswordOrNoneIsRefusedAndNothingIsStored() throws Exception {
    assertThatThrownBy(() -> publishAs("gateway", "tr0ub4dor&4", "22"))
        .isInstanceOf(MqttSecurityException.class);
    assertThatThrownBy(() -> publishAs(null, null, "23")).isInstanceOf(MqttSecurityException.class);

    assertThat(get(runtime, "/devices").path("devices"))
        .extracting(d -> d.path("id").asText())
        .doesNotContain("22", "23");
  }
}
