package org.kloaka.rest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/**
 * The one CSV writer of the REST API (docs/api.md, "CSV";
 * docs/decisions/030-insights-and-exports.md): RFC 4180 — a header row, CRLF after every record, a
 * field quoted when it holds a comma, a double quote, CR or LF, a double quote doubled inside it —
 * in UTF-8 without a byte order mark. A null is an empty field.
 *
 * <p>A text field (anything but a Java number) that starts with {@code = + - @}, a tab or a CR gets
 * a leading apostrophe, so a spreadsheet shows it as text instead of running it as a formula: a
 * device's payload, a reject's reason or an operator's note can hold anything.
 */
final class Csv {

  static final String CONTENT_TYPE = "text/csv; charset=utf-8; header=present";

  /** One column: its header and how a row gives its value (a number, text, boolean or null). */
  record Column<T>(String name, Function<T, ?> value) {}

  private Csv() {}

  static <T> byte[] write(List<Column<T>> columns, List<T> rows) {
    StringBuilder out = new StringBuilder(64 + rows.size() * 16 * columns.size());
    for (int i = 0; i < columns.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      appendField(out, columns.get(i).name());
    }
    out.append("\r\n");
    for (T row : rows) {
      for (int i = 0; i < columns.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        appendCell(out, columns.get(i).value().apply(row));
      }
      out.append("\r\n");
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void appendCell(StringBuilder out, Object value) {
    if (value == null) {
      return;
    }
    if (value instanceof Number number) {
      out.append(number);
      return;
    }
    String text = value.toString();
    appendField(out, looksLikeFormula(text) ? "'" + text : text);
  }

  /** Spreadsheets run a cell as a formula when it starts with one of these (OWASP). */
  static boolean looksLikeFormula(String text) {
    if (text.isEmpty()) {
      return false;
    }
    char first = text.charAt(0);
    return first == '='
        || first == '+'
        || first == '-'
        || first == '@'
        || first == '\t'
        || first == '\r';
  }

  private static void appendField(StringBuilder out, String text) {
    boolean quote = false;
    for (int i = 0; i < text.length() && !quote; i++) {
      char c = text.charAt(i);
      quote = c == ',' || c == '"' || c == '\r' || c == '\n';
    }
    if (!quote) {
      out.append(text);
      return;
    }
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        out.append('"');
      }
      out.append(c);
    }
    out.append('"');
  }
}
