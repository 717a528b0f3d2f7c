package org.kloaka.local.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Paho helpers for tests: in-memory persistence, never files in the working directory. */
public final class Mqtt {

  public static final String TOPIC = "kloaka_from_device";

  private Mqtt() {}

  public static MqttAsyncClient client(String uri) throws MqttException {
    return new MqttAsyncClient(
        uri, "test-" + UUID.randomUUID().toString().substring(0, 8), new MemoryPersistence());
  }

  public static MqttConnectOptions options() {
    MqttConnectOptions options = new MqttConnectOptions();
    options.setCleanSession(true);
    options.setAutomaticReconnect(false);
    options.setMaxInflight(1000);
    options.setConnectionTimeout(10);
    return options;
  }

  /** A connected client (anonymous). */
  public static MqttAsyncClient connect(String uri) throws MqttException {
    MqttAsyncClient client = client(uri);
    client.connect(options()).waitForCompletion(10_000);
    return client;
  }

  public static MqttMessage message(String text, int qos) {
    MqttMessage message = new MqttMessage(text.getBytes(StandardCharsets.UTF_8));
    message.setQos(qos);
    return message;
  }

  /** A listener that completes {@code done} when the action (a PUBACK, a connect) succeeds. */
  public static IMqttActionListener completing(CompletableFuture<Void> done) {
    return new IMqttActionListener() {
      @Override
      public void onSuccess(IMqttToken token) {
        done.complete(null);
      }

      @Override
      public void onFailure(IMqttToken token, Throwable error) {
        done.completeExceptionally(error);
      }
    };
  }

  /** Disconnects and closes, whatever state the client is in. */
  public static void closeQuietly(MqttAsyncClient client) {
    if (client == null) {
      return;
    }
    try {
      if (client.isConnected()) {
        client.disconnectForcibly(1000, 1000);
      }
      client.close(true);
    } catch (MqttException e) {
      // The test is over; a client that will not close is not what it tested.
      org.slf4j.LoggerFactory.getLogger(Mqtt.class).debug("closing a test client", e);
    }
  }
}
