package org.kloaka.console;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import org.kloaka.console.client.BackendClient;
import org.kloaka.console.client.Backoff;
import org.kloaka.console.client.LiveConnection;
import org.kloaka.console.viewmodel.ConsoleViewModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's object graph for one backend, wired in one place: REST client, live connection,
 * view model, and whatever else must be closed with it (an embedded runtime, the demo devices).
 */
public final class ConsoleSession implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ConsoleSession.class);

  private final ConsoleViewModel viewModel;
  private final LiveConnection live;
  private final ScheduledExecutorService scheduler;
  private final List<AutoCloseable> owned = new ArrayList<>();

  /**
   * @param ui the FX thread's executor ({@code Platform::runLater})
   * @param pingEvery how often the WebSocket is pinged
   */
  public ConsoleSession(
      Endpoints endpoints,
      Executor ui,
      Clock clock,
      ZoneId zone,
      Duration staleAfter,
      Duration pingEvery) {
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "kloaka-console-live");
              thread.setDaemon(true);
              return thread;
            });
    BackendClient client = BackendClient.create(endpoints.http(), endpoints.token());
    viewModel = new ConsoleViewModel(client, ui, clock, zone, staleAfter);
    live =
        new LiveConnection(
            endpoints.ws(),
            endpoints.token(),
            viewModel.liveListener(),
            Backoff.standard(() -> ThreadLocalRandom.current().nextDouble()),
            pingEvery,
            clock,
            scheduler);
    viewModel.status().emptyHint().set(emptyHint(endpoints));
    viewModel.status().onRetry(live::retryNow);
  }

  private static String emptyHint(Endpoints endpoints) {
    String where =
        endpoints.mqtt() == null ? "the backend's MQTT broker" : endpoints.mqtt().toString();
    return "No devices yet — sensors appear here when they publish to kloaka_from_device on "
        + where
        + ", e.g.  mosquitto_pub -h "
        + (endpoints.mqtt() == null ? "HOST" : endpoints.mqtt().getHost())
        + (endpoints.mqtt() == null ? "" : " -p " + endpoints.mqtt().getPort())
        + " -t kloaka_from_device -m '{\"id\": \"01\", \"filling\": 100}'";
  }

  /** Loads the state and opens the live connection. */
  public void start() {
    viewModel.resync();
    live.start();
  }

  /** Closed together with the session, in reverse order of adding. */
  public void own(AutoCloseable resource) {
    owned.add(0, resource);
  }

  /** Closed after everything else (a folder the owned runtime writes into). */
  public void ownLast(AutoCloseable resource) {
    owned.add(resource);
  }

  /** The first owned resource of {@code type} (the embedded runtime, say). */
  public <T> T owned(Class<T> type) {
    return owned.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
  }

  public ConsoleViewModel viewModel() {
    return viewModel;
  }

  @Override
  public void close() {
    live.close();
    scheduler.shutdownNow();
    for (AutoCloseable resource : owned) {
      try {
        resource.close();
      } catch (Exception e) {
        log.warn("closing {} failed", resource, e);
      }
    }
  }
}
