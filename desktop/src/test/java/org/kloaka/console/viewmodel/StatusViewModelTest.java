package org.kloaka.console.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.kloaka.console.client.ConnectionStatus;
import org.kloaka.console.client.ConnectionStatus.State;
import org.kloaka.testing.TestClock;

class StatusViewModelTest {

  static final Instant NOW = Instant.parse("2026-11-28T14:05:00Z");
  final TestClock time = new TestClock(NOW);
  final StatusViewModel status = new StatusViewModel(time, new TimeText(ZoneOffset.UTC));

  @Test
  void theHeadlineCountsActiveAndClearedApart() {
    status.loaded();
    status.counts(2, 7, 40);
    assertThat(status.summary().get()).isEqualTo("2 active problems · 7 cleared");
    assertThat(status.headline().get()).isEqualTo(StatusViewModel.Headline.ALERT);
    assertThat(status.title().get()).isEqualTo("(9) Kloaka — 2 active problems · 7 cleared");

    status.counts(0, 1, 40);
    assertThat(status.summary().get()).isEqualTo("Flowing normally · 1 cleared problem to resolve");
    assertThat(status.headline().get()).isEqualTo(StatusViewModel.Headline.ATTENTION);
    assertThat(status.alert().get()).isFalse();

    status.counts(0, 0, 40);
    assertThat(status.summary().get()).isEqualTo("All flows normal");
  }

  @Test
  void silentSensorsAreCountedApartAndNeverReadAsAllNormal() {
    status.loaded();
    status.counts(0, 0, 3, 40);
    assertThat(status.summary().get()).isEqualTo("Flowing normally · 3 silent sensors");
    assertThat(status.headline().get()).isEqualTo(StatusViewModel.Headline.ATTENTION);
    status.counts(2, 1, 1, 40);
    assertThat(status.summary().get()).isEqualTo("2 active problems · 1 cleared · 1 silent");
    assertThat(status.title().get()).startsWith("(4) Kloaka");
  }

  @Test
  void withNoReadingsTheHeadlineDoesNotClaimAllIsWell() {
    assertThat(status.summary().get()).isEqualTo("Loading…");
    status.loaded();
    status.counts(0, 0, 0);
    assertThat(status.summary().get()).isEqualTo("No readings yet");
    assertThat(status.headline().get()).isEqualTo(StatusViewModel.Headline.EMPTY);
  }

  @Test
  void offlineSinceStaysFixedAcrossRetriesWithABannerAndRetryNow() {
    int[] retries = {0};
    status.onRetry(() -> retries[0]++);
    status.address("http://127.0.0.1:8080");
    assertThat(status.banner().get()).isEqualTo("Connecting to http://127.0.0.1:8080 …");
    status.connection(ConnectionStatus.of(State.LIVE, NOW));
    assertThat(status.banner().get()).isEmpty();
    assertThat(status.offline().get()).isFalse();

    status.connection(new ConnectionStatus(State.RECONNECTING, NOW, NOW.plusSeconds(2), null));
    time.forward(Duration.ofMinutes(7));
    status.connection(
        new ConnectionStatus(
            State.RECONNECTING, NOW.plusSeconds(420), NOW.plusSeconds(436), "connection refused"));

    assertThat(status.offline().get()).isTrue();
    assertThat(status.offlineSince()).isEqualTo(NOW);
    assertThat(status.connectionText().get())
        .isEqualTo("reconnecting in 16 s (offline since 2026-11-28 14:05)");
    assertThat(status.banner().get())
        .isEqualTo(
            "Offline since 2026-11-28 14:05 (7 min) — showing the last known state;"
                + " connection refused");
    status.retryNow();
    assertThat(retries[0]).isEqualTo(1);

    status.connection(ConnectionStatus.of(State.SYNCING, time.instant()));
    assertThat(status.offlineSince()).as("until in step again").isEqualTo(NOW);
    status.connection(ConnectionStatus.of(State.LIVE, time.instant()));
    assertThat(status.offlineSince()).isNull();
    assertThat(status.offline().get()).isFalse();
  }
}
