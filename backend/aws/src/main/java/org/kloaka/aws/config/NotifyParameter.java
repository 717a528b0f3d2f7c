package org.kloaka.aws.config;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.kloaka.aws.notify.SnsChannel;
import org.kloaka.channels.ChannelSet;
import org.kloaka.channels.Secrets;
import org.kloaka.core.app.DeliverDueNotifications;
import org.kloaka.core.network.Network;
import org.kloaka.core.notify.MessageText;
import org.kloaka.core.notify.NotificationPlan;
import org.kloaka.core.notify.RetryPolicy;
import org.kloaka.core.port.NotificationChannels;
import org.kloaka.core.port.Transactions;
import org.kloaka.notify.NotifyDescription;
import org.kloaka.notify.NotifyException;
import org.kloaka.notify.NotifyJson;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The notification file on AWS (docs/notifications.md, docs/aws.md): serverless.yml's {@code
 * notify} parameter reaches every function as {@value Settings#NOTIFY}, one line of JSON, read and
 * validated at the cold start exactly as the local runtime reads {@code --notify FILE} — a bad one
 * fails the start with a message naming the problem. Secrets are references to SSM parameters
 * ({@code smtp.password_ssm}, a header value {@code ssm:/name}), read only when the channels are
 * built ({@link #channels}), never while a SnapStart snapshot is taken.
 */
public final class NotifyParameter {

  /** What the AWS deployment can send. */
  public static final Set<String> AWS_TYPES = Set.of("webhook", "email", "sns");

  /** A header value that names an SSM parameter instead of holding the secret. */
  public static final String SSM_PREFIX = "ssm:";

  static final String HEADLINE = "notification file in " + Settings.NOTIFY + " (parameter notify)";

  private static final NotifyParameter NONE = new NotifyParameter(null, NotificationPlan.NONE);

  private final NotifyDescription file;
  private final NotificationPlan plan;

  private NotifyParameter(NotifyDescription file, NotificationPlan plan) {
    this.file = file;
    this.plan = plan;
  }

  /**
   * The file and its ladder, checked without I/O (every function that writes problems needs the
   * ladder); the channels' own fields and secrets are checked when {@link #channels} builds them —
   * at the sender function's cold start.
   *
   * @throws IllegalStateException naming the file's problem (not JSON, an unknown field or channel,
   *     a bad or backwards duration, a missing field)
   */
  public static NotifyParameter of(Settings settings) {
    String json = settings.optional(Settings.NOTIFY);
    if (json == null) {
      return NONE;
    }
    try {
      NotifyDescription file = NotifyJson.parse(HEADLINE, json.getBytes(StandardCharsets.UTF_8));
      return new NotifyParameter(file, NotificationPlan.of(HEADLINE, file, AWS_TYPES));
    } catch (NotifyException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  public NotificationPlan plan() {
    return plan;
  }

  /**
   * The use case over the stores' outbox, problems and timeline, sending through {@code channels}
   * with sensor names from the network file. The stores must have been built with this file ({@link
   * Stores#of}).
   */
  public static DeliverDueNotifications deliver(
      Stores stores, NotificationChannels channels, Network network, Clock clock) {
    return new DeliverDueNotifications(
        stores.outbox(),
        stores.problems(),
        channels,
        MessageText.of(network),
        RetryPolicy.DEFAULT,
        Transactions.DIRECT,
        stores.timeline(),
        clock);
  }

  /**
   * The channels, with their secrets read from SSM now.
   *
   * @param topicArn the stack's SNS topic, or null when there is none
   * @throws NotifyException naming the channel and field whose secret cannot be read
   */
  public ChannelSet channels(
      SsmParameterReader ssm, SnsClient sns, String topicArn, Duration timeout)
      throws NotifyException {
    Secrets secrets = new SsmSecrets(ssm);
    if (plan.isEmpty()) {
      return ChannelSet.none();
    }
    ChannelSet.Maker snsMaker =
        (name, config) -> {
          String where = HEADLINE + ": channels." + name;
          if (config.url() != null
              || config.headers() != null
              || config.to() != null
              || config.from() != null
              || config.smtp() != null) {
            throw new NotifyException(
                where + ": an sns channel takes no other field (subscribers join the topic)");
          }
          if (sns == null || topicArn == null) {
            throw new NotifyException(
                where + ": the stack names no SNS topic (" + Settings.NOTIFY_TOPIC + ")");
          }
          return new SnsChannel(sns, topicArn);
        };
    return ChannelSet.build(HEADLINE, file, plan, secrets, Map.of("sns", snsMaker), null, timeout);
  }

  /** Checks a reference's shape (SsmSecrets reads it then). */
  private enum References implements Secrets {
    INSTANCE;

    @Override
    public String smtpPassword(String where, NotifyDescription.Smtp smtp) throws NotifyException {
      if (smtp.passwordFile() != null) {
        throw new NotifyException(
            where
                + ".password_file is for the local runtime; on AWS name an SSM SecureString with"
                + " password_ssm");
      }
      if (smtp.passwordSsm() == null) {
        return null;
      }
      if (smtp.passwordSsm().isBlank()) {
        throw new NotifyException(where + ".password_ssm is empty (an SSM parameter name)");
      }
      return "(read from SSM when sending)";
    }

    @Override
    public String headerValue(String where, String value) throws NotifyException {
      if (value.startsWith(SSM_PREFIX) && value.substring(SSM_PREFIX.length()).isBlank()) {
        throw new NotifyException(where + " \"" + value + "\" names no SSM parameter");
      }
      return value;
    }
  }

  /** Reads the references from SSM Parameter Store (SecureStrings are decrypted). */
  private record SsmSecrets(SsmParameterReader ssm) implements Secrets {

    @Override
    public String smtpPassword(String where, NotifyDescription.Smtp smtp) throws NotifyException {
      String checked = References.INSTANCE.smtpPassword(where, smtp);
      return checked == null ? null : read(where + ".password_ssm", smtp.passwordSsm());
    }

    @Override
    public String headerValue(String where, String value) throws NotifyException {
      References.INSTANCE.headerValue(where, value);
      return value.startsWith(SSM_PREFIX)
          ? read(where, value.substring(SSM_PREFIX.length()))
          : value;
    }

    private String read(String where, String name) throws NotifyException {
      try {
        return ssm.decrypted(name);
      } catch (RuntimeException e) {
        throw new NotifyException(
            where + ": SSM parameter " + name + " cannot be read: " + e.getMessage());
      }
    }
  }
}
