package org.kloaka.core;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.kloaka.api.Push;
import org.kloaka.core.app.AcknowledgeProblem;
import org.kloaka.core.app.Authenticate;
import org.kloaka.core.app.CommentOnProblem;
import org.kloaka.core.app.ManageOperators;
import org.kloaka.core.app.TimelineQueries;
import org.kloaka.core.port.ChangeFeed;
import org.kloaka.core.port.DeviceStore;
import org.kloaka.core.port.HistoryStore;
import org.kloaka.core.port.OperatorSessions;
import org.kloaka.core.port.OperatorStore;
import org.kloaka.core.port.ProblemStore;
import org.kloaka.core.port.RejectStore;
import org.kloaka.core.port.Stored;
import org.kloaka.core.port.TimelineStore;
import org.kloaka.core.port.Transactions;
import org.kloaka.ingest.IngestParser;
import org.kloaka.model.Device;
import org.kloaka.model.Measurement;
import org.kloaka.model.Operator;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemEvent;
import org.kloaka.model.ProblemStatus;
import org.kloaka.model.Reject;
import org.kloaka.model.SensorId;
import org.kloaka.model.Signal;
import org.kloaka.rest.RestApi;
import org.kloaka.rest.Sha256Tokens;
import org.kloaka.rest.TokenCheck;

/**
 * Test fixtures: the core's ports kept in memory, doing exactly what their Javadoc promises
 * (version checks, sort orders, bounds) and recording what the core did with them, so core tests
 * can check behaviour without a real store. {@code StoreContract} holds these and the real stores
 * to the same promises.
 */
public final class InMemoryStores {

  public final Devices devices;
  public final History history = new History();
  public final Timeline timeline = new Timeline();
  public final Problems problems = new Problems(timeline);
  public final Operators operators = new Operators();
  public final RejectLog rejects = new RejectLog(Rejects.DEFAULT_KEEP);
  public final RecordingTransactions transactions = new RecordingTransactions();
  public final Events events = new Events(transactions);

  /** With 100 recent measurements per device, the default. */
  public InMemoryStores() {
    this(100);
  }

  /**
   * @param keep how many recent measurements a device keeps
   */
  public InMemoryStores(int keep) {
    this.devices = new Devices(keep);
  }

  /** An organizer over these stores, as the runtimes build it. */
  public Organizer organizer(Clock clock) {
    return new Organizer(new IngestParser(), devices, history, rejects, clock);
  }

  /**
   * Devices keyed by id, with a version bumped on every write; {@link #beforeNextReplace} lets a
   * test play another writer that gets in between a read and a conditional write.
   */
  public static final class Devices implements DeviceStore {
    private final Map<SensorId, Stored<Device>> byId = new TreeMap<>();
    private final Deque<Runnable> interlopers = new ArrayDeque<>();
    private final int keep;

    public Devices(int keep) {
      this.keep = DeviceRules.checkKeep(keep);
    }

    @Override
    public int keep() {
      return keep;
    }

    @Override
    public synchronized Optional<Stored<Device>> find(SensorId id) {
      return Optional.ofNullable(byId.get(id));
    }

    @Override
    public synchronized List<Device> list() {
      return byId.values().stream().map(s -> s.value().withoutMeasurements()).toList();
    }

    @Override
    public boolean record(Stored<Device> expected, Device state, Measurement added) {
      DeviceStore.requireState(state);
      Runnable interloper;
      synchronized (this) {
        interloper = interlopers.pollFirst();
      }
      if (interloper != null) {
        interloper.run();
      }
      return recordNow(expected, state, added);
    }

    private synchronized boolean recordNow(
        Stored<Device> expected, Device state, Measurement added) {
      Stored<Device> current = byId.get(state.id());
      if (!sameVersion(expected, current)) {
        return false;
      }
      List<Measurement> recent =
          DeviceRules.recentWith(
              current == null ? List.of() : current.value().measurementsOrEmpty(), added, keep);
      Device next = state.withMeasurements(recent);
      byId.put(next.id(), new Stored<>(next, current == null ? 1 : current.version() + 1));
      return true;
    }

    /** Runs {@code interloper} just before the next conditional write is checked. */
    public synchronized void beforeNextReplace(Runnable interloper) {
      interlopers.addLast(interloper);
    }

    /** Puts a device directly, as if the organizer had stored it. */
    public synchronized void put(Device device) {
      Stored<Device> current = byId.get(device.id());
      byId.put(device.id(), new Stored<>(device, current == null ? 1 : current.version() + 1));
    }
  }

