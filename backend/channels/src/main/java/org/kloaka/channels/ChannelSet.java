package org.kloaka.channels;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLSocketFactory;
import org.kloaka.core.notify.Message;
import org.kloaka.core.notify.NotificationPlan;
import org.kloaka.core.port.NotificationChannels;
import org.kloaka.notify.NotifyDescription;
import org.kloaka.notify.NotifyException;

/**
 * The channels of one notification file, built and checked at start: a webhook needs an http(s)
 * {@code url}; an e-mail channel {@code to}, {@code from} and {@code smtp.host} (its port defaults
 * to 587 with {@code starttls}, 465 with {@code tls}, 25 with {@code none}) and a readable password
 * if it names one. A channel type the deployment adds itself (SNS on AWS) comes from {@code
 * others}.
 */
public final class ChannelSet implements NotificationChannels, AutoCloseable {

  /** Builds a channel of a type this module does not know (SNS on AWS). */
  @FunctionalInterface
  public interface Maker {
    Channel make(String name, NotifyDescription.Channel config) throws NotifyException;
  }

  private final Map<String, Channel> channels;
  private final ExecutorService waiting;

  private ChannelSet(Map<String, Channel> channels, ExecutorService waiting) {
    this.channels = channels;
    this.waiting = waiting;
  }

  /** No notification file. */
  public static ChannelSet none() {
    return new ChannelSet(Map.of(), null);
  }

  /** Channels by name, for tests. */
  public static ChannelSet of(Map<String, Channel> channels) {
    return new ChannelSet(new LinkedHashMap<>(channels), null);
  }

  /**
   * @param headline what every message starts with, e.g. {@code notification file /etc/k.json}
   * @param sockets TLS sockets for SMTP, or null for the JVM's
   * @throws NotifyException naming the channel and field that is wrong
   */
  public static ChannelSet build(
      String headline,
      NotifyDescription file,
      NotificationPlan plan,
      Secrets secrets,
      Map<String, Maker> others,
      SSLSocketFactory sockets,
      Duration timeout)
      throws NotifyException {
    ExecutorService waiting =
        Executors.newCachedThreadPool(
            r -> {
              Thread thread = new Thread(r, "kloaka-webhook");
              thread.setDaemon(true);
              return thread;
            });
    Map<String, Channel> built = new LinkedHashMap<>();
    try {
      for (String name : plan.channels()) {
        NotifyDescription.Channel config = file.channels().get(name);
        String where = headline + ": channels." + name;
        Channel channel =
            switch (plan.typeOf(name)) {
              case "webhook" -> webhook(where, config, secrets, timeout, waiting);
              case "email" -> email(where, name, config, secrets, sockets, timeout);
              default -> {
                Maker maker = others.get(plan.typeOf(name));
                if (maker == null) {
                  throw new NotifyException(
                      where + " is of type " + plan.typeOf(name) + ", which cannot be sent here");
                }
                yield maker.make(name, config);
              }
            };
        built.put(name, channel);
      }
    } catch (NotifyException | RuntimeException e) {
      built.values().forEach(Channel::close);
      waiting.shutdownNow();
      throw e;
    }
    return new ChannelSet(built, waiting);
  }

  private static Channel webhook(
      String where,
      NotifyDescription.Channel config,
      Secrets secrets,
      Duration timeout,
      ExecutorService waiting)
      throws NotifyException {
    unexpected(where, "to", config.to(), "from", config.from(), "smtp", config.smtp());
    if (config.url() == null || config.url().isBlank()) {
      throw new NotifyException(where + ".url is missing (the webhook's https:// address)");
    }
    URI url;
    try {
      url = new URI(config.url());
    } catch (URISyntaxException e) {
      throw new NotifyException(where + ".url is not a URL: " + e.getMessage());
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
      throw new NotifyException(where + ".url must be an http:// or https:// address with a host");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    if (config.headers() != null) {
      for (var header : config.headers().entrySet()) {
        if (header.getValue() == null) {
          throw new NotifyException(where + ".headers." + header.getKey() + " is null");
        }
        headers.put(
            header.getKey(),
            secrets.headerValue(where + ".headers." + header.getKey(), header.getValue()));
      }
    }
    return new WebhookChannel(url, headers, timeout, WebhookChannel.MAX_IN_FLIGHT, waiting);
  }

  private static Channel email(
      String where,
      String name,
      NotifyDescription.Channel config,
      Secrets secrets,
      SSLSocketFactory sockets,
      Duration timeout)
      throws NotifyException {
    unexpected(where, "url", config.url(), "headers", config.headers(), null, null);
    if (config.to() == null || config.to().isEmpty()) {
      throw new NotifyException(where + ".to is missing or empty (a list of addresses)");
    }
    if (config.from() == null || config.from().isBlank()) {
      throw new NotifyException(where + ".from is missing (the sender's address)");
    }
    NotifyDescription.Smtp smtp = config.smtp();
    if (smtp == null) {
      throw new NotifyException(where + ".smtp is missing ({\"host\": …, \"tls\": …})");
    }
    if (smtp.host() == null || smtp.host().isBlank()) {
      throw new NotifyException(where + ".smtp.host is missing");
    }
    EmailChannel.Tls tls;
    try {
      tls =
          EmailChannel.Tls.valueOf(
              (smtp.tls() == null ? "starttls" : smtp.tls()).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new NotifyException(
          where + ".smtp.tls \"" + smtp.tls() + "\" must be starttls, tls or none");
    }
    int port =
        smtp.port() != null
            ? smtp.port()
            : switch (tls) {
              case STARTTLS -> 587;
              case TLS -> 465;
              case NONE -> 25;
            };
    if (port < 1 || port > 65535) {
      throw new NotifyException(where + ".smtp.port " + port + " is not a port (1-65535)");
    }
    String password = secrets.smtpPassword(where + ".smtp", smtp);
    if (password != null && smtp.username() == null) {
      throw new NotifyException(where + ".smtp.username is missing (a password is given)");
    }
    try {
      return new EmailChannel(
          name,
          new EmailChannel.Server(smtp.host(), port, tls, smtp.username(), password, timeout),
          config.from(),
          List.copyOf(config.to()),
          sockets);
    } catch (jakarta.mail.MessagingException e) {
      throw new NotifyException(where + ": not an e-mail address: " + e.getMessage());
    }
  }

  private static void unexpected(
      String where, String a, Object aValue, String b, Object bValue, String c, Object cValue)
      throws NotifyException {
    for (Object[] field : new Object[][] {{a, aValue}, {b, bValue}, {c, cValue}}) {
      if (field[0] != null && field[1] != null) {
        throw new NotifyException(where + "." + field[0] + " does not belong to this channel type");
      }
    }
  }

  @Override
  public Set<String> names() {
    return channels.keySet();
  }

  @Override
  public CompletableFuture<Void> send(String channel, Message message) {
    Channel found = channels.get(channel);
    if (found == null) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("no channel " + channel + " in the notification file"));
    }
    return found.send(message);
  }

  @Override
  public void close() {
    channels.values().forEach(Channel::close);
    if (waiting != null) {
      waiting.shutdownNow();
    }
  }
}
