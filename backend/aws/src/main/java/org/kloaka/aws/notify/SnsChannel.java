package org.kloaka.aws.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.kloaka.api.Json;
import org.kloaka.channels.Channel;
import org.kloaka.core.notify.Message;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The {@code sns} channel (docs/notifications.md): publishes to the stack's SNS topic, to which
 * e-mail and SMS subscribers are added. One Publish per message with a message per protocol: the
 * body in plain words for e-mail subscribers (and the default), the one-line text for SMS. The
 * SDK's client is synchronous, so publishes run on a small pool of the channel's own: {@link #send}
 * never blocks its caller.
 */
public final class SnsChannel implements Channel {

  /** SNS takes at most 100 ASCII characters, without line breaks, as a subject. */
  static final int SUBJECT_MAX = 99;

  private final SnsClient sns;
  private final String topicArn;
  private final ObjectMapper mapper = Json.newMapper();
  private final ExecutorService pool =
      Executors.newFixedThreadPool(
          4,
          r -> {
            Thread thread = new Thread(r, "kloaka-sns");
            thread.setDaemon(true);
            return thread;
          });

  public SnsChannel(SnsClient sns, String topicArn) {
    this.sns = sns;
    this.topicArn = topicArn;
  }

  @Override
  public CompletableFuture<Void> send(Message message) {
    String structured;
    try {
      Map<String, String> byProtocol = new LinkedHashMap<>();
      byProtocol.put("default", message.body());
      byProtocol.put("email", message.body());
      byProtocol.put("sms", message.text());
      structured = mapper.writeValueAsString(byProtocol);
    } catch (JsonProcessingException e) {
      return CompletableFuture.failedFuture(e);
    }
    return CompletableFuture.runAsync(
        () -> {
          try {
            sns.publish(
                r ->
                    r.topicArn(topicArn)
                        .subject(subject(message.subject()))
                        .messageStructure("json")
                        .message(structured));
          } catch (SdkException e) {
            throw new IllegalStateException(
                "SNS Publish to " + topicArn + " failed: " + e.getMessage(), e);
          }
        },
        pool);
  }

  /** The subject as SNS accepts it: printable ASCII on one line, under 100 characters. */
  static String subject(String subject) {
    StringBuilder out = new StringBuilder();
    for (char c : subject.replace("→", "->").toCharArray()) {
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    String text = out.toString().strip();
    return text.length() <= SUBJECT_MAX ? text : text.substring(0, SUBJECT_MAX - 3) + "...";
  }

  @Override
  public void close() {
    pool.shutdown();
  }
}
