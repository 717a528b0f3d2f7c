package org.kloaka.core.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kloaka.model.Filling;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemStatus;
import org.kloaka.model.ProblemType;
import org.kloaka.model.SensorId;

/** What a person reads about a silent sensor: when it was noticed, not "silent since" then. */
class MessageTextTest {

  static final long NOTICED = 1_796_235_187L; // 2026-12-02 18:13:07 UTC

  final MessageText text = MessageText.of(Map.of(SensorId.parse("01"), "Manhole 14"));

  static Problem silent() {
    return new Problem(
        "01",
        ProblemType.SILENT,
        NOTICED,
        ProblemStatus.UNRESOLVED,
        SensorId.parse("01"),
        null,
        Filling.of(60),
        null,
        true,
        NOTICED,
        null,
        null,
        null);
  }

  @Test
  void aSilentSensorIsNoticedAtItsRecordsTimeNotSilentSinceThen() {
    for (Notification.Event event :
        new Notification.Event[] {Notification.Event.OPENED, Notification.Event.ESCALATED}) {
      Message message = text.of(Notification.due(silent(), 1, "oncall", event, NOTICED), silent());
      assertThat(message.text())
          .contains("Sensor Manhole 14 (sensor 01) has gone silent (noticed 2026-12-02 18:13 UTC)")
          .doesNotContain("since");
      assertThat(message.body()).contains("Noticed: 2026-12-02 18:13 UTC").contains("last 60 %");
    }
  }
}
