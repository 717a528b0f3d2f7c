package org.kloaka.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.kloaka.channels.ChannelSet;
import org.kloaka.channels.WebhookChannel;
import org.kloaka.core.AlarmRules;
import org.kloaka.core.Change;
import org.kloaka.core.Inspector;
import org.kloaka.core.Organizer;
import org.kloaka.core.Silence;
import org.kloaka.core.app.AcknowledgeProblem;
import org.kloaka.core.app.Authenticate;
import org.kloaka.core.app.CommentOnProblem;
import org.kloaka.core.app.DeliverDueNotifications;
import org.kloaka.core.app.IngestMessage;
import org.kloaka.core.app.Insights;
import org.kloaka.core.app.InspectPairs;
import org.kloaka.core.app.ManageOperators;
import org.kloaka.core.app.Queries;
import org.kloaka.core.app.ResolveProblem;
import org.kloaka.core.app.SweepSilentSensors;
import org.kloaka.core.app.TimelineQueries;
import org.kloaka.core.ingest.IngestSources;
import org.kloaka.core.network.Network;
import org.kloaka.core.notify.EscalatingProblemStore;
import org.kloaka.core.notify.Escalation;
import org.kloaka.core.notify.MessageText;
import org.kloaka.core.notify.NotificationPlan;
import org.kloaka.core.notify.RetryPolicy;
import org.kloaka.core.port.ChangeFeed;
import org.kloaka.core.port.HistoryStore;
import org.kloaka.core.port.ProblemStore;
import org.kloaka.ingest.IngestParser;
import org.kloaka.local.auth.ApiToken;
import org.kloaka.local.http.HttpApiServer;
import org.kloaka.local.http.RateLimit;
import org.kloaka.local.ingest.IngestPipeline;
import org.kloaka.local.ingest.UplinkLedger;
import org.kloaka.local.mqtt.BrokerConfig;
import org.kloaka.local.mqtt.EmbeddedBroker;
import org.kloaka.local.mqtt.MqttCredentials;
import org.kloaka.local.notify.NotificationSender;
import org.kloaka.local.notify.NotifyFiles;
import org.kloaka.local.sqlite.HistoryRetention;
import org.kloaka.local.sqlite.Retention;
import org.kloaka.local.sqlite.SqliteDatabase;
import org.kloaka.local.sqlite.SqliteDeviceStore;
import org.kloaka.local.sqlite.SqliteHistoryStore;
import org.kloaka.local.sqlite.SqliteOperatorStore;
import org.kloaka.local.sqlite.SqliteOutbox;
import org.kloaka.local.sqlite.SqlitePendingStore;
import org.kloaka.local.sqlite.SqliteProblemStore;
import org.kloaka.local.sqlite.SqliteRejectStore;
import org.kloaka.local.sqlite.SqliteSilenceWatch;
import org.kloaka.local.sqlite.SqliteTimelineStore;
import org.kloaka.local.sqlite.SqliteUplinkLedger;
import org.kloaka.local.ttn.StorageBackfill;
import org.kloaka.local.ttn.TtnKey;
import org.kloaka.local.ttn.TtnMqttSource;
import org.kloaka.local.ttn.TtnOptions;
import org.kloaka.local.ws.ConsolePushes;
import org.kloaka.local.ws.PushServer;
import org.kloaka.network.NetworkException;
import org.kloaka.notify.NotifyException;
import org.kloaka.rest.RestApi;
import org.kloaka.rest.Sha256Tokens;
import org.kloaka.rest.TokenCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local runtime in one object: the SQLite store, the ingest pipeline, REST, WebSocket and the
 * embedded MQTT broker, wired once here. The command line ({@code Main}) and the console's embedded
 * mode both start it through {@link #start}.
 */
public final class LocalRuntime implements AutoCloseable {

  static final int HTTP_THREADS = 8;
  static final String TTN = "ttn";
  static final Duration TTN_FIRST_BACKOFF = Duration.ofSeconds(1);
  static final Duration TTN_MAX_BACKOFF = Duration.ofMinutes(1);
  static final Duration WEBHOOK_WAIT = Duration.ofSeconds(30);
  static final Duration SENDER_POLL = Duration.ofSeconds(1);

  /** How soon the consoles of an operator removed by the {@code operators} command are cut. */
  static final Duration REMOVAL_CHECK = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(LocalRuntime.class);

  private final LocalConfig config;
  private final ApiToken token;
  private final IngestPipeline pipeline;
  private final UplinkLedger ledger;
  private final SweepSilentSensors sweep;
  private final HistoryStore history;
  private final URI mqttUri;
  private final URI httpUri;
  private final URI wsUri;
  // What close() stops, last started first.
  private final Deque<AutoCloseable> open;
  private boolean closed;

  private LocalRuntime(
      LocalConfig config,
      ApiToken token,
      IngestPipeline pipeline,
      UplinkLedger ledger,
      SweepSilentSensors sweep,
      HistoryStore history,
      URI mqttUri,
      URI httpUri,
      URI wsUri,
      Deque<AutoCloseable> open) {
    this.config = config;
    this.token = token;
    this.pipeline = pipeline;
    this.ledger = ledger;
    this.sweep = sweep;
    this.history = history;
    this.mqttUri = mqttUri;
    this.httpUri = httpUri;
    this.wsUri = wsUri;
    this.open = open;
  }

  /**
   * Starts everything and returns once every server is bound.
   *
   * @throws StartupException with a message for the operator (bad option, bad network file, damaged
   *     database, port in use, data folder in use by another Kloaka, …); whatever had started is
   *     stopped again
   */
  public static LocalRuntime start(LocalConfig config) {
    List<String> problems = config.problems();
    if (!problems.isEmpty()) {
      throw new StartupException(String.join("; ", problems));
    }
    Deque<AutoCloseable> open = new ArrayDeque<>();
    try {
      return start(config, open);
    } catch (RuntimeException e) {
      closeAll(open, e);
      throw e instanceof StartupException ? e : new StartupException(e.getMessage(), e);
    }
  }

  private static LocalRuntime start(LocalConfig config, Deque<AutoCloseable> open) {
    FreePorts.check(config); // before anything starts: every port taken named at once
    Path data = config.dataDir().toAbsolutePath();
    createDataDir(data);
    open.push(lock(data));
    log.info("Kloaka data folder: {}", data);

    ApiToken token = ApiToken.resolve(config.env(), data, new SecureRandom());
    Network network = network(config.networkFile());

    SqliteDatabase db =
        SqliteDatabase.open(
            data.resolve(SqliteDatabase.FILE_NAME),
            config.durability(),
            2,
            config.clock(),
            config.integrityCheck());
    open.push(db);
    SqliteDeviceStore devices = new SqliteDeviceStore(db, config.keepMeasurements());
    SqliteHistoryStore history = new SqliteHistoryStore(db);
    SqliteProblemStore problemTable = new SqliteProblemStore(db);
    SqliteRejectStore rejects = new SqliteRejectStore(db, config.rejectsKeep());
    AlarmRules alarms = config.alarms();
    SqliteTimelineStore timeline = new SqliteTimelineStore(db);
    SqliteOperatorStore operators = new SqliteOperatorStore(db);
    Authenticate authenticate =
        new Authenticate(TokenCheck.of(token.value())::accepts, operators, Sha256Tokens.INSTANCE);
    log.info(
        "Database {}: schema version {}, integrity {}, {} devices",
        db.file(),
        db.schemaVersion(),
        db.integrity(),
        devices.count());
    open.push(pruning(new HistoryRetention(history, config.clock(), config.historyDays())));
    RuntimeHealth health = new RuntimeHealth(db, config.clock());
    open.push(health);

    // Notifications (docs/notifications.md): the ladder's entries are written by the inspector and
    // the resolve use case in their own transactions; the sender sends them on a thread of its own.
    NotifyFiles.Notify notify = notify(config.notifyFile());
    open.push(notify.channels());
    SqliteOutbox outbox = new SqliteOutbox(db);
    open.push(
        pruning(
            new Retention(
                "done notifications",
                SqliteOutbox.KEEP_DONE,
                config.clock(),
                outbox::pruneDoneBefore)));
    // Every problem write of every use case goes through this store, so whatever opens, stops or
    // resolves a ladder records it in the same transaction.
    ProblemStore problems =
        new EscalatingProblemStore(
            problemTable, new Escalation(notify.plan(), outbox), config.clock());
    DeliverDueNotifications deliver =
        new DeliverDueNotifications(
            outbox,
            problems,
            notify.channels(),
            MessageText.of(network),
            RetryPolicy.DEFAULT,
            db,
            timeline,
            config.clock());
    NotificationSender sender =
        new NotificationSender(deliver, NotificationSender.PER_CHANNEL, SENDER_POLL).start();
    open.push(sender);

    PushServer ws =
        PushServer.start(
            new InetSocketAddress(config.bind(), config.wsPort()),
            TokenCheck.forWebSocket(authenticate),
            config.limits().ws(config.wsMaxQueued()));
    open.push(ws);
    ConsolePushes consoles = new ConsolePushes(ws::broadcast);
    // After each commit: pushes to consoles, then the sender looks for what fell due.
    ChangeFeed pushes =
        changes -> {
          consoles.publish(changes);
          if (changes.stream().anyMatch(c -> c instanceof Change.ProblemChanged)) {
            sender.wake();
          }
        };

    // The one entry point of every device message: Kloaka's MQTT topic, the webhook, TTN's MQTT
    // server and its storage all reach this use case through the pipeline's writer.
    Silence silence = new Silence(devices, problems, config.clock(), alarms.silentAfter());
    IngestMessage ingest =
        IngestMessage.inspectingInTheSameUnit(
            new Organizer(new IngestParser(), devices, history, rejects, config.clock()),
            new InspectPairs(
                new Inspector(
                    devices,
                    problems,
                    network,
                    config.clock(),
                    new SqlitePendingStore(db),
                    alarms.confirmAfter()),
                silence));
    SweepSilentSensors sweep =
        new SweepSilentSensors(silence, new SqliteSilenceWatch(db), db, pushes, config.clock());
    log.info(
        "Alarm rules: silent after {}, confirm after {}",
        alarms.silenceWatched() ? alarms.silentAfter() : "off",
        alarms.confirming() ? alarms.confirmAfter() : "0 (at once)");
    SqliteUplinkLedger ledger = new SqliteUplinkLedger(db);
    IngestPipeline pipeline =
        new IngestPipeline(
            ingest,
            db,
            pushes,
            ledger,
            IngestPipeline.DEFAULT_CAPACITY,
            IngestPipeline.DEFAULT_MAX_BATCH);
    open.push(pipeline);
    if (alarms.silenceWatched()) {
      open.push(Periodic.start("silence sweep", sweep::sweep, alarms.sweepEvery()));
    }

    // GET /status lists them in this order: mqtt, ttn, then the router's webhook.
    IngestSources sources = new IngestSources(config.clock(), IngestSources.buildVersion());
    IngestSources.Source mqttSource = sources.source("mqtt", config.mqtt() ? "starting" : "off");
    IngestSources.Source ttnSource =
        sources.source(TTN, config.ttn().enabled() ? "connecting" : "off");
    TtnKey ttnKey = config.ttn().enabled() ? TtnKey.read(config.ttn().keyFile()) : null;

    ManageOperators manageOperators =
        new ManageOperators(
            operators, ws, Sha256Tokens.INSTANCE, new SecureRandom(), config.clock());
    // The operators command removes accounts from its own process; their consoles are cut here.
    open.push(
        Periodic.start(
            "removed operators check", manageOperators::closeSessionsOfRemoved, REMOVAL_CHECK));
    RestApi api =
        new RestApi(
            new Queries(devices, history, problems, rejects, network),
            new ResolveProblem(problems, db, pushes, config.clock()),
            new RestApi.Operations(
                authenticate,
                new AcknowledgeProblem(problems, db, pushes, config.clock()),
                new CommentOnProblem(problems, timeline, config.clock()),
                new TimelineQueries(problems, timeline),
                manageOperators),
            body -> storeNow(pipeline, body),
            sources,
            health,
            deliver,
            new Insights(timeline, problems, network, config.clock()));
    HttpApiServer http =
        HttpApiServer.start(
            new InetSocketAddress(config.bind(), config.httpPort()),
            api,
            HTTP_THREADS,
            // Real elapsed time, not the domain clock (which tests stop): this limits load.
            new RateLimit(config.httpRateLimit(), Clock.systemUTC(), true),
            config.limits().http());
    open.push(http);

    // Last, so devices are taken only once everything else is up; closed first, so the pipeline
    // still stores (and acknowledges) what the broker took while it stops.
    URI mqtt = null;
    if (config.mqtt()) {
      EmbeddedBroker broker =
          EmbeddedBroker.start(
              brokerConfig(config, data),
              payload -> {
                mqttSource.message();
                return pipeline.submit(payload);
              });
      open.push(broker);
      mqtt = URI.create(broker.uri());
      mqttSource.state("up");
      health.watchBroker(
          new InetSocketAddress(broker.bind(), broker.port()), RuntimeHealth.PROBE_EVERY);
    } else {
      log.info("MQTT is off: device messages enter only through the pipeline");
    }
    if (config.ttn().enabled()) {
      TtnOptions ttn = config.ttn();
      StorageBackfill backfill =
          ttn.storage() == null
              ? null
              : new StorageBackfill(
                  ttn.storage(),
                  ttn.applicationId(),
                  ttnKey,
                  pipeline,
                  ledger,
                  ttnSource,
                  StorageBackfill.DEFAULT_PAGE);
      open.push(
          new TtnMqttSource(
                  ttn,
                  ttnKey,
                  pipeline,
                  ledger,
                  backfill,
                  ttnSource,
                  TTN_FIRST_BACKOFF,
                  TTN_MAX_BACKOFF)
              .start());
    }

    return new LocalRuntime(
        config, token, pipeline, ledger, sweep, history, mqtt, http.uri(), ws.uri(), open);
  }

  /** Prunes at once and then every hour, in the background ({@link Retention}). */
  private static Periodic pruning(Retention retention) {
    return Periodic.startChunked(
        "retention of " + retention.what(), retention::pruneNow, Retention.PERIOD);
  }

  /** Stores a webhook body and answers once it is committed (docs/ttn.md). */
  private static Organizer.Outcome storeNow(IngestPipeline pipeline, byte[] body) {
    try {
      return pipeline.submitUplink(body, null).get(WEBHOOK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while storing an uplink", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(String.valueOf(e.getCause().getMessage()), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "the store did not take the uplink within " + WEBHOOK_WAIT.toSeconds() + " s", e);
    }
  }

  private static BrokerConfig brokerConfig(LocalConfig config, Path data) {
    Optional<MqttCredentials> credentials =
        config.mqttUsername() == null
            ? Optional.empty()
            : Optional.of(
                MqttCredentials.fromPasswordFile(config.mqttUsername(), config.mqttPasswordFile()));
    return new BrokerConfig(
        BrokerConfig.resolve(config.bind()), config.mqttPort(), data, credentials);
  }

  private static void createDataDir(Path data) {
    try {
      if (!Files.isDirectory(data)) {
        Files.createDirectories(
            data,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
    } catch (UnsupportedOperationException e) {
      try {
        Files.createDirectories(data);
      } catch (IOException io) {
        throw new StartupException(
            "cannot create the data folder " + data + ": " + Explain.io(io), io);
      }
    } catch (IOException e) {
      throw new StartupException("cannot create the data folder " + data + ": " + Explain.io(e), e);
    }
  }

  /** One runtime per data folder: two writers on one SQLite file would only wait on each other. */
  private static AutoCloseable lock(Path data) {
    Path lockFile = data.resolve("kloaka.lock");
    try {
      FileChannel channel =
          FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (java.nio.channels.OverlappingFileLockException e) {
        lock = null; // held by another runtime in this same JVM
      }
      if (lock == null) {
        channel.close();
        throw new StartupException(
            "the data folder " + data + " is in use by another Kloaka; stop it, or use --data");
      }
      return channel; // closing the channel releases the lock
    } catch (IOException e) {
      throw new StartupException("cannot lock the data folder " + data + ": " + Explain.io(e), e);
    }
  }

  private static NotifyFiles.Notify notify(Path file) {
    if (file == null) {
      log.info("No notification file: nobody is notified (--notify FILE, docs/notifications.md)");
      return new NotifyFiles.Notify(NotificationPlan.NONE, ChannelSet.none());
    }
    try {
      NotifyFiles.Notify notify = NotifyFiles.read(file, null, WebhookChannel.TIMEOUT);
      log.info(
          "Notification file {}: channels {}, {} escalation steps",
          file.toAbsolutePath(),
          notify.channels().names(),
          notify.plan().steps().size());
      return notify;
    } catch (NotifyException e) {
      throw new StartupException(e.getMessage(), e);
    }
  }

  private static Network network(Path file) {
    if (file == null) {
      log.info("No network file: sensors follow the id convention (T,S) → (T,S+1)");
      return Network.byIdConvention();
    }
    try {
      Network network = NetworkFiles.read(file);
      log.info(
          "Network file {}: {} tubes",
          file.toAbsolutePath(),
          network.file().map(d -> d.tubes() == null ? 0 : d.tubes().size()).orElse(0));
      return network;
    } catch (NetworkException e) {
      throw new StartupException(e.getMessage(), e);
    }
  }

  static String hostForUri(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /**
   * The MQTT broker's address with its real port, e.g. {@code tcp://127.0.0.1:1883}; null when the
   * configuration turned MQTT off.
   */
  public URI mqttUri() {
    return mqttUri;
  }

  /** The REST API's address with its real port, e.g. {@code http://127.0.0.1:8080}. */
  public URI httpUri() {
    return httpUri;
  }

  /**
   * The WebSocket's address with its real port, e.g. {@code ws://127.0.0.1:8081}; add {@code
   * /?token=}.
   */
  public URI wsUri() {
    return wsUri;
  }

  /** The API token clients must present. Never log it. */
  public String token() {
    return token.value();
  }

  /** The token file, or {@code null} when the token came from {@code KLOAKA_API_TOKEN}. */
  public Path tokenFile() {
    return token.file();
  }

  /** Where device payloads enter (the MQTT adapter, tests, the console's demo). */
  public IngestPipeline pipeline() {
    return pipeline;
  }

  /** The measurement history (for the benchmark's retention run, tools and tests). */
  public HistoryStore history() {
    return history;
  }

  /** Which uplinks from The Things Stack are stored (for a backfill, tools and tests). */
  public UplinkLedger ledger() {
    return ledger;
  }

  public LocalConfig config() {
    return config;
  }

  /**
   * Runs one silent-sensor sweep now, at the configured clock's time (the background sweeper runs
   * the same every {@code AlarmRules.sweepEvery()}); for tests that forward their clock.
   */
  public SweepSilentSensors.Result sweepSilentSensors() {
    return sweep.sweep();
  }

  /**
   * The one line an operator or a script waits for, e.g. {@code kloaka ready
   * mqtt=tcp://127.0.0.1:1883 http=http://127.0.0.1:8080 ws=ws://127.0.0.1:8081
   * token_file=/home/x/.kloaka/api-token}; with the token from the environment the last field is
   * {@code token_env=KLOAKA_API_TOKEN}.
   */
  public String readyLine() {
    return "kloaka ready mqtt="
        + (mqttUri != null ? mqttUri : "off")
        + " http="
        + httpUri
        + " ws="
        + wsUri
        + (token.file() != null ? " token_file=" + token.file() : " token_env=" + ApiToken.ENV);
  }

  /**
   * Stops taking messages, stores every one already taken, then closes the servers and the store.
   * Safe to call twice.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    RuntimeException failure = new RuntimeException("closing the local runtime failed");
    closeAll(open, failure);
    if (failure.getSuppressed().length > 0) {
      throw failure;
    }
    log.info("Kloaka stopped");
  }

  private static void closeAll(Deque<AutoCloseable> open, Throwable failures) {
    while (!open.isEmpty()) {
      AutoCloseable next = open.pop();
      try {
        next.close();
      } catch (Exception e) {
        failures.addSuppressed(e);
      }
    }
  }
}
