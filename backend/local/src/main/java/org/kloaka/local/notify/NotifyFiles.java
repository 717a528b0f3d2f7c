package org.kloaka.local.notify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLSocketFactory;
import org.kloaka.channels.ChannelSet;
import org.kloaka.channels.Secrets;
import org.kloaka.core.notify.NotificationPlan;
import org.kloaka.local.Explain;
import org.kloaka.notify.NotifyDescription;
import org.kloaka.notify.NotifyException;
import org.kloaka.notify.NotifyJson;

/**
 * Reads {@code --notify FILE} (docs/notifications.md): its JSON, its ladder and its channels, with
 * SMTP passwords from {@code password_file} (a relative path is relative to the notification file's
 * folder). The local runtime sends {@code webhook} and {@code email}; {@code sns} is AWS's.
 */
public final class NotifyFiles {

  /** What the local runtime can send. */
  public static final Set<String> LOCAL_TYPES = Set.of("webhook", "email");

  /** A read file: the ladder and its channels. */
  public record Notify(NotificationPlan plan, ChannelSet channels) {}

  private NotifyFiles() {}

  /**
   * @param sockets TLS sockets for SMTP, or null for the JVM's
   * @throws NotifyException naming the file and its problem
   */
  public static Notify read(Path file, SSLSocketFactory sockets, Duration timeout)
      throws NotifyException {
    String headline = "notification file " + file;
    byte[] json;
    try {
      json = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new NotifyException(headline + " cannot be read: " + Explain.io(e));
    }
    NotifyDescription description = NotifyJson.parse(headline, json);
    NotificationPlan plan = NotificationPlan.of(headline, description, LOCAL_TYPES);
    Path folder = file.toAbsolutePath().getParent();
    ChannelSet channels =
        ChannelSet.build(
            headline, description, plan, new FileSecrets(folder), Map.of(), sockets, timeout);
    return new Notify(plan, channels);
  }

  private record FileSecrets(Path folder) implements Secrets {

    @Override
    public String smtpPassword(String where, NotifyDescription.Smtp smtp) throws NotifyException {
      if (smtp.passwordSsm() != null) {
        throw new NotifyException(
            where + ".password_ssm is for AWS; the local runtime reads password_file");
      }
      if (smtp.passwordFile() == null) {
        return null;
      }
      Path path = folder.resolve(smtp.passwordFile());
      try {
        String password = Files.readString(path, StandardCharsets.UTF_8).strip();
        if (password.isEmpty()) {
          throw new NotifyException(where + ".password_file " + path + " is empty");
        }
        return password;
      } catch (IOException e) {
        throw new NotifyException(
            where + ".password_file " + path + " cannot be read: " + Explain.io(e));
      }
    }

    @Override
    public String headerValue(String where, String value) {
      return value;
    }
  }
}
