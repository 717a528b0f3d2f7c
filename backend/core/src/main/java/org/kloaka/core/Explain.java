package org.kloaka.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.kloaka.api.Json;

/**
 * Failures in words for the person who must act, never an exception's class name or a library's
 * internals (CONTRACT: no stack traces or internals in any answer). The fuzzers found Jackson's
 * {@code StreamReadConstraints} and {@code java.nio.file.…Exception} in answers before these.
 */
public final class Explain {

  /** Jackson's read limits (nesting 1000, numbers 1000 digits, strings 20 M), in words. */
  public static final String JSON_TOO_BIG =
      "nested deeper than 1000 levels, or a number or string far too long";

  private Explain() {}

  /** Why some JSON could not be read, without the parser's internals. */
  public static String json(JsonProcessingException e) {
    return e instanceof StreamConstraintsException ? JSON_TOO_BIG : Json.explain(e);
  }

  /** Why a file operation failed: "permission denied", "File name too long", … */
  public static String io(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "not found";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "a file of that name is in the way";
    }
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    return e.getMessage() == null ? "an input/output error" : e.getMessage();
  }
}