  /** History rows in arrival order. */
  public static final class History implements HistoryStore {
    public record Row(SensorId id, Measurement measurement, Signal signal) {}

    private final List<Row> rows = new ArrayList<>();

    @Override
    public synchronized void append(SensorId id, Measurement measurement, Signal signal) {
      rows.add(new Row(id, measurement, signal));
    }

    @Override
    public synchronized List<Measurement> range(SensorId id, long since, long until, int limit) {
      List<Measurement> matching =
          rows.stream()
              .filter(r -> r.id().equals(id))
              .map(Row::measurement)
              .filter(m -> m.dt() >= since && m.dt() <= until)
              .sorted(Comparator.comparingLong(Measurement::dt)) // stable: arrival order kept
              .toList();
      return List.copyOf(matching.subList(Math.max(0, matching.size() - limit), matching.size()));
    }

    @Override
    public synchronized long pruneBefore(long cutoff) {
      int before = rows.size();
      rows.removeIf(r -> r.measurement().dt() < cutoff);
      return before - rows.size();
    }

    public synchronized List<Row> rows() {
      return List.copyOf(rows);
    }
  }

  /**
   * Problems keyed by id; {@link #failNextReplaces} simulates writers that got there first. Events
   * written with a record go to its {@link Timeline}.
   */
  public static final class Problems implements ProblemStore {
    private final Map<String, Stored<Problem>> byId = new HashMap<>();
    private final Timeline timeline;

    public Problems(Timeline timeline) {
      this.timeline = timeline;
    }

    public Problems() {
      this(new Timeline());
    }

    private final AtomicInteger failNext = new AtomicInteger();
    private final AtomicInteger writes = new AtomicInteger();

    @Override
    public synchronized Optional<Stored<Problem>> find(String problemId) {
      return Optional.ofNullable(byId.get(problemId));
    }

    @Override
    public synchronized List<Problem> list(ProblemStatus status) {
      return byId.values().stream()
          .map(Stored::value)
          .filter(p -> status == null || p.problemStatus() == status)
          .sorted(
              Comparator.comparingLong(Problem::problemTime)
                  .reversed()
                  .thenComparing(Problem::problemId))
          .toList();
    }

    @Override
    public synchronized boolean replace(
        Stored<Problem> expected, Problem next, List<ProblemEvent> events) {
      if (failNext.get() > 0) {
        failNext.decrementAndGet();
        return false;
      }
      Stored<Problem> current = byId.get(next.problemId());
      if (!sameVersion(expected, current)) {
        return false;
      }
      byId.put(next.problemId(), new Stored<>(next, current == null ? 1 : current.version() + 1));
      events.forEach(timeline::append);
      writes.incrementAndGet();
      return true;
    }

    /** Puts a record directly, as if the inspector had stored it. */
    public synchronized void put(Problem problem) {
      Stored<Problem> current = byId.get(problem.problemId());
      byId.put(
          problem.problemId(), new Stored<>(problem, current == null ? 1 : current.version() + 1));
    }

    /** The next {@code n} conditional writes answer "someone else got there first". */
    public void failNextReplaces(int n) {
      failNext.set(n);
    }

    /** Successful conditional writes so far. */
    public int writes() {
      return writes.get();
    }
  }

  /** Every pair's timeline, equal events once. */
  public static final class Timeline implements TimelineStore {
    private final Map<String, Map<String, ProblemEvent>> byPair = new HashMap<>();

    @Override
    public synchronized void append(ProblemEvent event) {
      byPair
          .computeIfAbsent(event.problemId(), id -> new TreeMap<>())
          .putIfAbsent(TimelineStore.keyOf(event), event);
    }

    @Override
    public synchronized List<ProblemEvent> history(String problemId, int limit) {
      List<ProblemEvent> all =
          List.copyOf(byPair.getOrDefault(problemId, Map.of()).values()); // TreeMap: in key order
      return all.subList(Math.max(0, all.size() - limit), all.size());
    }

    @Override
    public synchronized List<ProblemEvent> between(long since, long until, int limit) {
      return byPair.values().stream()
          .flatMap(events -> events.values().stream())
          .filter(e -> e.time() >= since && e.time() <= until)
          .sorted(TimelineStore.ORDER.thenComparing(ProblemEvent::problemId))
          .limit(limit)
          .toList();
    }

    /** Every event of every pair, in no particular order across pairs. */
    public synchronized List<ProblemEvent> all() {
      return byPair.values().stream().flatMap(events -> events.values().stream()).toList();
    }
  }

