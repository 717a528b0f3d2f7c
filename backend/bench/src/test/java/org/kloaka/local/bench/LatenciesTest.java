package org.kloaka.local.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatenciesTest {

  @Test
  void quantilesAreWithinABucketOfTheExactOnes() {
    Latencies latencies = new Latencies();
    for (int ms = 1; ms <= 1_000; ms++) {
      latencies.record(ms * 1_000_000L);
    }

    assertThat(latencies.count()).isEqualTo(1_000);
    assertThat(latencies.quantileMillis(0.5)).isCloseTo(500, within(500 * 0.01));
    assertThat(latencies.quantileMillis(0.99)).isCloseTo(990, within(990 * 0.01));
    assertThat(latencies.maxMillis()).isEqualTo(1_000);
    assertThat(latencies.quantileMillis(1.0)).isLessThanOrEqualTo(latencies.maxMillis());
  }

  @Test
  void smallValuesAreExactToTheMicrosecondAndNoSamplesIsNotANumber() {
    Latencies latencies = new Latencies();
    assertThat(latencies.quantileMillis(0.99)).isNaN();

    latencies.record(7_000); // 7 µs
    latencies.record(-5); // a clock oddity counts as zero

    assertThat(latencies.quantileMillis(1.0)).isEqualTo(0.007);
    assertThat(latencies.quantileMillis(0.5)).isEqualTo(0.0);
  }

  @Test
  void bucketsCoverEveryValueWithoutGapsOrOverlaps() {
    for (long micros = 0; micros < 5_000_000; micros += micros < 4_096 ? 1 : 997) {
      int index = Latencies.index(micros);
      assertThat(Latencies.lowerBound(index)).isLessThanOrEqualTo(micros);
      assertThat(Latencies.lowerBound(index + 1)).isGreaterThan(micros);
    }
  }
}
