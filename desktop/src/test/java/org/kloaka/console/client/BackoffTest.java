package org.kloaka.console.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void delaysDoubleUpToTheCapWithJitterInTheUpperHalf() {
    Backoff low = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), () -> 0.0);
    Backoff high = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), () -> 0.999999);

    long[] lows = new long[9];
    long[] highs = new long[9];
    for (int i = 0; i < 9; i++) {
      lows[i] = low.next().toMillis();
      highs[i] = high.next().toMillis();
    }

    assertThat(lows).containsExactly(250, 500, 1000, 2000, 4000, 8000, 15000, 15000, 15000);
    assertThat(highs).containsExactly(499, 999, 1999, 3999, 7999, 15999, 29999, 29999, 29999);
  }

  @Test
  void aConnectionThatWorkedStartsTheDelaysAgain() {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), () -> 0.0);
    backoff.next();
    backoff.next();
    backoff.next();

    backoff.reset();

    assertThat(backoff.next()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void nonsenseBoundsAreRefused() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), () -> 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), () -> 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
