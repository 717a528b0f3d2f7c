package org.kloaka.console.client;

/**
 * A call to the backend that did not give the expected answer. {@link #getMessage()} is written for
 * the operator: the server's own {@code error} text when it sent one, else what went wrong on the
 * way. {@link #status()} is the HTTP status, or 0 when no answer arrived at all.
 */
public final class BackendException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;

  public BackendException(int status, String message) {
    super(message);
    this.status = status;
  }

  public BackendException(String message, Throwable cause) {
    super(message, cause);
    this.status = 0;
  }

  /** The HTTP status of the answer, or 0 when the backend could not be reached or read. */
  public int status() {
    return status;
  }

  /** The operator-facing message of any failure, unwrapping the future's wrapper exceptions. */
  public static String describe(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof java.util.concurrent.CompletionException
            || cause instanceof java.util.concurrent.ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof BackendException) {
      return cause.getMessage();
    }
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
