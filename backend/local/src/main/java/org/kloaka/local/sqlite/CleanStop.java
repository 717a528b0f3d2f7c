package org.kloaka.local.sqlite;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mark of a clean stop beside the database ({@code kloaka.db.clean}), so that an open after one
 * need not read every page with {@code PRAGMA quick_check} (docs/decisions/028).
 *
 * <p>{@link SqliteDatabase#close()} writes it once every connection closed without an error: the
 * WAL is folded into the file and removed by then. It holds the file's size and modification time
 * at that moment. An open checks the file unless the mark is there, matches the file's size and
 * time, and no WAL is left beside it; it removes the mark (and makes the removal durable) before it
 * writes anything, so a crash — kill -9, a power cut, a failed stop — always leaves a file without
 * a mark, and the next open checks it. A file replaced or written by anything else (a restored
 * backup, a copy, a tool) no longer matches and is checked too.
 */
final class CleanStop {

  static final String SUFFIX = ".clean";

  private static final Logger log = LoggerFactory.getLogger(CleanStop.class);

  private CleanStop() {}

  static Path markOf(Path database) {
    return database.resolveSibling(database.getFileName() + SUFFIX);
  }

  /** Why {@code database} must be checked before use, or null when its last stop was clean. */
  static String whyCheck(Path database) {
    Path mark = markOf(database);
    if (!Files.exists(database)) {
      return "a new file";
    }
    if (!Files.exists(mark)) {
      return "the last stop was not clean";
    }
    try {
      Path wal = database.resolveSibling(database.getFileName() + "-wal");
      if (Files.exists(wal) && Files.size(wal) > 0) {
        return "a WAL was left behind";
      }
      if (!Files.readString(mark, StandardCharsets.US_ASCII).strip().equals(stamp(database))) {
        return "the file changed after its last clean stop";
      }
      return null;
    } catch (IOException e) {
      return "its clean-stop mark is unreadable (" + e.getMessage() + ")";
    }
  }

  /**
   * Removes the mark, durably (the folder is synced), before the database is written.
   *
   * @throws StoreException when the mark cannot be removed: then a crash could not be told from a
   *     clean stop
   */
  static void remove(Path database) {
    Path mark = markOf(database);
    try {
      if (Files.deleteIfExists(mark)) {
        syncFolder(mark);
      }
    } catch (IOException e) {
      throw new StoreException(
          "cannot remove " + mark + " (" + e.getMessage() + "): check the data folder's rights", e);
    }
  }

  /** Leaves the mark of a clean stop of {@code database}, whose connections are all closed. */
  static void mark(Path database) {
    Path mark = markOf(database);
    Path next = mark.resolveSibling(mark.getFileName() + ".tmp");
    try {
      Files.writeString(next, stamp(database) + "\n", StandardCharsets.US_ASCII);
      try (FileChannel channel = FileChannel.open(next, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(next, mark, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncFolder(mark);
    } catch (NoSuchFileException e) {
      // The database is gone (a test removed its folder): nothing to mark.
    } catch (IOException e) {
      // Only costs a check at the next start.
      log.warn("Could not mark the clean stop of {} ({}): the next start checks it", database, e);
    }
  }

  private static String stamp(Path database) throws IOException {
    return "size=" + Files.size(database) + " modified=" + Files.getLastModifiedTime(database);
  }

  private static void syncFolder(Path file) {
    try (FileChannel folder =
        FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
      folder.force(true);
    } catch (IOException e) {
      // Some file systems cannot sync a folder; the rename or removal stands all the same.
      log.debug("Could not sync the folder of {}", file, e);
    }
  }
}
