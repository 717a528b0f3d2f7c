package org.kloaka.local.mqtt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.kloaka.local.LocalConfig;
import org.kloaka.local.LocalRuntime;

/**
 * Publish → stored throughput of the whole local runtime over MQTT: not a test, a figure to quote.
 * One Paho client keeps {@code inFlight} QoS 1 messages in flight over {@code sensors} sensors; a
 * message counts when its PUBACK arrived, i.e. when it is committed.
 *
 * <p>Run: {@code java -cp <test class path> org.kloaka.local.mqtt.MqttBenchmark [seconds] [sensors]
 * [inFlight]}.
 */
public final class MqttBenchmark {

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int sensors = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int inFlight = args.length > 2 ? Integer.parseInt(args[2]) : 500;
    Path dir = Files.createTempDirectory("kloaka-mqtt-bench");
    long t0 = System.nanoTime();
    try (LocalRuntime runtime =
        LocalRuntime.start(
            LocalConfig.defaults().withDataDir(dir).withPorts(0, 0, 0).withEnv(Map.of()))) {
      long startMs = (System.nanoTime() - t0) / 1_000_000;
      MqttAsyncClient client = Mqtt.connect(runtime.mqttUri().toString());
      Semaphore window = new Semaphore(inFlight);
      AtomicLong acked = new AtomicLong();
      IMqttActionListener listener =
          new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
              acked.incrementAndGet();
              window.release();
            }

            @Override
            public void onFailure(IMqttToken token, Throwable error) {
              window.release();
            }
          };
      byte[][] payloads = new byte[sensors * 3][];
      for (int i = 0; i < payloads.length; i++) {
        int sensor = i % sensors;
        String id = (sensor / 100 + 10) + "-" + (sensor % 100 + 1);
        payloads[i] =
            MqttIngestEndToEndTest.plain(id, new String[] {"100", "50", "0"}[(i / sensors) % 3]);
      }
      long warm = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      long end = warm + TimeUnit.SECONDS.toNanos(seconds);
      long ackedAtWarm = -1;
      int seq = 0;
      while (System.nanoTime() < end) {
        if (ackedAtWarm < 0 && System.nanoTime() >= warm) {
          ackedAtWarm = acked.get();
        }
        if (window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          client.publish(Mqtt.TOPIC, payloads[seq++ % payloads.length], 1, false, null, listener);
        }
      }
      long measured = acked.get() - ackedAtWarm;
      Mqtt.closeQuietly(client);
      long stopStart = System.nanoTime();
      runtime.close();
      System.out.printf(
          "runtime start %d ms; publish→stored %.0f msg/s (QoS 1, %d in flight, %d sensors, %d s);"
              + " %d batches for %d stored; runtime stop %d ms%n",
          startMs,
          measured / (double) seconds,
          inFlight,
          sensors,
          seconds,
          runtime.pipeline().batchCount(),
          runtime.pipeline().storedCount(),
          (System.nanoTime() - stopStart) / 1_000_000);
    }
  }
}
