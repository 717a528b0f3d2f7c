package org.kloaka.channels;

import org.kloaka.notify.NotifyException;

/**
 * Where a deployment finds the secrets a notification file refers to: the local runtime reads
 * {@code password_file}; AWS reads SSM parameters ({@code password_ssm}, header values {@code
 * ssm:/name}).
 */
public interface Secrets {

  /**
   * The SMTP password of {@code smtp}, or null when the file gives none.
   *
   * @param where names the field in messages, e.g. {@code channels.crew.smtp}
   * @throws NotifyException naming the field when the secret cannot be read
   */
  String smtpPassword(String where, org.kloaka.notify.NotifyDescription.Smtp smtp)
      throws NotifyException;

  /** A header value as the file gives it, or the secret it refers to. */
  String headerValue(String where, String value) throws NotifyException;
}
