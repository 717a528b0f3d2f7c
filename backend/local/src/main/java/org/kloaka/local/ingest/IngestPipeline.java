package org.kloaka.local.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.kloaka.core.Change;
import org.kloaka.core.Organizer.Outcome;
import org.kloaka.core.app.IngestMessage;
import org.kloaka.core.port.ChangeFeed;
import org.kloaka.ingest.IngestParser;
import org.kloaka.local.RepeatedLog;
import org.kloaka.local.sqlite.SqliteDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every device message enters the local runtime, whatever carried it (MQTT, tests, a
 * benchmark): one writer thread takes the queued payloads in batches and runs the {@link
 * IngestMessage} use case on each batch in ONE transaction — device, history and problem writes
 * together (group commit). The transaction hands back each message's result; after the COMMIT, and
 * before any other transaction can commit, the pipeline completes the payloads' futures in order,
 * then hands the batch's changes, in order, to the {@link ChangeFeed} (docs/decisions/015).
 *
 * <p><b>A completed future means stored</b>: it completes only after the COMMIT that holds the
 * payload (an MQTT adapter sends its PUBACK then). A rejected payload is stored too, as a reject,
 * and completes with {@link Outcome.Rejected}. A payload whose processing throws (a bug, a full
 * disk) completes exceptionally and the others of its batch are still stored: a failed batch is
 * retried one payload per transaction. Futures complete on the writer thread: keep their callbacks
 * short, or use the {@code …Async} variants.
 *
 * <p><b>Back-pressure</b>: the queue is bounded. {@link #submit} blocks while it is full, so a
 * producer that outruns the disk is slowed down where it reads (for MQTT, the socket); {@link
 * #trySubmit} never blocks and fails at once instead. After {@link #close()} both answer a failed
 * future; close stores everything queued before it.
 */
public final class IngestPipeline implements AutoCloseable {

  public static final int DEFAULT_CAPACITY = 10_000;
  public static final int DEFAULT_MAX_BATCH = 500;

  private static final Logger log = LoggerFactory.getLogger(IngestPipeline.class);
  private static final Pending STOP = new Pending(null, null, new CompletableFuture<>());

  private final IngestMessage ingest;
  private final SqliteDatabase db;
  private final ChangeFeed feed;
  private final UplinkLedger ledger;
  private final int maxBatch;
  private final BlockingQueue<Pending> queue;
  // Submitters hold the read lock while queueing; close takes the write lock to stop them.
  private final ReentrantReadWriteLock accepting = new ReentrantReadWriteLock();
  private final Thread writer;
  private final AtomicLong stored = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private final RepeatedLog failures = new RepeatedLog(log);
  // A device sending bad payloads is said once a minute (the first one, then a count); every
  // reject is kept with its reason and payload for GET /rejects and the console.
  private final RepeatedLog rejects = new RepeatedLog(log);
  private boolean closed; // guarded by the accepting lock

  private record Pending(
      IngestMessage.Command command,
      UplinkLedger.UplinkKey key,
      CompletableFuture<Outcome> result) {
    byte[] payload() {
      return command.payload();
    }
  }

  /**
   * @param feed receives each committed batch's changes on the writer thread, after its futures
   *     completed
   */
  public IngestPipeline(
      IngestMessage ingest, SqliteDatabase db, ChangeFeed feed, int capacity, int maxBatch) {
    this(ingest, db, feed, null, capacity, maxBatch);
  }

  /**
   * @param feed receives each committed batch's changes on the writer thread, after its futures
   *     completed
   * @param ledger where keyed submissions (uplinks from The Things Stack) are deduplicated, or
   *     {@code null} when none are made
   */
  public IngestPipeline(
      IngestMessage ingest,
      SqliteDatabase db,
      ChangeFeed feed,
      UplinkLedger ledger,
      int capacity,
      int maxBatch) {
    if (capacity < 1 || maxBatch < 1) {
      throw new IllegalArgumentException("capacity and batch size must be at least 1");
    }
    this.ingest = ingest;
    this.db = db;
    this.feed = feed;
    this.ledger = ledger;
    this.maxBatch = maxBatch;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.writer = new Thread(this::run, "kloaka-ingest-writer");
    // A daemon: what keeps the process alive is the servers; close() is what drains the queue.
    writer.setDaemon(true);
    writer.start();
  }

  /**
   * Queues one raw payload, waiting while the queue is full.
   *
   * @return completes once the payload is stored (accepted or rejected), exceptionally if it could
   *     not be stored or the pipeline is closed
   */
  public CompletableFuture<Outcome> submit(byte[] payload) {
    return enqueue(payload, IngestParser.MAX_PAYLOAD_BYTES, null, true);
  }

  /**
   * Queues one payload straight from The Things Stack (its webhook, MQTT server or storage), up to
   * {@link IngestParser#MAX_UPLINK_BYTES}, waiting while the queue is full.
   *
   * @param key when given, the uplink is stored only if the ledger has not seen it (it completes
   *     with {@link Outcome.Duplicate} otherwise); needs a ledger
   */
  public CompletableFuture<Outcome> submitUplink(byte[] payload, UplinkLedger.UplinkKey key) {
    if (key != null && ledger == null) {
      throw new IllegalStateException("this pipeline has no uplink ledger to deduplicate with");
    }
    return enqueue(payload, IngestParser.MAX_UPLINK_BYTES, key, true);
  }

  /** Like {@link #submit} but never waits: a full queue fails the future at once. */
  public CompletableFuture<Outcome> trySubmit(byte[] payload) {
    return enqueue(payload, IngestParser.MAX_PAYLOAD_BYTES, null, false);
  }

  private CompletableFuture<Outcome> enqueue(
      byte[] payload, int maxBytes, UplinkLedger.UplinkKey key, boolean wait) {
    // Parsed here, on the submitting thread (the broker's), so the one writer thread only stores.
    IngestMessage.Command command;
    try {
      command = ingest.receive(payload, maxBytes, null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    Pending pending = new Pending(command, key, new CompletableFuture<>());
    accepting.readLock().lock();
    try {
      if (closed) {
        return CompletableFuture.failedFuture(
            new RejectedExecutionException("the ingest pipeline is closed"));
      }
      if (wait) {
        queue.put(pending);
      } else if (!queue.offer(pending)) {
        return CompletableFuture.failedFuture(
            new RejectedExecutionException(
                "the ingest queue is full (" + queue.size() + " messages waiting)"));
      }
      return pending.result();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableFuture.failedFuture(e);
    } finally {
      accepting.readLock().unlock();
    }
  }

  /** Payloads stored so far (accepted or rejected), for figures and logs. */
  public long storedCount() {
    return stored.get();
  }

  /** Payloads waiting for the writer. */
  public int queuedCount() {
    return queue.size();
  }

  /** Transactions committed so far by the writer. */
  public long batchCount() {
    return batches.get();
  }

  private void run() {
    List<Pending> batch = new ArrayList<>(maxBatch);
    boolean stopping = false;
    while (!stopping) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        // Only close() ends the writer, through STOP; an interrupt from elsewhere is ignored.
        log.warn("The ingest writer was interrupted; it keeps running until the pipeline closes");
        continue;
      }
      queue.drainTo(batch, maxBatch - 1);
      if (batch.get(batch.size() - 1) == STOP) {
        batch.remove(batch.size() - 1);
        stopping = true;
      }
      if (!batch.isEmpty()) {
        store(batch);
      }
      batch.clear();
    }
  }

  private void store(List<Pending> batch) {
    try {
      db.inTransaction(
          () -> {
            List<IngestMessage.Result> results = new ArrayList<>(batch.size());
            for (Pending pending : batch) {
              results.add(storeOne(pending));
            }
            return results;
          },
          committed -> release(batch, committed));
    } catch (RuntimeException e) {
      // A full disk fails every message alike: said once a minute with a count, without a trace.
      String disk = SqliteDatabase.storageReason(e);
      String key = disk != null ? disk : e.getClass().getName();
      if (batch.size() == 1) {
        Pending failed = batch.get(0);
        failures.warn(
            "one:" + key,
            "Could not store a device message ("
                + failed.payload().length
                + " bytes: "
                + preview(failed.payload())
                + "); it was not acknowledged: "
                + (disk != null ? disk + " (" + e.getMessage() + ")" : e.toString()),
            disk != null ? null : e);
        failed.result().completeExceptionally(e);
        return;
      }
      failures.warn(
          "batch:" + key,
          "A batch of " + batch.size() + " messages failed (" + e + "); storing them one by one",
          null);
      for (Pending pending : batch) {
        store(List.of(pending));
      }
    }
  }

  private IngestMessage.Result storeOne(Pending pending) {
    // The claim commits with the message: both are stored, or neither is.
    if (pending.key() != null && !ledger.claim(pending.key())) {
      return new IngestMessage.Result(new Outcome.Duplicate(), List.of());
    }
    return ingest.handle(pending.command());
  }

  /** After the commit: first every PUBACK (the futures), then the pushes, both in batch order. */
  private void release(List<Pending> batch, List<IngestMessage.Result> results) {
    batches.incrementAndGet();
    stored.addAndGet(batch.size());
    List<Change> changes = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      IngestMessage.Result result = results.get(i);
      batch.get(i).result().complete(result.outcome());
      if (result.outcome() instanceof Outcome.Rejected rejected) {
        rejects.warn(
            "rejected",
            "Rejected a device message (GET /rejects lists every one with its reason): "
                + printable(rejected.reason())
                + " — "
                + preview(batch.get(i).payload()),
            null);
      }
      changes.addAll(result.changes());
    }
    if (!changes.isEmpty()) {
      feed.publish(changes);
    }
  }

  /** The first 200 bytes of a payload, as one printable log line. */
  private static String preview(byte[] payload) {
    int length = Math.min(payload.length, 200);
    return printable(new String(payload, 0, length, StandardCharsets.UTF_8))
        + (payload.length > length ? "…" : "");
  }

  /**
   * {@code text} with its control characters (a line break a device sent, say) written as Java
   * escapes (backslash, u, four hex digits), so that one message is one log line.
   */
  static String printable(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            c -> {
              if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
              } else {
                out.appendCodePoint(c);
              }
            });
    return out.toString();
  }

  /**
   * Stops taking payloads, stores every one already queued, and stops the writer.
   *
   * @throws IllegalStateException if the writer does not finish within a minute
   */
  @Override
  public void close() {
    accepting.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
    } finally {
      accepting.writeLock().unlock();
    }
    try {
      queue.put(STOP);
      writer.join(Duration.ofMinutes(1).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (writer.isAlive()) {
      throw new IllegalStateException(
          "the ingest writer did not finish within a minute; " + queue.size() + " still queued");
    }
    failures.close();
    rejects.close();
    log.debug("Ingest pipeline closed after {} messages", stored.get());
  }
}
