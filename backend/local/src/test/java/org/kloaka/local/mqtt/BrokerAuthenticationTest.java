package org.kloaka.local.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With credentials configured, the broker takes only that username and password. */
class BrokerAuthenticationTest {

  @TempDir static Path data;
  private static final RecordingSink sink = new RecordingSink();
  private static EmbeddedBroker broker;

  @BeforeAll
  static void startBroker() {
    MqttCredentials credentials =
        new MqttCredentials("gateway", "correct horse".getBytes(StandardCharsets.UTF_8));
    broker = EmbeddedBroker.start(BrokerConfig.loopback(data).withCredentials(credentials), sink);
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  private static MqttConnectOptions as(String username, String password) {
    MqttConnectOptions options = Mqtt.options();
    if (username != null) {
      options.setUserName(username);
    }
    if (password != null) {
      options.setPassword(password.toCharArray());
    }
    return options;
  }

  private static void connectAndPublish(MqttConnectOptions options) throws MqttException {
    MqttAsyncClient client = Mqtt.client(broker.uri());
    try {
      client.connect(options).waitForCompletion(10_000);
      client
          .publish(Mqtt.TOPIC, Mqtt.message("{\"id\":\"01\",\"filling\":\"100\"}", 1))
          .waitForCompletion(10_000);
    } finally {
      Mqtt.closeQuietly(client);
    }
  }

  @Test
  void theConfiguredUsernameAndPasswordAreAccepted() throws Exception {
    sink.clear();

    connectAndPublish(as("gateway", "correct horse"));

    assertThat(sink.texts()).containsExactly("{\"id\":\"01\",\"filling\":\"100\"}");
  }

  @Test
  void aWrongPasswordIsRefused() {
    assertThatThrownBy(() -> connectAndPublish(as("gateway", "wrong horse")))
        .isInstanceOf(MqttSecurityException.class)
        .extracting(e -> ((MqttException) e).getReasonCode())
        .isEqualTo((int) MqttException.REASON_CODE_FAILED_AUTHENTICATION);
  }

  @Test
  void aWrongUsernameIsRefused() {
    assertThatThrownBy(() -> connectAndPublish(as("other", "correct horse")))
        .isInstanceOf(MqttSecurityException.class);
  }

  @Test
  void anAnonymousClientIsRefused() {
    assertThatThrownBy(() -> connectAndPublish(as(null, null)))
        .isInstanceOf(MqttSecurityException.class);
  }
}
