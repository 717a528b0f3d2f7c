package org.kloaka.local;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.kloaka.core.port.Health;
import org.kloaka.local.sqlite.SqliteDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local runtime's health: the store's (does it commit? {@link SqliteDatabase#storageFault},
 * kept by every transaction) and the MQTT broker's (does it accept connections? a TCP probe every
 * {@code every}, off the request path). Both clear by themselves when the part recovers: the store
 * at its next commit — MQTT publishers resend what was not acknowledged — and the broker at the
 * next probe that connects.
 */
public final class RuntimeHealth implements Health, AutoCloseable {

  static final Duration PROBE_EVERY = Duration.ofSeconds(5);
  private static final Logger log = LoggerFactory.getLogger(RuntimeHealth.class);

  private final SqliteDatabase db;
  private final Clock clock;
  private ScheduledExecutorService prober;
  private volatile Fault broker;

  public RuntimeHealth(SqliteDatabase db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Probes the broker at {@code address} every {@code every} from now on. */
  public synchronized RuntimeHealth watchBroker(InetSocketAddress address, Duration every) {
    InetSocketAddress target =
        address.getAddress().isAnyLocalAddress()
            ? new InetSocketAddress(InetAddress.getLoopbackAddress(), address.getPort())
            : address;
    prober =
        Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("kloaka-health", true));
    prober.scheduleWithFixedDelay(
        () -> probe(target), every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void probe(InetSocketAddress target) {
    try (Socket socket = new Socket()) {
      socket.connect(target, 1_000);
      if (broker != null) {
        log.info("The MQTT broker accepts connections again");
        broker = null;
      }
    } catch (IOException e) {
      if (broker == null) {
        broker =
            new Fault(
                "broker",
                "the MQTT broker does not accept connections",
                "cannot connect to "
                    + target.getHostString()
                    + ":"
                    + target.getPort()
                    + ": "
                    + Explain.io(e),
                clock.instant().getEpochSecond());
        log.warn("Health: {} ({})", broker.reason(), broker.detail());
      }
    }
  }

  @Override
  public List<Fault> faults() {
    List<Fault> faults = new ArrayList<>(2);
    db.storageFault()
        .ifPresent(
            fault ->
                faults.add(
                    new Fault(
                        "store",
                        "the store cannot commit: " + fault.reason(),
                        fault.detail(),
                        fault.since())));
    Fault down = broker;
    if (down != null) {
      faults.add(down);
    }
    return faults;
  }

  @Override
  public synchronized void close() {
    if (prober != null) {
      prober.shutdownNow();
    }
  }
}
