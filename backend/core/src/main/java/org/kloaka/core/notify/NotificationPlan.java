package org.kloaka.core.notify;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kloaka.notify.NotifyDescription;
import org.kloaka.notify.NotifyException;

/**
 * A validated notification file (docs/notifications.md): the channels by name and type, the
 * escalation ladder and whether resolutions are told. What a channel needs beyond its type (a URL,
 * an SMTP server) is checked by the deployment's channel adapters.
 */
public final class NotificationPlan {

  /** The channel types and where they work. */
  public static final Set<String> TYPES = Set.of("webhook", "email", "sns");

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");
  private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(s|m|h|d)");

  /** A step of the ladder, numbered from 1. */
  public record Step(int number, Duration after, List<String> channels) {
    public Step {
      channels = List.copyOf(channels);
    }
  }

  /** No file: nothing is ever due. */
  public static final NotificationPlan NONE = new NotificationPlan(Map.of(), List.of(), false);

  private final Map<String, String> channelTypes;
  private final List<Step> steps;
  private final boolean alsoWhenResolved;

  private NotificationPlan(Map<String, String> channelTypes, List<Step> steps, boolean resolved) {
    this.channelTypes = channelTypes;
    this.steps = steps;
    this.alsoWhenResolved = resolved;
  }

  /**
   * Validates a parsed file.
   *
   * @param headline what every message starts with, e.g. {@code notification file /etc/k.json}
   * @param allowed the channel types this deployment can send through
   * @throws NotifyException naming the first problem found: an unknown channel or type, a bad
   *     duration, a missing field
   */
  public static NotificationPlan of(String headline, NotifyDescription file, Set<String> allowed)
      throws NotifyException {
    if (file.channels() == null || file.channels().isEmpty()) {
      throw new NotifyException(headline + ": \"channels\" is missing or empty");
    }
    Map<String, String> types = new LinkedHashMap<>();
    for (var entry : file.channels().entrySet()) {
      String name = entry.getKey();
      if (!NAME.matcher(name).matches()) {
        throw new NotifyException(
            headline + ": channel name \"" + name + "\" must be 1-64 of A-Z a-z 0-9 . _ - @");
      }
      if (entry.getValue() == null || entry.getValue().type() == null) {
        throw new NotifyException(headline + ": channels." + name + ".type is missing");
      }
      String type = entry.getValue().type();
      if (!TYPES.contains(type)) {
        throw new NotifyException(
            headline
                + ": channels."
                + name
                + ".type \""
                + type
                + "\" is not a channel type (webhook, email, sns)");
      }
      if (!allowed.contains(type)) {
        throw new NotifyException(
            headline
                + ": channels."
                + name
                + " is of type "
                + type
                + ", which this deployment cannot send (it can: "
                + String.join(", ", allowed.stream().sorted().toList())
                + ")");
      }
      types.put(name, type);
    }
    if (file.escalation() == null || file.escalation().isEmpty()) {
      throw new NotifyException(headline + ": \"escalation\" is missing or empty");
    }
    List<Step> steps = new ArrayList<>();
    Duration previous = Duration.ZERO;
    for (int i = 0; i < file.escalation().size(); i++) {
      NotifyDescription.Step step = file.escalation().get(i);
      String where = headline + ": escalation[" + i + "]";
      if (step == null) {
        throw new NotifyException(where + " is null");
      }
      if (step.after() == null) {
        throw new NotifyException(where + ".after is missing (e.g. \"0s\", \"30m\")");
      }
      Duration after = duration(where + ".after", step.after());
      if (after.compareTo(previous) < 0) {
        throw new NotifyException(
            where + ".after (" + step.after() + ") comes before the step above it");
      }
      previous = after;
      if (step.channels() == null || step.channels().isEmpty()) {
        throw new NotifyException(where + ".notify is missing or empty");
      }
      Set<String> names = new LinkedHashSet<>();
      for (String channel : step.channels()) {
        if (!types.containsKey(channel)) {
          throw new NotifyException(
              where
                  + ".notify names the unknown channel \""
                  + channel
                  + "\" (channels: "
                  + String.join(", ", types.keySet())
                  + ")");
        }
        names.add(channel);
      }
      steps.add(new Step(i + 1, after, List.copyOf(names)));
    }
    return new NotificationPlan(
        java.util.Collections.unmodifiableMap(types),
        List.copyOf(steps),
        Boolean.TRUE.equals(file.alsoWhenResolved()));
  }

  /** {@code 90s}, {@code 30m}, {@code 3h}, {@code 1d} or ISO-8601 ({@code PT30M}), not negative. */
  static Duration duration(String where, String text) throws NotifyException {
    Matcher matcher = SHORT.matcher(text.strip().toLowerCase(Locale.ROOT));
    Duration parsed;
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      parsed =
          switch (matcher.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
          };
    } else {
      try {
        parsed = Duration.parse(text.strip());
      } catch (DateTimeParseException e) {
        throw new NotifyException(
            where
                + " \""
                + text
                + "\" is not a duration: write e.g. 0s, 90s, 30m, 3h, 1d or PT30M");
      }
    }
    if (parsed.isNegative()) {
      throw new NotifyException(where + " \"" + text + "\" is negative");
    }
    return parsed;
  }

  public boolean isEmpty() {
    return steps.isEmpty();
  }

  public List<Step> steps() {
    return steps;
  }

  /** Every channel's name, in the file's order. */
  public Set<String> channels() {
    return channelTypes.keySet();
  }

  public String typeOf(String channel) {
    return channelTypes.get(channel);
  }

  public boolean alsoWhenResolved() {
    return alsoWhenResolved;
  }
}
