package org.kloaka.local;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * Failures in words for the person who must act, never an exception's class name or a library's
 * internals (docs/api.md: no stack traces or internals in any answer). The fuzzers found Jackson's
 * {@code StreamReadConstraints} and {@code java.nio.file.…Exception} in answers before these.
 */
public final class Explain {

  /** Jackson's read limits (nesting 1000, numbers 1000 digits, strings 20 M), in words. */
  public static final String JSON_TOO_BIG =
      "nested deeper than 1000 levels, or a number or string far too long";

  private Explain() {}

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
