package org.kloaka.local.sqlite;

/** The local store failed: a message for the operator, with the SQLite error as the cause. */
public final class StoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
