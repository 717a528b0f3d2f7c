package org.kloaka.core.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kloaka.notify.NotifyException;
import org.kloaka.notify.NotifyJson;

/** A bad notification file is refused with a message naming its problem. */
class NotificationPlanTest {

  static NotificationPlan read(String json, Set<String> allowed) throws NotifyException {
    return NotificationPlan.of(
        "notification file f.json",
        NotifyJson.parse("notification file f.json", json.getBytes(StandardCharsets.UTF_8)),
        allowed);
  }

  @Test
  void aGoodFileGivesTheLadder() throws Exception {
    NotificationPlan plan =
        read(
            "{\"channels\": {\"a\": {\"type\": \"webhook\"}}, \"escalation\": [{\"after\": \"0s\","
                + " \"notify\": [\"a\"]}, {\"after\": \"PT30M\", \"notify\": [\"a\"]}]}",
            NotificationPlan.TYPES);
    assertThat(plan.steps()).hasSize(2);
    assertThat(plan.steps().get(1).after()).isEqualTo(Duration.ofMinutes(30));
    assertThat(plan.alsoWhenResolved()).isFalse();
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"channels\": {\"a\": {\"type\": \"webhook\"}}, \"escalation\": [{\"after\": \"0s\", \"notify\": [\"b\"]}]}"
            + "|escalation[0].notify names the unknown channel \"b\" (channels: a)",
        "{\"channels\": {\"a\": {\"type\": \"webhook\"}}, \"escalation\": [{\"after\": \"soon\", \"notify\": [\"a\"]}]}"
            + "|escalation[0].after \"soon\" is not a duration",
        "{\"channels\": {\"a\": {\"type\": \"webhook\"}}, \"escalation\": [{\"notify\": [\"a\"]}]}"
            + "|escalation[0].after is missing",
        "{\"channels\": {\"a\": {\"type\": \"pager\"}}, \"escalation\": [{\"after\": \"0s\", \"notify\": [\"a\"]}]}"
            + "|channels.a.type \"pager\" is not a channel type",
        "{\"channels\": {\"a\": {}}, \"escalation\": [{\"after\": \"0s\", \"notify\": [\"a\"]}]}"
            + "|channels.a.type is missing",
        "{\"channels\": {\"a\": {\"type\": \"webhook\"}}}|\"escalation\" is missing or empty",
        "{\"escalation\": []}|\"channels\" is missing or empty",
        "{\"channels\": {\"a\": {\"type\": \"webhook\"}}, \"escalation\": [{\"after\": \"1h\", \"notify\": [\"a\"]}, {\"after\": \"5m\", \"notify\": [\"a\"]}]}"
            + "|escalation[1].after (5m) comes before the step above it",
        "{\"channels\": {\"a\": {\"type\": \"webhook\"}}, \"escalations\": []}"
            + "|unknown field \"escalations\" at escalations",
        "{\"channels\": |not a notification file",
        "{\"channels\": {\"a\": {\"type\": \"webhook\"}}, \"escalation\": [{\"after\": \"0s\", \"notify\": []}]}"
            + "|escalation[0].notify is missing or empty",
      })
  void aBadFileIsRefusedNamingItsProblem(String json, String expected) {
    assertThatThrownBy(() -> read(json, NotificationPlan.TYPES))
        .isInstanceOf(NotifyException.class)
        .hasMessageStartingWith("notification file f.json: ")
        .hasMessageContaining(expected);
  }

  @Test
  void aChannelTypeTheDeploymentCannotSendIsRefused() {
    assertThatThrownBy(
            () ->
                read(
                    "{\"channels\": {\"sms\": {\"type\": \"sns\"}}, \"escalation\": [{\"after\":"
                        + " \"0s\", \"notify\": [\"sms\"]}]}",
                    Set.of("webhook", "email")))
        .hasMessageContaining("channels.sms is of type sns, which this deployment cannot send");
  }
}
