package org.kloaka.local.ttn;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.kloaka.core.ingest.IngestSources;
import org.kloaka.local.ingest.IngestPipeline;
import org.kloaka.local.ingest.UplinkLedger;
import org.kloaka.local.ingest.UplinkLedger.UplinkKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Things Stack's MQTT server as an ingest source (docs/ttn.md): connects out as a client,
 * subscribes to {@code v3/APP@TENANT/devices/+/up} (TTN offers QoS 0 only), and hands every uplink
 * to the same {@link IngestPipeline} as the embedded broker, in arrival order.
 *
 * <p>It never gives up and never stops the runtime: a wrong key, a bad certificate or a dead server
 * is logged (without the key), shown in {@code GET /status} as the {@code ttn} source's error, and
 * tried again with exponential backoff (doubling, capped, with jitter). After every connection a
 * {@link StorageBackfill}, when configured, fetches what was missed while disconnected; it starts
 * from the newest uplink stored <em>before</em> subscribing, so live uplinks that arrive meanwhile
 * cannot move its starting point past the gap (docs/decisions/021).
 */
public final class TtnMqttSource implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TtnMqttSource.class);

  private final TtnOptions options;
  private final TtnKey key;
  private final IngestPipeline pipeline;
  private final UplinkLedger ledger;
  private final StorageBackfill backfill;
  private final IngestSources.Source status;
  private final Duration firstBackoff;
  private final Duration maxBackoff;
  private final String topic;
  private final Thread thread;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private boolean closed; // guarded by lock
  private boolean lost; // guarded by lock
  private MqttClient client; // guarded by lock
  private String lastError;
  private int failures;

  /**
   * @param backfill fills the gaps after each connection, or {@code null}
   */
  public TtnMqttSource(
      TtnOptions options,
      TtnKey key,
      IngestPipeline pipeline,
      UplinkLedger ledger,
      StorageBackfill backfill,
      IngestSources.Source status,
      Duration firstBackoff,
      Duration maxBackoff) {
    this.options = options;
    this.key = key;
    this.pipeline = pipeline;
    this.ledger = ledger;
    this.backfill = backfill;
    this.status = status;
    this.firstBackoff = firstBackoff;
    this.maxBackoff = maxBackoff;
    this.topic = "v3/" + options.app() + "/devices/+/up";
    this.thread = new Thread(this::run, "kloaka-ttn-mqtt");
    thread.setDaemon(true);
  }

  /** Starts connecting in the background; returns at once. */
  public TtnMqttSource start() {
    status.state("connecting");
    thread.start();
    log.info(
        "The Things Stack: connecting to {} as {} for {}", options.pahoUri(), options.app(), topic);
    return this;
  }

  /** The topic subscribed to. */
  public String topic() {
    return topic;
  }

  private void run() {
    Duration backoff = firstBackoff;
    while (!isClosed()) {
      OptionalLong cursor = backfill == null ? OptionalLong.empty() : ledger.newestNanos();
      boolean connected = false;
      try {
        status.state("connecting");
        connect();
        connected = true;
        failures = 0;
        lastError = null;
        status.state("connected", null);
        log.info("The Things Stack: connected to {}, subscribed to {}", options.pahoUri(), topic);
        backoff = firstBackoff;
        runBackfill(cursor);
        awaitLoss();
      } catch (MqttException e) {
        failed(explain(e));
      } catch (RuntimeException e) {
        log.error("The Things Stack: unexpected failure; trying again", e);
        failed("unexpected failure: " + e.getMessage());
      } finally {
        disconnect();
      }
      if (isClosed()) {
        break;
      }
      if (connected) {
        status.state("disconnected");
      }
      pause(jitter(backoff));
      backoff =
          backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
    }
    status.state("off");
  }

  private void connect() throws MqttException {
    MqttClient next =
        new MqttClient(
            options.pahoUri(),
            "kloaka-" + HexFormat.of().formatHex(randomBytes()),
            new MemoryPersistence());
    next.setCallback(new Callback());
    MqttConnectOptions connect = new MqttConnectOptions();
    connect.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    connect.setCleanSession(true);
    connect.setAutomaticReconnect(false); // this loop reconnects, with backfill
    connect.setConnectionTimeout(10);
    connect.setKeepAliveInterval(30);
    connect.setUserName(options.app());
    connect.setPassword(key.password());
    if (options.tls()) {
      connect.setSocketFactory(TtnTls.socketFactory(options.ca()));
      connect.setHttpsHostnameVerificationEnabled(true);
    }
    lock.lock();
    try {
      if (closed) {
        next.close();
        return;
      }
      client = next;
      lost = false;
    } finally {
      lock.unlock();
    }
    next.connect(connect);
    next.subscribe(topic, 0);
  }

  private void runBackfill(OptionalLong cursor) {
    if (backfill == null) {
      return;
    }
    Duration retry = firstBackoff;
    while (!isClosed() && !isLost()) {
      try {
        StorageBackfill.Result result = backfill.run(cursor);
        log.info(
            "The Things Stack storage: {} uplinks fetched, {} new, in {} ms",
            result.fetched(),
            result.stored(),
            result.millis());
        return;
      } catch (StorageBackfill.BackfillException e) {
        log.warn("The Things Stack storage: backfill failed ({}); trying again", e.getMessage());
        status.error("backfill from the Storage Integration failed: " + e.getMessage());
        pause(jitter(retry));
        retry =
            retry.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : retry.multipliedBy(2);
      }
    }
  }

  private void failed(String why) {
    failures++;
    status.state("disconnected", why);
    // Said once per distinct reason, then at 2, 4, 8, … failures: a dead server must not flood.
    if (!why.equals(lastError) || Integer.bitCount(failures) == 1) {
      log.warn(
          "The Things Stack at {}: {} (attempt {}); trying again",
          options.pahoUri(),
          why,
          failures);
    }
    lastError = why;
  }

  private String explain(MqttException e) {
    switch (e.getReasonCode()) {
      case MqttException.REASON_CODE_FAILED_AUTHENTICATION:
      case MqttException.REASON_CODE_NOT_AUTHORIZED:
        return "the server refused the application and API key (check --ttn-app "
            + options.app()
            + " and that the key in --ttn-key-file may read application traffic)";
      case MqttException.REASON_CODE_SUBSCRIBE_FAILED:
        return "the server refused the subscription to " + topic;
      default:
        break;
    }
    String tls = TtnTls.explain(e);
    if (tls != null) {
      return tls;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return "cannot reach " + hostPort() + " (connection refused)";
      }
      if (t instanceof UnknownHostException) {
        return "unknown host " + options.mqtt().getHost();
      }
    }
    if (e.getReasonCode() == MqttException.REASON_CODE_CLIENT_TIMEOUT) {
      return "no answer from " + hostPort() + " within 10 s";
    }
    return "cannot connect to " + hostPort() + " (" + e.getMessage() + ")";
  }

  private String hostPort() {
    return options.pahoUri().substring(options.pahoUri().indexOf("://") + 3);
  }

  private void awaitLoss() {
    lock.lock();
    try {
      while (!closed && !lost) {
        changed.awaitUninterruptibly();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Waits {@code duration} or until closed: the backoff between attempts. */
  private void pause(Duration duration) {
    long deadline = System.nanoTime() + duration.toNanos();
    lock.lock();
    try {
      long left;
      while (!closed && (left = deadline - System.nanoTime()) > 0) {
        changed.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  private static Duration jitter(Duration base) {
    double factor = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
    return Duration.ofNanos((long) (base.toNanos() * factor));
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[6];
    ThreadLocalRandom.current().nextBytes(bytes);
    return bytes;
  }

  private boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  private boolean isLost() {
    lock.lock();
    try {
      return lost;
    } finally {
      lock.unlock();
    }
  }

  private void disconnect() {
    MqttClient current;
    lock.lock();
    try {
      current = client;
      client = null;
    } finally {
      lock.unlock();
    }
    if (current == null) {
      return;
    }
    try {
      if (current.isConnected()) {
        current.disconnect(1000);
      }
    } catch (MqttException e) {
      log.debug("The Things Stack: disconnect: {}", e.getMessage());
    }
    try {
      current.close(true);
    } catch (MqttException e) {
      log.debug("The Things Stack: close: {}", e.getMessage());
    }
  }

  /** Stops the connection and the retries; what was handed to the pipeline is stored by it. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      thread.join(TimeUnit.SECONDS.toMillis(15));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      log.warn("The Things Stack client did not stop within 15 s");
    }
  }

  private final class Callback implements MqttCallback {

    @Override
    public void connectionLost(Throwable cause) {
      String why = cause == null ? "connection lost" : "connection lost: " + describe(cause);
      log.warn("The Things Stack at {}: {}", options.pahoUri(), why);
      status.state("disconnected", why);
      lock.lock();
      try {
        lost = true;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void messageArrived(String arrivedOn, MqttMessage message) {
      byte[] payload = message.getPayload();
      status.message();
      // Blocks while the ingest queue is full: TCP then slows the server down (QoS 0 has no acks).
      pipeline
          .submitUplink(payload, UplinkKey.of(payload).orElse(null))
          .whenComplete(
              (outcome, failure) -> {
                if (failure != null) {
                  log.error(
                      "An uplink from The Things Stack ({} bytes on {}) could not be stored",
                      payload.length,
                      arrivedOn,
                      failure);
                  status.error("an uplink could not be stored: " + failure.getMessage());
                }
              });
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
      // Kloaka publishes nothing to The Things Stack.
    }

    private String describe(Throwable cause) {
      String tls = TtnTls.explain(cause);
      if (tls != null) {
        return tls;
      }
      return cause instanceof MqttException m
          ? "reason " + m.getReasonCode()
          : "the server went away";
    }
  }

  /** For tests: the key is never part of any text. */
  @Override
  public String toString() {
    return "TtnMqttSource[" + options.pahoUri() + " " + options.app() + ", " + key + "]";
  }

  Optional<String> lastError() {
    return Optional.ofNullable(lastError);
  }
}
