package org.kloaka.console.viewmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kloaka.console.viewmodel.Fixtures.device;
import static org.kloaka.console.viewmodel.Fixtures.id;
import static org.kloaka.console.viewmodel.Fixtures.problem;
import static org.kloaka.console.viewmodel.Fixtures.state;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kloaka.model.ProblemType;

class LineViewModelTest {

  static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);
  final LineViewModel line =
      new LineViewModel(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(1));

  long now(long minusSeconds) {
    return NOW.getEpochSecond() - minusSeconds;
  }

  @Test
  void tubesFollowTheNetworkAndAJunctionLinksTheLastSensorIntoTheOtherTube() {
    line.replace(Fixtures.twoTubes(), List.of());

    assertThat(line.tubes())
        .extracting(TubeRun::label)
        .containsExactly("Tube 0 · Via Roma trunk", "Tube 1");
    assertThat(line.segments())
        .extracting(Segment::pairId)
        .containsExactly("0102", "0203", "0312", "1112", "1213");
    assertThat(line.segment("0312").orElseThrow().junction()).isTrue();
    assertThat(line.segment("0102").orElseThrow().junction()).isFalse();
    assertThat(line.tubes().get(0).drainsInto().id()).isEqualTo(id("12"));
  }

  @Test
  void segmentVerdictFollowsLevelsAndIsUnknownUntilBothSensorsReported() {
    line.replace(
        Fixtures.twoTubes(), List.of(device("01", 100, now(60)), device("02", 50, now(60))));

    assertThat(line.segment("0102").orElseThrow().verdict()).isEqualTo(SegmentVerdict.OBSTRUCTION);
    assertThat(line.segment("0203").orElseThrow().verdict()).isEqualTo(SegmentVerdict.UNKNOWN);

    line.apply(state("03", 10, now(30)));
    line.apply(state("02", 20, now(30)));
    line.commit();

    assertThat(line.segment("0102").orElseThrow().verdict()).isEqualTo(SegmentVerdict.OBSTRUCTION);
    assertThat(line.segment("0203").orElseThrow().verdict()).isEqualTo(SegmentVerdict.OK);
  }

  @Test
  void anActiveUnresolvedProblemColoursItsSegmentEvenBeforeTheValuesAreKnown() {
    line.replace(Fixtures.twoTubes(), List.of());

    line.apply(problem("11", "12", ProblemType.PROBLEM, now(10), true));
    line.commit();

    assertThat(line.segment("1112").orElseThrow().verdict()).isEqualTo(SegmentVerdict.PROBLEM);
    assertThat(line.segment("1213").orElseThrow().verdict()).isEqualTo(SegmentVerdict.UNKNOWN);

    line.apply(
        Fixtures.seenAgain(problem("11", "12", ProblemType.PROBLEM, now(10), true), now(5), false));
    assertThat(line.segment("1112").orElseThrow().verdict()).isEqualTo(SegmentVerdict.UNKNOWN);
  }

  @Test
  void problemsSurviveARebuildOfTheLine() {
    line.replace(Fixtures.twoTubes(), List.of());
    line.apply(problem("01", "02", ProblemType.OBSTRUCTION, now(10), true));

    line.replace(Fixtures.twoTubes(), List.of());

    assertThat(line.segment("0102").orElseThrow().verdict()).isEqualTo(SegmentVerdict.OBSTRUCTION);
  }

  @Test
  void aSensorSilentLongerThanTheThresholdIsStaleAndTheThresholdCanChange() {
    line.replace(
        Fixtures.twoTubes(), List.of(device("01", 100, now(3 * 3600)), device("02", 100, now(60))));

    assertThat(line.isStale(line.sensor(id("01")).orElseThrow())).isTrue();
    assertThat(line.isStale(line.sensor(id("02")).orElseThrow())).isFalse();
    assertThat(line.isStale(line.sensor(id("03")).orElseThrow()))
        .as("never reported is unknown, not stale")
        .isFalse();

    line.staleAfter().set(Duration.ofHours(4));
    assertThat(line.isStale(line.sensor(id("01")).orElseThrow())).isFalse();
  }

  @Test
  void pipesNextToASilentSensorAreSilentNotOk() {
    // 01 full 3 h ago (stale by the clock), 02 and 03 full now: 01 → 02 would read "OK".
    line.replace(
        Fixtures.twoTubes(),
        List.of(
            device("01", 100, now(3 * 3600)),
            device("02", 100, now(60)),
            device("03", 100, now(60))));

    assertThat(line.segment("0102").orElseThrow().verdict()).isEqualTo(SegmentVerdict.SILENT);
    assertThat(line.segment("0203").orElseThrow().verdict()).isEqualTo(SegmentVerdict.OK);
    assertThat(line.silentCount().get()).isEqualTo(1);

    // The backend's SILENT record for 03 (its own window): 02 → 03 turns silent too…
    org.kloaka.model.Problem silent = silentRecord("03", true);
    line.apply(silent);
    line.commit();
    assertThat(line.segment("0203").orElseThrow().verdict()).isEqualTo(SegmentVerdict.SILENT);
    assertThat(line.segment("0312").orElseThrow().verdict())
        .as("12 never reported: unknown comes first")
        .isEqualTo(SegmentVerdict.UNKNOWN);
    assertThat(line.silentCount().get()).isEqualTo(2);

    // …until 03 reports again and the record is no longer active.
    line.apply(silentRecord("03", false));
    line.commit();
    assertThat(line.segment("0203").orElseThrow().verdict()).isEqualTo(SegmentVerdict.OK);

    // An open pair problem still wins over silence.
    line.apply(problem("01", "02", ProblemType.OBSTRUCTION, now(30), true));
    line.commit();
    assertThat(line.segment("0102").orElseThrow().verdict()).isEqualTo(SegmentVerdict.OBSTRUCTION);
  }

  static org.kloaka.model.Problem silentRecord(String sensor, boolean active) {
    return new org.kloaka.model.Problem(
        sensor,
        ProblemType.SILENT,
        NOW.getEpochSecond() - 600,
        org.kloaka.model.ProblemStatus.UNRESOLVED,
        id(sensor),
        null,
        org.kloaka.model.Filling.of(100),
        null,
        active,
        NOW.getEpochSecond() - 60,
        null,
        null,
        null);
  }

  @Test
  void aPushOlderThanTheHeldValueIsIgnored() {
    line.replace(Fixtures.twoTubes(), List.of(device("01", 100, now(60))));

    line.apply(state("01", 0, now(120)));

    assertThat(line.sensor(id("01")).orElseThrow().value().toString()).isEqualTo("100");
  }

  @Test
  void aDeviceTheNetworkDoesNotNameJoinsItsTubeInNumberOrder() {
    line.replace(Fixtures.twoTubes(), List.of(device("12-5", 100, now(60))));
    long layout = line.layoutRevision().get();

    line.apply(state("12-3", 100, now(10)));
    line.apply(state("12-4", 50, now(10)));
    line.commit();

    assertThat(line.layoutRevision().get()).isGreaterThan(layout);
    assertThat(line.tubes()).extracting(TubeRun::id).containsExactly("0", "1", "12");
    assertThat(line.tubes().get(2).sensors())
        .extracting(n -> n.id().toString())
        .containsExactly("12-3", "12-4", "12-5");
    assertThat(line.segment("12-312-4").orElseThrow().verdict())
        .isEqualTo(SegmentVerdict.OBSTRUCTION);
  }

  @Test
  void derivedSensorsLinkOnlyToConsecutiveDerivedNeighboursNeverToTheFilesSensors() {
    var tube =
        new org.kloaka.network.NetworkDescription.Tube(
            "0",
            null,
            List.of(
                new org.kloaka.network.NetworkDescription.Sensor("01", null, null, null),
                new org.kloaka.network.NetworkDescription.Sensor("02", null, null, null),
                org.kloaka.network.NetworkDescription.Sensor.derived("05"),
                org.kloaka.network.NetworkDescription.Sensor.derived("06"),
                org.kloaka.network.NetworkDescription.Sensor.derived("08")),
            null);

    line.replace(new org.kloaka.network.NetworkDescription(List.of(tube)), List.of());

    assertThat(line.segments()).extracting(Segment::pairId).containsExactly("0102", "0506");
    assertThat(line.sensor(id("08")).orElseThrow().derived()).isTrue();
    assertThat(line.sensor(id("02")).orElseThrow().derived()).isFalse();
  }

  @Test
  void aBatchOfPushesBumpsTheRevisionOnce() {
    line.replace(Fixtures.twoTubes(), List.of());
    long before = line.revision().get();

    for (int i = 0; i < 50; i++) {
      line.apply(state("01", i % 2 == 0 ? 100 : 50, now(100 - i)));
    }
    line.commit();
    line.commit();

    assertThat(line.revision().get()).isEqualTo(before + 1);
  }

  @Test
  void findTakesEitherIdSpellingOrPartOfAName() {
    line.replace(Fixtures.twoTubes(), List.of());

    assertThat(line.find("0-2")).map(SensorNode::id).contains(id("02"));
    assertThat(line.find("manhole 1")).map(SensorNode::id).contains(id("01"));
    assertThat(line.find("99")).isEmpty();
    assertThat(line.find("  ")).isEmpty();
  }
}
