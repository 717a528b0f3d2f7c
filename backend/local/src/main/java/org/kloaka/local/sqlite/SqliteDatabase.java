package org.kloaka.local.sqlite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.kloaka.core.port.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The local runtime's one SQLite file: a single writer connection guarded by a lock, a small pool
 * of read-only connections, and the transactions the core runs its units of work in.
 *
 * <p>Writes happen only on the writer connection, inside {@code BEGIN IMMEDIATE … COMMIT}; a unit
 * of work started inside another joins it, and if the inner one fails the whole transaction rolls
 * back. Reads on a thread that is inside a transaction use the writer connection (they must see the
 * transaction's own writes); other reads use the pool, so REST calls are not queued behind an
 * ingest batch (WAL lets readers and the writer run at once).
 */
public final class SqliteDatabase implements Transactions, AutoCloseable {

  /** How hard a commit waits for the disk (PRAGMA synchronous). */
  public enum Durability {
    /** Every commit is fsync'ed: survives a power cut as well as a killed process. */
    FULL,
    /** WAL is fsync'ed only at checkpoints: survives a killed process, not a power cut. */
    NORMAL
  }

  /** When {@link #open} runs {@code PRAGMA quick_check} on the file. */
  public enum IntegrityCheck {
    /**
     * Only when there is no evidence that the file was left by a clean stop: no marker, a marker
     * that does not match the file, or a WAL left behind ({@link CleanStop}).
     */
    AFTER_UNCLEAN_STOP,
    /** At every open ({@code --check-integrity}): reads every page, ~10 s per GB here. */
    ALWAYS
  }

  public static final String FILE_NAME = "kloaka.db";
  static final int BUSY_TIMEOUT_MILLIS = 10_000;

  private static final Logger log = LoggerFactory.getLogger(SqliteDatabase.class);

  private final Path file;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final Session writer;
  private final BlockingQueue<Session> readers;
  private final List<Session> allReaders = new ArrayList<>();
  private final int schemaVersion;
  private final String integrity;
  private final Clock clock;
  // Why the last transaction could not commit, when that is the disk's doing; null once one does.
  private volatile StorageFault fault;

  /**
   * Why the store cannot commit: the disk or the file, not the data (a full disk, a read-only file,
   * an I/O error, a damaged file).
   *
   * @param reason for anyone, without paths or library names: {@code "the disk is full"}
   * @param detail for the operator: the file and SQLite's own message
   * @param since epoch seconds of the first failure in a row
   */
  public record StorageFault(String reason, String detail, long since) {}

  // Guarded by writeLock.
  private int depth;
  private boolean rollbackOnly;
  private final List<Runnable> rollbackListeners = new ArrayList<>();

  private SqliteDatabase(
      Path file, Durability durability, int readerCount, Clock clock, IntegrityCheck check) {
    this.file = file;
    this.clock = clock;
    // Read the evidence before SQLite opens the file (opening may create a WAL), and take the
    // marker away before anything can be written: a crash from here on leaves none behind.
    String why = check == IntegrityCheck.ALWAYS ? "asked for" : CleanStop.whyCheck(file);
    CleanStop.remove(file);
    this.writer = openWriter(file, durability);
    try {
      if (why != null) {
        long t0 = System.nanoTime();
        checkIntegrity();
        this.integrity =
            String.format(
                java.util.Locale.ROOT,
                "ok (quick_check: %s; %.1f s)",
                why,
                (System.nanoTime() - t0) / 1e9);
      } else {
        this.integrity = "not checked (the last stop was clean; --check-integrity to force)";
      }
      this.schemaVersion = Migrations.migrate(writer, file, clock);
      this.readers = new ArrayBlockingQueue<>(readerCount);
      for (int i = 0; i < readerCount; i++) {
        Session reader = openReader(file);
        allReaders.add(reader);
        readers.add(reader);
      }
    } catch (RuntimeException e) {
      closeQuietly(e);
      throw e;
    }
  }

  /**
   * Opens (creating if needed) the database file, checks it, and brings its schema up to date.
   *
   * @throws StoreException with a message for the operator when the file is damaged, is not a
   *     Kloaka database, or was written by a newer Kloaka
   */
  public static SqliteDatabase open(Path file, Durability durability, int readers, Clock clock) {
    return open(file, durability, readers, clock, IntegrityCheck.AFTER_UNCLEAN_STOP);
  }

  /**
   * Like {@link #open(Path, Durability, int, Clock)}, saying when the file's integrity is checked;
   * {@link #close()} leaves the mark of a clean stop that lets the next open skip it.
   */
  public static SqliteDatabase open(
      Path file, Durability durability, int readers, Clock clock, IntegrityCheck check) {
    if (readers < 1) {
      throw new IllegalArgumentException("at least one reader connection is needed");
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (java.io.IOException e) {
      throw new StoreException("cannot create the folder of " + file + ": " + e.getMessage(), e);
    }
    return new SqliteDatabase(file, durability, readers, clock, check);
  }

  public Path file() {
    return file;
  }

  /**
   * What the integrity check at open found, or why it did not run: {@code "ok (quick_check: the
   * last stop was not clean; 10.7 s)"}, {@code "not checked (the last stop was clean; …)"}.
   */
  public String integrity() {
    return integrity;
  }

  /** The schema version the file has now (the newest migration applied). */
  public int schemaVersion() {
    return schemaVersion;
  }

  @Override
  public <T> T inTransaction(Supplier<T> work) {
    writeLock.lock();
    try {
      if (depth > 0) {
        return joined(work);
      }
      return outermost(work, null);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Runs {@code work} in its own transaction and, after its COMMIT, hands the result to {@code
   * committed} while still holding the write lock: no other transaction commits in between, so what
   * {@code committed} releases follows commit order. It must be quick. A failing {@code committed}
   * is logged; the transaction stays committed.
   *
   * @throws IllegalStateException when this thread is already inside a transaction
   */
  @Override
  public <T> T inTransaction(Supplier<T> work, Consumer<? super T> committed) {
    writeLock.lock();
    try {
      if (depth > 0) {
        throw new IllegalStateException(
            "a unit of work that hands back what it committed must be the outermost one");
      }
      return outermost(work, committed);
    } finally {
      writeLock.unlock();
    }
  }

  private <T> T joined(Supplier<T> work) {
    depth++;
    try {
      return work.get();
    } catch (RuntimeException | Error e) {
      rollbackOnly = true;
      throw e;
    } finally {
      depth--;
    }
  }

  private <T> T outermost(Supplier<T> work, Consumer<? super T> committed) {
    sql("begin a transaction", () -> writer.execute("BEGIN IMMEDIATE"));
    depth = 1;
    rollbackOnly = false;
    T result;
    try {
      result = work.get();
      if (rollbackOnly) {
        throw new IllegalStateException(
            "an inner unit of work failed and its caller went on: the transaction was rolled back");
      }
      sql("commit", () -> writer.execute("COMMIT"));
    } catch (RuntimeException | Error e) {
      noteFailure(e);
      rollback(e);
      depth = 0;
      rollbackListeners.forEach(Runnable::run);
      throw e;
    }
    depth = 0;
    if (fault != null) {
      log.info(
          "The store commits again (it could not since {}: {})", fault.since(), fault.reason());
      fault = null;
    }
    if (committed != null) {
      try {
        committed.accept(result);
      } catch (RuntimeException e) {
        log.error("releasing what a committed transaction did failed", e);
      }
    }
    return result;
  }

  /**
   * Why the store cannot commit now, if the disk or the file is to blame; empty once a transaction
   * commits again. For {@code GET /health}.
   */
  public java.util.Optional<StorageFault> storageFault() {
    return java.util.Optional.ofNullable(fault);
  }

  private void noteFailure(Throwable failure) {
    String reason = storageReason(failure);
    if (reason != null) {
      StorageFault before = fault;
      fault =
          new StorageFault(
              reason,
              String.valueOf(failure.getMessage()),
              before != null && before.reason().equals(reason)
                  ? before.since()
                  : clock.instant().getEpochSecond());
    }
  }

  /** What a failure says about the disk or the file, or null when it is about something else. */
  public static String storageReason(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof org.sqlite.SQLiteException sqlite && sqlite.getResultCode() != null) {
        return switch (sqlite.getResultCode().code & 0xff) {
          case 13 -> "the disk is full";
          case 8 -> "the database is read-only";
          case 10 -> "the disk reports an I/O error";
          case 14 -> "the database file cannot be opened";
          case 11, 26 -> "the database file is damaged";
          default -> null;
        };
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return null;
  }

  private void rollback(Throwable cause) {
    try {
      writer.execute("ROLLBACK");
    } catch (SQLException e) {
      // After some failures (an I/O error during COMMIT) SQLite has already rolled back.
      if (!String.valueOf(e.getMessage()).contains("no transaction is active")) {
        cause.addSuppressed(e);
      }
    }
  }

  /**
   * Runs {@code listener} after every rollback, under the write lock: for caches of what the writer
   * has seen, which a rollback makes stale.
   */
  void onEveryRollback(Runnable listener) {
    writeLock.lock();
    try {
      rollbackListeners.add(listener);
    } finally {
      writeLock.unlock();
    }
  }

  /** Whether this thread is inside {@link #inTransaction}. */
  public boolean inTransactionOnThisThread() {
    return writeLock.isHeldByCurrentThread() && depth > 0;
  }

  /** One piece of SQL work on a session. */
  @FunctionalInterface
  interface SqlWork<T> {
    T run(Session session) throws SQLException;
  }

  @FunctionalInterface
  private interface SqlAction {
    void run() throws SQLException;
  }

  /** Runs a write in the current transaction, or in one of its own. */
  <T> T write(String what, SqlWork<T> work) {
    return write(what, null, work);
  }

  /**
   * Like {@link #write(String, SqlWork)}; {@code subject} (a sensor id, a problem id) is named in
   * the error after {@code what}, and only turned into text then: ingest calls this per message.
   */
  <T> T write(String what, Object subject, SqlWork<T> work) {
    return inTransaction(() -> sqlResult(what, subject, () -> work.run(writer)));
  }

  /**
   * Runs a read: on the writer inside a transaction (to see its writes), else on a pooled reader.
   */
  <T> T read(String what, SqlWork<T> work) {
    return read(what, null, work);
  }

  /** Like {@link #read(String, SqlWork)}, naming {@code subject} in the error only. */
  <T> T read(String what, Object subject, SqlWork<T> work) {
    if (writeLock.isHeldByCurrentThread()) {
      return sqlResult(what, subject, () -> work.run(writer));
    }
    Session reader;
    try {
      reader = readers.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(
          "interrupted while waiting for a database connection to " + describe(what, subject), e);
    }
    try {
      return sqlResult(what, subject, () -> work.run(reader));
    } finally {
      readers.add(reader);
    }
  }

  /**
   * Like {@link #read(String, Object, SqlWork)}, with every statement of {@code work} reading the
   * same snapshot: a pooled reader runs it in one read transaction.
   */
  <T> T readSnapshot(String what, Object subject, SqlWork<T> work) {
    if (writeLock.isHeldByCurrentThread()) {
      return read(what, subject, work);
    }
    return read(
        what,
        subject,
        session -> {
          session.execute("BEGIN");
          try {
            return work.run(session);
          } finally {
            session.execute("COMMIT");
          }
        });
  }

  private interface SqlSupplier<T> {
    T get() throws SQLException;
  }

  private <T> T sqlResult(String what, SqlSupplier<T> work) {
    return sqlResult(what, null, work);
  }

  private <T> T sqlResult(String what, Object subject, SqlSupplier<T> work) {
    try {
      return work.get();
    } catch (SQLException e) {
      throw new StoreException(
          "cannot " + describe(what, subject) + " in " + file + ": " + e.getMessage(), e);
    }
  }

  private static String describe(String what, Object subject) {
    return subject == null ? what : what + " " + subject;
  }

  private void sql(String what, SqlAction action) {
    sqlResult(
        what,
        () -> {
          action.run();
          return null;
        });
  }

  private void checkIntegrity() {
    List<String> problems = new ArrayList<>();
    try (ResultSet rows =
        writer.connection().createStatement().executeQuery("PRAGMA quick_check")) {
      while (rows.next() && problems.size() < 5) {
        problems.add(rows.getString(1));
      }
    } catch (SQLException e) {
      problems.add(e.getMessage());
    }
    if (!problems.equals(List.of("ok"))) {
      throw new StoreException(
          "the database "
              + file
              + " is damaged (PRAGMA quick_check: "
              + String.join("; ", problems)
              + "). Stop Kloaka, keep a copy of the file, and restore a backup or move the file"
              + " away to start with an empty store.");
    }
  }

  private static Session openWriter(Path file, Durability durability) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(
        durability == Durability.FULL
            ? SQLiteConfig.SynchronousMode.FULL
            : SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    config.enforceForeignKeys(true);
    // Nobody asks for generated keys; with this on, the driver runs a regex and a
    // "SELECT last_insert_rowid()" after every INSERT (7 % of the ingest writer's time).
    config.setGetGeneratedKeys(false);
    return open(file, config);
  }

  private static Session openReader(Path file) {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    config.enforceForeignKeys(true);
    return open(file, config);
  }

  private static Session open(Path file, SQLiteConfig config) {
    try {
      return new Session(config.createConnection("jdbc:sqlite:" + file.toAbsolutePath()));
    } catch (SQLException e) {
      throw new StoreException(
          "cannot open the database "
              + file
              + " ("
              + e.getMessage()
              + "): it is not a SQLite database, is damaged, or is not readable",
          e);
    }
  }

  /**
   * Closes every connection; once all closed (the last one folds the WAL into the file and removes
   * it), leaves the mark of a clean stop, so the next open need not check the file.
   */
  @Override
  public void close() {
    writeLock.lock();
    try {
      if (closeQuietly(null)) {
        CleanStop.mark(file);
      }
    } finally {
      writeLock.unlock();
    }
  }

  /** Closes every connection; whether all closed without an error. */
  private boolean closeQuietly(Throwable during) {
    boolean clean = true;
    List<Session> sessions = new ArrayList<>(allReaders);
    sessions.add(writer);
    for (Session session : sessions) {
      try {
        session.close();
      } catch (SQLException e) {
        clean = false;
        if (during != null) {
          during.addSuppressed(e);
        } else {
          log.warn("closing a connection to {} failed", file, e);
        }
      }
    }
    return clean;
  }
}
