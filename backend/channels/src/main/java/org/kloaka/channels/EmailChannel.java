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
    // A socket that failed is not tried again another way: the error an operator reads is the
    // one of the setup they wrote.
    properties.put(prefix + "socketFactory.fallback", "false");
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
          "SMTP " + server.host() + ":" + server.port() + ": " + explain(e), e);
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

  /**
   * What went wrong in plain words where it is a wrong TLS setup (the usual mistakes: the port and
   * {@code tls} do not match, a certificate the JVM does not trust or that names another host),
   * with the mail library's own words after it; otherwise those words alone.
   */
  String explain(MessagingException e) {
    String words = reason(e);
    String port = String.valueOf(server.port());
    String hint = null;
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      String message = String.valueOf(cause.getMessage());
      if (message.contains("STARTTLS is required but host does not support STARTTLS")) {
        hint =
            "the server does not offer STARTTLS on port "
                + port
                + " (an implicit-TLS port such as 465 needs \"tls\": \"tls\")";
      } else if (message.contains("Unsupported or unrecognized SSL message")) {
        hint =
            "the server on port "
                + port
                + " does not speak TLS at once (a plain or STARTTLS port such as 587 or 25 needs"
                + " \"tls\": \"starttls\" or \"none\")";
      } else if (message.contains("PKIX path") || message.contains("certification path")) {
        hint =
            "the server's TLS certificate is not trusted by this JVM (add its CA to the trust"
                + " store, e.g. -Djavax.net.ssl.trustStore=…)";
      } else if (message.contains("No subject alternative")
          || message.contains("verify identity of server")) {
        hint = "the server's TLS certificate does not name the host " + server.host();
      } else if (cause instanceof java.net.SocketTimeoutException
          && server.tls() == Tls.NONE
          && hint == null) {
        hint =
            "no SMTP answer within "
                + server.timeout().toSeconds()
                + " s (an implicit-TLS port such as 465 needs \"tls\": \"tls\")";
      }
      if (hint != null) {
        return hint + ": " + words;
      }
    }
    return words;
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
