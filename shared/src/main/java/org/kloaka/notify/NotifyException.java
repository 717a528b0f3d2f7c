package org.kloaka.notify;

/** A notification file that cannot be used; the message names the file's problem for a person. */
public final class NotifyException extends Exception {

  private static final long serialVersionUID = 1L;

  public NotifyException(String message) {
    super(message);
  }
}
