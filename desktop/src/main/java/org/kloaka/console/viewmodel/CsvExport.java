package org.kloaka.console.viewmodel;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
 * tests), fetches the CSV the backend writes for list routes ({@code ?format=csv}, docs/api.md
 * "CSV") and writes it there — RFC 4180, UTF-8, header row, the backend's rows as they came. The
 * result, where the file went and how many rows it holds, goes to the status line as information;
 * why not, or what was left out, as an error.
 *
 * <p>An export is made of {@link Part}s, one file: the first part's header, then every part's rows.
 * A part is a whole list route, the rows of one whose column holds one of some values (the problems
 * the list shows), or a sensor's whole history over a range, paged through the backend's limit of
 * {@value #PAGE} readings per call (docs/decisions/036-insights-console-fixes.md).
 */
public final class CsvExport {

  /** Where to write an export; empty when the operator cancelled. Called on the FX thread. */
  @FunctionalInterface
  public interface PathChooser {
    Optional<Path> choose(String title, String suggestedName);
  }

  /** The most rows a list route answers per call (docs/api.md). */
  public static final int PAGE = 10_000;

  /**
   * At most this many readings of one sensor go into a file; beyond, the export says it was cut.
   */
  static final int MAX_HISTORY_ROWS = 1_000_000;

  /** What one export is made of. */
  public sealed interface Part {

    /** Every row {@code target} answers ({@code /rejects?limit=10000}). */
    static Part route(String target) {
      return new Route(target, null, null);
    }

    /** The rows of {@code target} whose {@code column} holds one of {@code keep}. */
    static Part only(String target, String column, Set<String> keep) {
      return new Route(target, Objects.requireNonNull(column), Set.copyOf(keep));
    }

    /** Every reading of {@code sensor} with {@code since ≤ dt ≤ until}, oldest first. */
    static Part history(String sensor, Instant since, Instant until) {
      return new History(sensor, since.getEpochSecond(), until.getEpochSecond());
    }
  }

  record Route(String target, String column, Set<String> keep) implements Part {}

  record History(String sensor, long since, long until) implements Part {}

  /** A part's CSV: its header record, its records (each with its CRLF), and what was left out. */
  record Table(byte[] header, List<byte[]> records, String cut) {}

  private final Backend backend;
  private final Executor ui;
  private final Consumer<String> info;
  private final Consumer<String> error;
  private PathChooser chooser;
  private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
  private final ReadOnlyStringWrapper result = new ReadOnlyStringWrapper(this, "result", "");

  /**
   * @param info where progress and success are said (the status line, neutral)
   * @param error where a failure or a cut export is said (the status line, as an error)
   */
  public CsvExport(
      Backend backend,
      Executor ui,
      Consumer<String> info,
      Consumer<String> error,
      PathChooser chooser) {
    this.backend = Objects.requireNonNull(backend, "backend");
    this.ui = Objects.requireNonNull(ui, "ui");
    this.info = Objects.requireNonNull(info, "info");
    this.error = Objects.requireNonNull(error, "error");
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

  /** {@link #export(String, List, String)} of whole list routes. */
  public CompletableFuture<Void> exportRoutes(String what, List<String> targets, String fileName) {
    return export(what, targets.stream().map(Part::route).toList(), fileName);
  }

  /**
   * Asks where, then exports. Call on the FX thread.
   *
   * @param what what is exported, for the dialog's title and the status line ("problems")
   * @param parts what the file holds, in order
   * @param fileName the suggested file name
   * @return completes (on the ui executor) when the file is written, failed or cancelled
   */
  public CompletableFuture<Void> export(String what, List<Part> parts, String fileName) {
    if (busy.get() || parts.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Optional<Path> chosen = chooser.choose("Export " + what + " as CSV", fileName);
    if (chosen.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Path path = chosen.get().toAbsolutePath();
    busy.set(true);
    tell(info, "Exporting " + what + "…");
    CompletableFuture<List<Table>> all = CompletableFuture.completedFuture(new ArrayList<>());
    for (Part part : parts) {
      all =
          all.thenCompose(
              tables ->
                  fetch(part)
                      .thenApply(
                          table -> {
                            tables.add(table);
                            return tables;
                          }));
    }
    return all.thenApply(tables -> write(path, tables))
        .handleAsync(
            (written, failure) -> {
              busy.set(false);
              if (failure != null) {
                tell(error, "Export of " + what + " failed: " + BackendException.describe(failure));
              } else {
                String done = "Exported " + what + ": " + rows(written.rows()) + " to " + path;
                if (written.cut().isEmpty()) {
                  tell(info, done);
                } else {
                  tell(error, done + " — cut: " + String.join("; ", written.cut()));
                }
              }
              return null;
            },
            ui);
  }

  private CompletableFuture<Table> fetch(Part part) {
    if (part instanceof History h) {
      return page(h, h.until(), null, new ArrayList<>(), 0, 0);
    }
    Route route = (Route) part;
    return backend
        .csv(route.target())
        .thenApply(
            bytes -> {
              Table table = split(bytes);
              if (route.column() == null) {
                return table;
              }
              int column = column(table.header(), route.column());
              List<byte[]> kept = new ArrayList<>();
              for (byte[] record : table.records()) {
                if (route.keep().contains(field(record, column))) {
                  kept.add(record);
                }
              }
              return new Table(table.header(), kept, null);
            });
  }

  /**
   * One page of a sensor's history: the newest {@value #PAGE} readings with {@code since ≤ dt ≤
   * until}, oldest first. The next page ends at this page's oldest second, so readings that share
   * that second are not lost; the {@code atBoundary} newest rows of it, already kept, are dropped.
   *
   * @param pages the pages kept so far, newest first
   * @param atBoundary how many kept rows have {@code dt == until} (0 on the first page)
   */
  private CompletableFuture<Table> page(
      History h, long until, byte[] header, List<List<byte[]>> pages, int atBoundary, int kept) {
    String target =
        "/devices/"
            + h.sensor()
            + "/measurements?since="
            + h.since()
            + "&until="
            + until
            + "&limit="
            + PAGE;
    return backend
        .csv(target)
        .thenCompose(
            bytes -> {
              Table table = split(bytes);
              byte[] head = header == null ? table.header() : header;
              int dt = column(head, "dt");
              List<byte[]> rows = table.records();
              int answered = rows.size();
              int drop = 0;
              while (drop < atBoundary
                  && drop < rows.size()
                  && seconds(rows.get(rows.size() - 1 - drop), dt) == until) {
                drop++;
              }
              rows = rows.subList(0, rows.size() - drop);
              int total = kept + rows.size();
              if (!rows.isEmpty()) {
                pages.add(rows);
              }
              if (answered < PAGE) {
                return CompletableFuture.completedFuture(joined(head, pages, null));
              }
              if (rows.isEmpty()) {
                return CompletableFuture.completedFuture(
                    joined(
                        head,
                        pages,
                        h.sensor()
                            + "'s readings before "
                            + Instant.ofEpochSecond(until)
                            + " (more than "
                            + PAGE
                            + " in one second)"));
              }
              long oldest = seconds(rows.get(0), dt);
              int same = 0;
              while (same < rows.size() && seconds(rows.get(same), dt) == oldest) {
                same++;
              }
              int next = same == rows.size() && oldest == until ? atBoundary + same : same;
              if (total >= MAX_HISTORY_ROWS) {
                return CompletableFuture.completedFuture(
                    joined(
                        head,
                        pages,
                        h.sensor()
                            + "'s readings before "
                            + Instant.ofEpochSecond(oldest)
                            + " (at most "
                            + MAX_HISTORY_ROWS
                            + " per sensor)"));
              }
              return page(h, oldest, head, pages, next, total);
            });
  }

  private static Table joined(byte[] header, List<List<byte[]>> newestFirst, String cut) {
    List<byte[]> records = new ArrayList<>();
    for (int i = newestFirst.size() - 1; i >= 0; i--) {
      records.addAll(newestFirst.get(i));
    }
    return new Table(header, records, cut);
  }

  private void tell(Consumer<String> where, String text) {
    result.set(text);
    where.accept(text);
  }

  private static String rows(int n) {
    return n == 1 ? "1 row" : n + " rows";
  }

  private record Written(int rows, List<String> cut) {}

  /** Writes the file: the first table's header, then every table's records. */
  private static Written write(Path path, List<Table> tables) {
    int rows = 0;
    List<String> cut = new ArrayList<>();
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path))) {
      out.write(tables.get(0).header());
      for (Table table : tables) {
        for (byte[] record : table.records()) {
          out.write(record);
        }
        rows += table.records().size();
        if (table.cut() != null) {
          cut.add(table.cut() + " were not exported");
        }
      }
    } catch (IOException e) {
      throw new CompletionException(
          new BackendException("cannot write " + path + ": " + whyNot(e), e));
    }
    return new Written(rows, cut);
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

  /**
   * {@code csv} split into RFC 4180 records, each with its line end (a quoted field may span
   * lines); the first is the header. A last record without a line end gets a CRLF.
   */
  static Table split(byte[] csv) {
    List<byte[]> records = new ArrayList<>();
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < csv.length; i++) {
      byte b = csv[i];
      if (b == '"') {
        quoted = !quoted; // a doubled quote toggles twice
      } else if (b == '\n' && !quoted) {
        records.add(Arrays.copyOfRange(csv, start, i + 1));
        start = i + 1;
      }
    }
    if (start < csv.length) {
      byte[] last = Arrays.copyOfRange(csv, start, csv.length + 2); // zero-padded
      last[last.length - 2] = '\r';
      last[last.length - 1] = '\n';
      records.add(last);
    }
    byte[] header = records.isEmpty() ? new byte[0] : records.remove(0);
    return new Table(header, records, null);
  }

  /** How many records after the header {@code csv} holds. */
  static int records(byte[] csv) {
    return split(csv).records().size();
  }

  /** Where {@code name} is among the header's columns. */
  static int column(byte[] header, String name) {
    List<String> names = fields(header);
    int at = names.indexOf(name);
    if (at < 0) {
      throw new CompletionException(
          new BackendException("the backend's CSV has no column " + name + ": " + names, null));
    }
    return at;
  }

  /** The {@code index}th field of a record, unquoted; empty when the record has fewer. */
  static String field(byte[] record, int index) {
    List<String> fields = fields(record);
    return index < fields.size() ? fields.get(index) : "";
  }

  /** A record's fields, unquoted (RFC 4180: quotes doubled inside a quoted field). */
  static List<String> fields(byte[] record) {
    String text = new String(record, StandardCharsets.UTF_8);
    int end = text.length();
    if (text.endsWith("\r\n")) {
      end -= 2;
    } else if (text.endsWith("\n")) {
      end -= 1;
    }
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < end && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString());
    return fields;
  }

  private static long seconds(byte[] record, int column) {
    String text = field(record, column);
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new CompletionException(
          new BackendException("the backend's CSV has a reading at " + text + "?", e));
    }
  }
}
