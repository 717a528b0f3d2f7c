package org.kloaka.local.bench;

import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The bare broker's subscriber: QoS 0, counts and drops what it gets. QoS 0 because HiveMQ's QoS 1
 * delivery to one subscriber was measured at only ~1k msg/s: a QoS 1 subscriber would measure the
 * subscriber's leg, not what a broker can take in.
 */
final class NullSubscriber implements AutoCloseable {

  private final MqttAsyncClient client;
  private final AtomicLong received = new AtomicLong();

  private NullSubscriber(MqttAsyncClient client) {
    this.client = client;
  }

  static NullSubscriber connect(String uri, String topic) throws MqttException {
    MqttAsyncClient client = new MqttAsyncClient(uri, "bench-subscriber", new MemoryPersistence());
    NullSubscriber subscriber = new NullSubscriber(client);
    client.setCallback(
        new MqttCallback() {
          @Override
          public void connectionLost(Throwable cause) {}

          @Override
          public void messageArrived(String t, MqttMessage message) {
            subscriber.received.incrementAndGet();
          }

          @Override
          public void deliveryComplete(IMqttDeliveryToken token) {}
        });
    try {
      MqttConnectOptions options = new MqttConnectOptions();
      options.setCleanSession(true);
      options.setConnectionTimeout(30);
      client.connect(options).waitForCompletion(30_000);
      client.subscribe(topic, 0).waitForCompletion(30_000);
    } catch (MqttException e) {
      Publisher.closeQuietly(client);
      throw e;
    }
    return subscriber;
  }

  long received() {
    return received.get();
  }

  @Override
  public void close() {
    Publisher.closeQuietly(client);
  }
}
