package org.kloaka.core.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kloaka.core.InMemoryStores;
import org.kloaka.core.network.Network;
import org.kloaka.model.PairInsights;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemEvent;
import org.kloaka.model.ProblemEvent.Type;
import org.kloaka.model.ProblemType;
import org.kloaka.model.SensorId;
import org.kloaka.testing.TestClock;

class InsightsUseCaseTest {

  static final long NOW = 1_800_000_000L;
  static final long DAY = 86_400;

  static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = org.kloaka.api.Json.newMapper();

  final InMemoryStores stores = new InMemoryStores();
  final TestClock clock = TestClock.atEpochSecond(NOW);
  final Insights insights =
      new Insights(stores.timeline, stores.problems, Network.byIdConvention(), clock);

  void event(String id, Type type, long time, long opened, String by) {
    stores.timeline.append(
        new ProblemEvent(id, type, time, by, null, opened, ProblemType.OBSTRUCTION));
  }

  @Test
  void onlyOccurrencesOpenedInTheWindowCountEachInFullAndEventsAfterResolvingChangeNothing() {
    long old = NOW - 40 * DAY;
    event("0102", Type.OPENED, old, old, null); // before the window: not this window's
    event("0102", Type.RESOLVED, NOW - 20 * DAY, old, "ana");
    long a = NOW - 10 * DAY;
    event("0102", Type.OPENED, a, a, null);
    event("0102", Type.INACTIVE, a + 100, a, null);
    event("0102", Type.ACTIVE, a + 300, a, null);
    event("0102", Type.COMMENT, a + 350, a, "ana");
    event("0102", Type.ACKNOWLEDGED, a + 400, a, "ana");
    event("0102", Type.RESOLVED, a + 1000, a, "ana");
    long b = NOW - DAY;
    event("0102", Type.OPENED, b, b, null); // still open: counts up to now

    PairInsights.Row row = insights.pairs(30).pairs().get(0);
    assertThat(row.occurrences()).isEqualTo(2);
    assertThat(row.openS()).isEqualTo(1000 + DAY);
    assertThat(row.longestOpenS()).isEqualTo(DAY);
    assertThat(row.activeS()).isEqualTo(100 + 700 + DAY);
    assertThat(row.medianAckS()).isEqualTo(400);
    assertThat(row.medianResolveS()).isEqualTo(1000);
    assertThat(row.lastProblemTime()).isEqualTo(b);
    assertThat(row.upstreamId()).isEqualTo(SensorId.parse("01"));
    assertThat(row.downstreamId()).isEqualTo(SensorId.parse("02"));
  }

  @Test
  void aSingleSensorsProblemIdIsItsOwnRowAndTheMedianOfAnEvenCountIsTheMeanRoundedDown() {
    for (int i = 0; i < 4; i++) {
      long t = NOW - (i + 1) * DAY;
      event("3-14", Type.OPENED, t, t, null);
      event("3-14", Type.RESOLVED, t + 10 + i, t, "bo");
    }
    PairInsights.Row row = insights.pairs(30).pairs().get(0);
    assertThat(row.problemId()).isEqualTo("3-14");
    assertThat(row.upstreamId()).isEqualTo(SensorId.parse("3-14"));
    assertThat(row.downstreamId()).isNull();
    assertThat(row.medianResolveS()).isEqualTo(11); // (11 + 12) / 2, rounded down
  }

  @Test
  void badWindowsAreRefusedWithAReason() {
    assertThatThrownBy(() -> insights.pairs(0)).hasMessageContaining("days must be from 1 to 365");
    assertThatThrownBy(() -> insights.pairs(366)).hasMessageContaining("was 366");
    assertThatThrownBy(() -> insights.shift(10L, 5L, Insights.HANDOVER, 10))
        .isInstanceOf(Insights.BadWindow.class)
        .hasMessageContaining("until (5) is before since (10)");
    assertThatThrownBy(() -> insights.shift(0L, 365 * DAY + 1, Insights.HANDOVER, 10))
        .hasMessageContaining("over 365 days");
  }

  @Test
  void theShiftPagesThroughMoreEventsThanOnePageAndStopsAtItsLimit() {
    int n = Insights.PAGE + 500;
    for (int i = 0; i < n; i++) {
      // Two events a second, so a page boundary falls inside a second.
      event("0102", Type.COMMENT, NOW - n + i / 2, NOW - DAY, "c" + i);
    }
    List<ProblemEvent> all =
        insights.shift(NOW - n, NOW, EnumSet.allOf(Type.class), Integer.MAX_VALUE);
    assertThat(all).hasSize(n);
    assertThat(all.stream().map(ProblemEvent::by).distinct().count()).isEqualTo(n);
    assertThat(insights.shift(NOW - n, NOW, EnumSet.of(Type.COMMENT), 7)).hasSize(7);
    assertThat(insights.shift(null, null, Insights.HANDOVER, 10))
        .as("the default span is the last 12 hours")
        .allMatch(e -> e.time() >= NOW - 12 * 3600);
  }

  @Test
  void generatedFaultsOnThirtyPipesRankAsTheTestKitComputesThem() {
    FaultHistory.Generated faults = FaultHistory.generate(3, 30, NOW - 40 * DAY, NOW, 3 * DAY);
    faults.events().forEach(stores.timeline::append);
    assertThat(faults.occurrences()).hasSizeGreaterThan(100);
    for (int days : new int[] {30, 3}) {
      PairInsights answer = insights.pairs(days);
      assertThat(FaultHistory.rows(MAPPER.valueToTree(answer).path("pairs")))
          .as("days=%d", days)
          .isEqualTo(FaultHistory.ranking(faults.occurrences(), NOW - days * DAY, NOW));
      for (PairInsights.Row row : answer.pairs()) {
        assertThat(Problem.idOf(row.upstreamId(), row.downstreamId())).isEqualTo(row.problemId());
      }
    }
  }
}
