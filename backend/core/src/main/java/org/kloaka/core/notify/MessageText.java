package org.kloaka.core.notify;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.kloaka.core.network.Network;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemType;
import org.kloaka.model.SensorId;
import org.kloaka.network.NetworkDescription;

/**
 * Writes notifications in plain words (docs/notifications.md): what is wrong, where (the sensors'
 * names from the network file), since when, and how to acknowledge.
 */
public final class MessageText {

  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private final Function<SensorId, String> names;

  /**
   * @param names a sensor's name from the network file, or null when it has none
   */
  public MessageText(Function<SensorId, String> names) {
    this.names = names;
  }

  /** Names from a map, e.g. the network file's. */
  public static MessageText of(Map<SensorId, String> names) {
    Map<SensorId, String> copy = Map.copyOf(names);
    return new MessageText(copy::get);
  }

  /** Names from the network file's sensors (both deployments). */
  public static MessageText of(Network network) {
    Map<SensorId, String> names = new HashMap<>();
    network
        .file()
        .ifPresent(
            file -> {
              for (NetworkDescription.Tube tube :
                  file.tubes() == null ? List.<NetworkDescription.Tube>of() : file.tubes()) {
                for (NetworkDescription.Sensor sensor :
                    tube.sensors() == null
                        ? List.<NetworkDescription.Sensor>of()
                        : tube.sensors()) {
                  if (sensor.name() != null && SensorId.whyInvalid(sensor.id()) == null) {
                    names.put(SensorId.parse(sensor.id()), sensor.name());
                  }
                }
              }
            });
    return of(names);
  }

  public Message of(Notification entry, Problem problem) {
    String what = what(problem);
    String since = WHEN.format(Instant.ofEpochSecond(problem.problemTime()));
    // A SILENT record's time is when the silence was noticed, silent-after past the last reading:
    // "silent since" that time would understate how long the sensor has been dark.
    boolean silent = isSilent(problem);
    String when = silent ? " (noticed " + since + ")" : " since " + since;
    String ack =
        "Acknowledge it in the Kloaka console, or: PATCH /problems/"
            + problem.problemId()
            + " {\"acknowledged\": true}";
    String subject;
    String text;
    String opening;
    switch (entry.event()) {
      case RESOLVED -> {
        String by = problem.resolvedBy() == null ? "" : " by " + problem.resolvedBy();
        subject = "Kloaka: resolved " + problem.problem() + " " + where(problem);
        text = "Resolved" + by + ": " + what + " (open since " + since + ")";
        opening = "This problem was resolved" + by + ". Nothing more is needed.";
      }
      case ESCALATED -> {
        subject =
            "Kloaka: still unacknowledged (step "
                + entry.step()
                + "): "
                + problem.problem()
                + " "
                + where(problem);
        text = "Still unacknowledged (step " + entry.step() + "): " + what + when + ". " + ack;
        opening = "Nobody has acknowledged this problem yet, so it is escalated to you.";
      }
      default -> {
        subject = "Kloaka: " + problem.problem() + " " + where(problem);
        text = what + when + ". " + ack;
        opening = "A new problem opened on the sewer line.";
      }
    }
    String body =
        opening
            + "\n\n"
            + what
            + ".\n"
            + meaning(problem.problem())
            + (silent ? "\n\nNoticed: " : "\n\nSince: ")
            + since
            + "\nReadings: "
            + readings(problem)
            + "\nProblem id: "
            + problem.problemId()
            + (entry.event() == Notification.Event.RESOLVED ? "" : "\n\n" + ack + ".")
            + "\n";
    return new Message(entry.event().wire(), entry.step(), subject, text, body, problem);
  }

  /** The message {@code POST /notifications/test} sends. */
  public static Message test(String channel) {
    String text = "Kloaka test message for channel " + channel + ": notifications reach you.";
    return new Message(
        "test", 0, "Kloaka: test message (" + channel + ")", text, text + "\n", null);
  }

  private String what(Problem problem) {
    if (isSilent(problem)) {
      return "Sensor " + sensor(problem.upstreamId()) + " has gone silent";
    }
    return problem.problem()
        + " between "
        + sensor(problem.upstreamId())
        + " and "
        + sensor(problem.downstreamId());
  }

  /** One sensor's silence, not a pair's flow. */
  private static boolean isSilent(Problem problem) {
    return problem.downstreamId() == null || "SILENT".equals(problem.problem().name());
  }

  private String where(Problem problem) {
    if (problem.downstreamId() == null) {
      return problem.problemId() + " (" + sensor(problem.upstreamId()) + ")";
    }
    return problem.problemId()
        + " ("
        + sensor(problem.upstreamId())
        + " → "
        + sensor(problem.downstreamId())
        + ")";
  }

  private String sensor(SensorId id) {
    String name = names.apply(id);
    return name == null || name.isBlank() ? "sensor " + id : name + " (sensor " + id + ")";
  }

  private static String meaning(ProblemType type) {
    return switch (type) {
      case OBSTRUCTION ->
          "Upstream flows more than downstream: something may be blocking the pipe between them.";
      case PROBLEM ->
          "Downstream flows more than upstream: water may be entering between them, or a sensor"
              + " reads wrong.";
      default -> "It has sent no reading for longer than expected: check its power and radio.";
    };
  }

  private static String readings(Problem problem) {
    String up = problem.upstreamValue() == null ? "-" : problem.upstreamValue() + " %";
    if (problem.downstreamId() == null) {
      return "last " + up;
    }
    String down = problem.downstreamValue() == null ? "-" : problem.downstreamValue() + " %";
    return "upstream " + up + ", downstream " + down;
  }
}