  /** Operators by name, with their token digests. */
  public static final class Operators implements OperatorStore {
    private final Map<String, Operator> byName = new TreeMap<>();
    private final Map<String, String> digestByName = new HashMap<>();

    @Override
    public synchronized boolean add(Operator operator, String tokenDigest) {
      if (byName.containsKey(operator.name())) {
        return false;
      }
      byName.put(operator.name(), operator);
      digestByName.put(operator.name(), tokenDigest);
      return true;
    }

    @Override
    public synchronized Optional<Operator> byDigest(String tokenDigest) {
      return digestByName.entrySet().stream()
          .filter(e -> e.getValue().equals(tokenDigest))
          .map(e -> byName.get(e.getKey()))
          .findFirst();
    }

    @Override
    public synchronized List<Operator> list() {
      return List.copyOf(byName.values());
    }

    @Override
    public synchronized boolean remove(String name) {
      digestByName.remove(name);
      return byName.remove(name) != null;
    }
  }

  /**
   * The REST API's operator use cases on these stores; {@code installToken} is the admin's.
   *
   * @param sessions where removed operators' connections are closed
   */
  public RestApi.Operations operations(
      String installToken, Clock clock, OperatorSessions sessions) {
    TokenCheck install = TokenCheck.of(installToken);
    return new RestApi.Operations(
        new Authenticate(install::accepts, operators, Sha256Tokens.INSTANCE),
        new AcknowledgeProblem(problems, transactions, events, clock),
        new CommentOnProblem(problems, timeline, clock),
        new TimelineQueries(problems, timeline),
        new ManageOperators(
            operators, sessions, Sha256Tokens.INSTANCE, new java.util.Random(7), clock));
  }

  /** The newest {@code keep} rejects. */
  public static final class RejectLog implements RejectStore {
    private final Deque<Reject> newestFirst = new ArrayDeque<>();
    private final int keep;

    public RejectLog(int keep) {
      this.keep = keep;
    }

    @Override
    public synchronized void add(Reject reject) {
      newestFirst.addFirst(reject);
      while (newestFirst.size() > keep) {
        newestFirst.removeLast();
      }
    }

    @Override
    public synchronized List<Reject> newest(int limit) {
      return newestFirst.stream().limit(limit).toList();
    }
  }

  /** Runs work directly and records how deep in a unit of work the caller is. */
  public static final class RecordingTransactions implements Transactions {
    private int depth;
    private int units;

    @Override
    public synchronized <T> T inTransaction(Supplier<T> work) {
      depth++;
      units++;
      try {
        return work.get();
      } finally {
        depth--;
      }
    }

    /** Runs {@code committed} still inside, as a store runs it before the next unit commits. */
    @Override
    public synchronized <T> T inTransaction(Supplier<T> work, Consumer<? super T> committed) {
      return inTransaction(
          () -> {
            T result = work.get();
            committed.accept(result);
            return result;
          });
    }

    public synchronized boolean inside() {
      return depth > 0;
    }

    public synchronized int units() {
      return units;
    }
  }

  /**
   * Every published change as the push it becomes, with whether it was published inside a unit of
   * work.
   */
  public static final class Events implements ChangeFeed {
    public record Published(Push event, boolean insideTransaction) {}

    private final RecordingTransactions transactions;
    private final List<Published> published = new ArrayList<>();

    Events(RecordingTransactions transactions) {
      this.transactions = transactions;
    }

    @Override
    public synchronized void publish(List<Change> committed) {
      for (Change change : committed) {
        published.add(new Published(push(change), transactions.inside()));
      }
    }

    /** Records what a use case or a core service handed back, as a runtime's feed gets it. */
    public <T> T record(T result, List<Change> changes) {
      publish(changes);
      return result;
    }

    private static Push push(Change change) {
      if (change instanceof Change.DeviceChanged d) {
        return new Push.DevicePush(new Push.DeviceState(d.id(), d.lastValue(), d.lastUpdate()));
      }
      return new Push.ProblemPush(((Change.ProblemChanged) change).problem());
    }

    public synchronized List<Published> published() {
      return List.copyOf(published);
    }

    public synchronized List<Push> all() {
      return published.stream().map(Published::event).toList();
    }

    public synchronized <T extends Push> List<T> of(Class<T> type) {
      return published.stream()
          .map(Published::event)
          .filter(type::isInstance)
          .map(type::cast)
          .toList();
    }

    public synchronized void clear() {
      published.clear();
    }
  }

  private static <T> boolean sameVersion(Stored<T> expected, Stored<T> current) {
    if (expected == null) {
      return current == null;
    }
    return current != null && current.version() == expected.version();
  }
}
