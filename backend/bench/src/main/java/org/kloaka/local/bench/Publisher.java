package org.kloaka.local.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated devices' MQTT side: several Paho async connections publishing QoS 1 on {@code
 * kloaka_from_device}, each with at most {@code window} messages awaiting their PUBACK. A sensor
 * always publishes through the connection of its tube, so one sensor's messages stay in order.
 *
 * <p>The same publisher drives both legs of the benchmark (the bare broker and the runtime), so
 * their figures differ only by what the broker does with a message.
 */
final class Publisher implements AutoCloseable {

  static final String TOPIC = "kloaka_from_device";

  private static final Logger log = LoggerFactory.getLogger(Publisher.class);

  private final Fleet fleet;
  private final List<MqttAsyncClient> clients;
  private final List<Semaphore> windows;
  private final int window;
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final IMqttActionListener onAck;

  private Publisher(Fleet fleet, List<MqttAsyncClient> clients, int window) {
    this.fleet = fleet;
    this.clients = clients;
    this.window = window;
    this.windows = new ArrayList<>();
    for (int i = 0; i < clients.size(); i++) {
      windows.add(new Semaphore(window));
    }
    this.onAck = new Acknowledgements();
  }

  /** Connects {@code connections} clients to {@code uri}. */
  static Publisher connect(String uri, int connections, int window, Fleet fleet)
      throws MqttException {
    List<MqttAsyncClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < connections; i++) {
        MqttAsyncClient client =
            new MqttAsyncClient(uri, "bench-publisher-" + i, new MemoryPersistence());
        clients.add(client);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        // Paho refuses a publish beyond this; our own window (a semaphore) stays below it.
        options.setMaxInflight(window + 16);
        options.setConnectionTimeout(30);
        options.setKeepAliveInterval(60);
        client.connect(options).waitForCompletion(30_000);
      }
    } catch (MqttException | RuntimeException e) {
      clients.forEach(Publisher::closeQuietly);
      throw e;
    }
    return new Publisher(fleet, clients, window);
  }

  /** Results of a flat-out run. */
  record FlatOut(long acked, double seconds, ThreadCpu.Usage cpu, String waits) {
    double perSecond() {
      return acked / seconds;
    }
  }

  /**
   * Publishes as fast as the windows allow — one thread per connection, each cycling through the
   * sensors of its tubes — for {@code warmup} plus {@code measure}, and counts the PUBACKs received
   * during {@code measure}, with the CPU each thread group used meanwhile and where the time of the
   * thread in {@code waits} went. Returns after every message is acknowledged.
   */
  FlatOut flatOut(Duration warmup, Duration measure, Optional<ThreadWaits> waits)
      throws InterruptedException {
    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> threads = publishWhile(running);
    Thread.sleep(warmup.toMillis());
    ThreadCpu cpu = new ThreadCpu();
    cpu.begin();
    waits.ifPresent(ThreadWaits::begin);
    long ackedBefore = acked.get();
    long start = System.nanoTime();
    Thread.sleep(measure.toMillis());
    long ackedAfter = acked.get();
    double seconds = (System.nanoTime() - start) / 1e9;
    ThreadCpu.Usage cpuUse = cpu.end();
    String waited = waits.map(ThreadWaits::end).orElse("unavailable");
    running.set(false);
    for (Thread thread : threads) {
      thread.join();
    }
    awaitAllAcknowledged(Duration.ofMinutes(2));
    return new FlatOut(ackedAfter - ackedBefore, seconds, cpuUse, waited);
  }

  /**
   * Publishes as fast as the windows allow until {@code running} is cleared, then returns once
   * every message is acknowledged.
   */
  void flatOutWhile(AtomicBoolean running) throws InterruptedException {
    for (Thread thread : publishWhile(running)) {
      thread.join();
    }
    awaitAllAcknowledged(Duration.ofMinutes(2));
  }

  /** One thread per connection, each cycling through the sensors of its tubes, started. */
  private List<Thread> publishWhile(AtomicBoolean running) {
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients.size(); c++) {
      int connection = c;
      int[] sensors = sensorsOf(connection);
      if (sensors.length == 0) {
        continue;
      }
      Thread thread =
          new Thread(
              () -> {
                int i = 0;
                while (running.get()) {
                  int sensor = sensors[i++ % sensors.length];
                  if (!publish(connection, fleet.nextMessage(sensor, System.nanoTime()))) {
                    return;
                  }
                }
              },
              "bench-publisher-" + c);
      thread.setDaemon(true);
      threads.add(thread);
    }
    threads.forEach(Thread::start);
    return threads;
  }

  private int[] sensorsOf(int connection) {
    return java.util.stream.IntStream.range(0, fleet.size())
        .filter(s -> connectionOf(s) == connection)
        .toArray();
  }

  int connectionOf(int sensor) {
    return fleet.tubeOf(sensor) % clients.size();
  }

  /** Publishes the next normal message of {@code sensor}. */
  boolean publishNext(int sensor) {
    return publish(connectionOf(sensor), fleet.nextMessage(sensor, System.nanoTime()));
  }

  /** Publishes {@code payload} for {@code sensor}'s tube (in order with its normal messages). */
  boolean publishFor(int sensor, byte[] payload) {
    return publish(connectionOf(sensor), payload);
  }

  /**
   * Publishes through one connection, waiting while its window is full.
   *
   * @return false when the connection refused it (counted as failed)
   */
  private boolean publish(int connection, byte[] payload) {
    Semaphore free = windows.get(connection);
    try {
      free.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    try {
      clients.get(connection).publish(TOPIC, payload, 1, false, free, onAck);
      published.incrementAndGet();
      return true;
    } catch (MqttException e) {
      free.release();
      failed.incrementAndGet();
      log.error("Publishing through connection {} failed", connection, e);
      return false;
    }
  }

  /** Waits until every published message has its PUBACK (or failed). */
  void awaitAllAcknowledged(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Semaphore free : windows) {
      long left = deadline - System.nanoTime();
      if (!free.tryAcquire(window, Math.max(0, left), TimeUnit.NANOSECONDS)) {
        throw new IllegalStateException(
            "messages still unacknowledged after "
                + timeout.toSeconds()
                + " s: "
                + (published.get() - acked.get() - failed.get()));
      }
      free.release(window);
    }
  }

  long published() {
    return published.get();
  }

  long acked() {
    return acked.get();
  }

  long failed() {
    return failed.get();
  }

  private final class Acknowledgements implements IMqttActionListener {
    @Override
    public void onSuccess(IMqttToken token) {
      acked.incrementAndGet();
      ((Semaphore) token.getUserContext()).release();
    }

    @Override
    public void onFailure(IMqttToken token, Throwable error) {
      failed.incrementAndGet();
      ((Semaphore) token.getUserContext()).release();
      log.error("A publish was not acknowledged", error);
    }
  }

  @Override
  public void close() {
    clients.forEach(Publisher::closeQuietly);
  }

  static void closeQuietly(MqttAsyncClient client) {
    try {
      if (client.isConnected()) {
        client.disconnect(5_000).waitForCompletion(10_000);
      }
      client.close(true);
    } catch (MqttException e) {
      log.warn("Closing MQTT client {} failed", client.getClientId(), e);
    }
  }
}
