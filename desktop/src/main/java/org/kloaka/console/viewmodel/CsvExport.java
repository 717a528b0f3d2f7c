package org.kloaka.console.viewmodel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.kloaka.console.client.Backend;
import org.kloaka.console.client.BackendException;

/**
 * "Export…": asks where (a {@link PathChooser}, the save dialog in the console, a fixed path in
 * tests), fetches the CSV the backend writes for a list route ({@code ?format=csv}, docs/api.md
 * "CSV") and writes it there as it came — RFC 4180, UTF-8, header row. The result, where the file
 * went and how many rows it holds, or why not, goes to the status line.
 *
 * <p>Several targets (a pair's two sensors' histories) become one file: the first target's header,
 * then every target's rows.
 */
public final class CsvExport {

  /** Where to write an export; empty when the operator cancelled. Called on the FX thread. */
  @FunctionalInterface
  public interface PathChooser {
    Optional<Path> choose(String title, String suggestedName);
  }

  private final Backend backend;
  private final Executor ui;
  private final Consumer<String> status;
  private PathChooser chooser;
  private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
  private final ReadOnlyStringWrapper result = new ReadOnlyStringWrapper(this, "result", "");

  public CsvExport(Backend backend, Executor ui, Consumer<String> status, PathChooser chooser) {
    this.backend = Objects.requireNonNull(backend, "backend");
    this.ui = Objects.requireNonNull(ui, "ui");
    this.status = Objects.requireNonNull(status, "status");
    this.chooser = Objects.requireNonNull(chooser, "chooser");
  }

  /** Replaces how the target file is chosen (tests bypass the dialog with it). */
  public void chooser(PathChooser chooser) {
    this.chooser = Objects.requireNonNull(chooser, "chooser");
  }

  /** True while an export is fetched and written: the buttons wait. */
  public ReadOnlyBooleanProperty busy() {
    return busy.getReadOnlyProperty();
  }

  /** The last export's outcome as the status line said it, or empty. */
  public ReadOnlyStringProperty result() {
    return result.getReadOnlyProperty();
  }

  /**
   * Asks where, then exports. Call on the FX thread.
   *
   * @param what what is exported, for the dialog's title and the status line ("problems")
   * @param targets the list routes, each a path with its query ({@code /rejects?limit=10000})
   * @param fileName the suggested file name
   * @return completes (on the ui executor) when the file is written, failed or cancelled
   */
  public CompletableFuture<Void> export(String what, List<String> targets, String fileName) {
    if (busy.get() || targets.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Optional<Path> chosen = chooser.choose("Export " + what + " as CSV", fileName);
    if (chosen.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Path path = chosen.get().toAbsolutePath();
    busy.set(true);
    tell("Exporting " + what + "…");
    CompletableFuture<ByteArrayOutputStream> all =
        CompletableFuture.completedFuture(new ByteArrayOutputStream());
    for (int i = 0; i < targets.size(); i++) {
      boolean first = i == 0;
      String target = targets.get(i);
      all =
          all.thenCompose(
              out ->
                  backend
                      .csv(target)
                      .thenApply(
                          bytes -> {
                            byte[] part = first ? bytes : withoutHeader(bytes);
                            out.write(part, 0, part.length);
                            return out;
                          }));
    }
    return all.thenApply(out -> write(path, out.toByteArray()))
        .handleAsync(
            (rows, failure) -> {
              busy.set(false);
              if (failure != null) {
                tell("Export of " + what + " failed: " + BackendException.describe(failure));
              } else {
                tell(
                    "Exported "
                        + what
                        + ": "
                        + (rows == 1 ? "1 row" : rows + " rows")
                        + " to "
                        + path);
              }
              return null;
            },
            ui);
  }

  private void tell(String text) {
    result.set(text);
    status.accept(text);
  }

  /** Writes the file; answers its rows (records after the header). */
  private static int write(Path path, byte[] csv) {
    try {
      Files.write(path, csv);
    } catch (IOException e) {
      throw new CompletionException(
          new BackendException("cannot write " + path + ": " + whyNot(e), e));
    }
    return Math.max(0, records(csv) - 1);
  }

  /** An I/O failure in words. */
  static String whyNot(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "the folder does not exist";
    }
    if (e instanceof NotDirectoryException) {
      return "a part of the path is a file, not a folder";
    }
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** How many RFC 4180 records {@code csv} holds (a quoted field may span lines). */
  static int records(byte[] csv) {
    int records = 0;
    boolean quoted = false;
    boolean inRecord = false;
    for (byte b : csv) {
      if (b == '"') {
        quoted = !quoted; // a doubled quote toggles twice
        inRecord = true;
      } else if (b == '\n' && !quoted) {
        records++;
        inRecord = false;
      } else if (b != '\r') {
        inRecord = true;
      }
    }
    return inRecord ? records + 1 : records;
  }

  /** The bytes after the header record (a header never holds quotes or line breaks). */
  static byte[] withoutHeader(byte[] csv) {
    String text = new String(csv, StandardCharsets.UTF_8);
    int end = text.indexOf("\r\n");
    return end < 0 ? new byte[0] : text.substring(end + 2).getBytes(StandardCharsets.UTF_8);
  }
}
