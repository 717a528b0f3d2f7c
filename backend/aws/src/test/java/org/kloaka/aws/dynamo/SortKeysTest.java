package org.kloaka.aws.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SortKeysTest {

  private final Random random = new Random(1);

  @Test
  void keysSortByTimeThenArrivalAsStrings() {
    List<String> inOrder =
        List.of(
            SortKeys.key(9, Instant.ofEpochSecond(1000, 5), random),
            SortKeys.key(10, Instant.ofEpochSecond(999), random), // later second, earlier arrival
            SortKeys.key(10, Instant.ofEpochSecond(1000, 1), random),
            SortKeys.key(10, Instant.ofEpochSecond(1000, 2), random),
            SortKeys.key(1_795_860_000L, Instant.ofEpochSecond(1), random));
    List<String> sorted = new ArrayList<>(inOrder);
    sorted.sort(null);
    assertThat(sorted).containsExactlyElementsOf(inOrder);
  }

  @Test
  void theBoundsOfASecondEncloseEveryKeyOfThatSecondAndNoOther() {
    String key = SortKeys.key(10, Instant.ofEpochSecond(1000), random);
    assertThat(key.compareTo(SortKeys.lowest(10))).isPositive();
    assertThat(key.compareTo(SortKeys.highest(10))).isNegative();
    assertThat(key.compareTo(SortKeys.highest(9))).isPositive();
    assertThat(key.compareTo(SortKeys.lowest(11))).isNegative();
  }

  @Test
  void twoKeysOfTheSameInstantDiffer() {
    Instant now = Instant.ofEpochSecond(1000);
    assertThat(SortKeys.key(10, now, random)).isNotEqualTo(SortKeys.key(10, now, random));
  }

  @Test
  void boundsOutsideTheKeyRangeAreClamped() {
    assertThat(SortKeys.lowest(-5)).isEqualTo(SortKeys.lowest(0));
    assertThat(SortKeys.highest(Long.MAX_VALUE)).isEqualTo(SortKeys.highest(SortKeys.MAX_SECOND));
  }
}
