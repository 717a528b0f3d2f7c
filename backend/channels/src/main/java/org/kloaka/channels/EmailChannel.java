package org.kloaka.channels;

import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLSocketFactory;
import org.kloaka.core.notify.Message;

/**
 * E-mail over SMTP (docs/notifications.md): {@code starttls} (required, not opportunistic), {@code
 * tls} (implicit TLS) or {@code none}. Sends on a thread of its own, so a stalled server holds up
 * only this channel; every socket step times out.
 */
public final class EmailChannel implements Channel {

  /** How the connection is protected. */
  public enum Tls {
    STARTTLS,
    TLS,
    NONE
  }

  /** Where and how to send. {@code password} null: no login. */
  public record Server(
      String host, int port, Tls tls, String username, String password, Duration timeout) {}

  private final Server server;
  private final InternetAddress from;
  private final InternetAddress[] to;
  private final Session session;
  private final ExecutorService sender;
  // Only touched on the sender thread.
  private Transport transport;

  /**
   * @param sockets the TLS socket factory, or null for the JVM's (tests pass one that trusts their
   *     server's certificate)
   */
  public EmailChannel(
      String name, Server server, String from, List<String> to, SSLSocketFactory sockets)
      throws MessagingException {
    this.server = server;
    this.from = new InternetAddress(from, true);
    this.to = new InternetAddress[to.size()];
    for (int i = 0; i < to.size(); i++) {
      this.to[i] = new InternetAddress(to.get(i), true);
    }
    Properties properties = new Properties();
    String protocol = server.tls() == Tls.TLS ? "smtps" : "smtp";
    String prefix = "mail." + protocol + ".";
    properties.put("mail.transport.protocol", protocol);
    properties.put(prefix + "host", server.host());
    properties.put(prefix + "port", String.valueOf(server.port()));
    String millis = String.valueOf(server.timeout().toMillis());
    properties.put(prefix + "connectiontimeout", millis);
    properties.put(prefix + "timeout", millis);
    properties.put(prefix + "writetimeout", millis);
    properties.put(prefix + "auth", String.valueOf(server.username() != null));
    if (server.tls() == Tls.STARTTLS) {
      properties.put(prefix + "starttls.enable", "true");
      properties.put(prefix + "starttls.required", "true");
    }
    if (server.tls() != Tls.NONE) {
      properties.put(prefix + "ssl.checkserveridentity", "true");
      if (sockets != null) {
        properties.put(prefix + "ssl.socketFactory", sockets);
      }
    }
    this.session = Session.getInstance(properties);
    this.sender =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread thread = new Thread(r, "kloaka-email-" + name);
              thread.setDaemon(true);
              return thread;
            });
  }

  @Override
  public CompletableFuture<Void> send(Message message) {
    return CompletableFuture.runAsync(() -> deliver(message), sender);
  }

  private void deliver(Message message) {
    try {
      MimeMessage mail = new MimeMessage(session);
      mail.setFrom(from);
      mail.setRecipients(RecipientType.TO, to);
      mail.setSubject(message.subject(), "UTF-8");
      mail.setText(message.body(), "UTF-8");
      mail.setSentDate(new Date());
      mail.setHeader("X-Kloaka-Event", message.event());
      try {
        connected().sendMessage(mail, to);
      } catch (MessagingException reused) {
        // A kept connection the server has dropped meanwhile: once more on a fresh one.
        disconnect();
        connected().sendMessage(mail, to);
      }
    } catch (MessagingException e) {
      disconnect();
      throw new IllegalStateException(
          "SMTP " + server.host() + ":" + server.port() + ": " + reason(e), e);
    }
  }

  /** The kept connection, opened when there is none: one login for a burst of messages. */
  private Transport connected() throws MessagingException {
    if (transport == null || !transport.isConnected()) {
      disconnect();
      Transport fresh = session.getTransport();
      fresh.connect(server.host(), server.port(), server.username(), server.password());
      transport = fresh;
    }
    return transport;
  }

  private void disconnect() {
    if (transport != null) {
      try {
        transport.close();
      } catch (MessagingException e) {
        // Already gone; nothing to tell.
      }
      transport = null;
    }
  }

  private static String reason(Exception e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String own = String.valueOf(e.getMessage()).strip();
    return cause == e ? own : own + " (" + cause.getMessage() + ")";
  }

  @Override
  public void close() {
    sender.execute(this::disconnect);
    sender.shutdown();
  }
}
