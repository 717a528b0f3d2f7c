package org.kloaka.notify;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The notification file's shape (docs/notifications.md): named channels, an escalation ladder and
 * whether channels hear of resolutions. These records only carry the JSON; the backend's core
 * validates the ladder and each deployment's channel adapters check their own fields.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NotifyDescription(
    @JsonProperty("channels") Map<String, Channel> channels,
    @JsonProperty("escalation") List<Step> escalation,
    @JsonProperty("also_when_resolved") Boolean alsoWhenResolved) {

  public NotifyDescription {
    channels = channels == null ? null : new LinkedHashMap<>(channels);
    escalation = escalation == null ? null : List.copyOf(escalation);
  }

  /**
   * One channel. {@code type} is {@code webhook}, {@code email} or {@code sns}; the other fields
   * belong to one type each.
   *
   * @param headers webhook only: extra request headers (a value may be an {@code ssm:/name}
   *     reference on AWS)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Channel(
      @JsonProperty("type") String type,
      @JsonProperty("url") String url,
      @JsonProperty("headers") Map<String, String> headers,
      @JsonProperty("to") List<String> to,
      @JsonProperty("from") String from,
      @JsonProperty("smtp") Smtp smtp) {}

  /**
   * An SMTP server. {@code tls} is {@code starttls}, {@code tls} or {@code none}; the password is
   * read from {@code password_file} (local runtime) or the SSM parameter {@code password_ssm}
   * (AWS).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Smtp(
      @JsonProperty("host") String host,
      @JsonProperty("port") Integer port,
      @JsonProperty("tls") String tls,
      @JsonProperty("username") String username,
      @JsonProperty("password_file") String passwordFile,
      @JsonProperty("password_ssm") String passwordSsm) {}

  /** A step of the ladder: {@code notify} these channels {@code after} the problem opened. */
  public record Step(
      @JsonProperty("after") String after, @JsonProperty("notify") List<String> channels) {}
}
