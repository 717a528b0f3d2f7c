package org.kloaka.aws.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kloaka.aws.moto.Moto;
import org.kloaka.aws.moto.MotoAws;
import org.kloaka.core.TestData;
import org.kloaka.core.port.Stored;
import org.kloaka.model.Device;
import org.kloaka.model.Filling;
import org.kloaka.model.Measurement;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemStatus;
import org.kloaka.model.ProblemType;
import org.kloaka.model.Reject;
import org.kloaka.model.SensorId;
import org.kloaka.model.Signal;
import org.kloaka.testing.TestClock;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@Moto
class DynamoStoresMotoTest {

  private static final long T0 = 1_795_860_000L;
  private final TestClock clock = new TestClock(Instant.ofEpochSecond(T0));

  @Test
  void aDeviceWriteBasedOnAStaleReadLoses(MotoAws aws) {
    DynamoDeviceStore store = devices(aws);
    Device first = device("01", "100", T0);
    assertThat(record(store, null, first)).isTrue();
    assertThat(record(store, null, first)).as("a second registration").isFalse();

    Stored<Device> read = store.find(SensorId.parse("01")).orElseThrow();
    assertThat(read.value()).isEqualTo(first);
    assertThat(record(store, read, device("01", "50", T0 + 1))).isTrue();
    assertThat(record(store, read, device("01", "0", T0 + 2))).as("stale version").isFalse();

    assertThat(store.find(SensorId.parse("01")).orElseThrow().value().lastValue())
        .isEqualTo(Filling.parse("50"));
  }

  @Test
  void theThingsStackFieldsAreDeviceAttributesInTheItemAndTheListing(MotoAws aws) {
    DynamoDeviceStore store = devices(aws);
    Device written =
        new Device(
            SensorId.parse("01"),
            Filling.parse("100"),
            T0,
            List.of(new Measurement(Filling.parse("100"), T0)),
            new Signal(-82.0, 9.0, "kloaka-gw-12"),
            "0004A30B001C0530",
            new java.math.BigDecimal("3.61"),
            4021L);
    assertThat(record(store, null, written)).isTrue();

    assertThat(store.find(SensorId.parse("01")).orElseThrow().value()).isEqualTo(written);
    assertThat(store.list()).containsExactly(written.withoutMeasurements());
  }

  @Test
  void devicesAreListedByTubeThenSensorNumberWithoutMeasurements(MotoAws aws) {
    DynamoDeviceStore store = devices(aws);
    for (String id : List.of("0-10", "12-7", "09", "01", "1-20")) {
      assertThat(record(store, null, device(id, "75", T0))).isTrue();
    }
    List<Device> listed = store.list();
    assertThat(listed)
        .extracting(d -> d.id().toString())
        .containsExactly("01", "09", "0-10", "1-20", "12-7");
    assertThat(listed).allSatisfy(d -> assertThat(d.measurements()).isNull());
    assertThat(store.find(SensorId.parse("1-20")).orElseThrow().value().measurements()).hasSize(1);
  }

  @Test
  void historyAnswersTheMostRecentRowsInRangeOldestFirstInArrivalOrder(MotoAws aws) {
    DynamoHistoryStore history =
        new DynamoHistoryStore(
            aws.db(), MotoAws.HISTORY, clock, Duration.ofDays(365), new Random(7));
    SensorId id = SensorId.parse("01");
    history.append(id, new Measurement(Filling.parse("10"), T0 + 10), null);
    clock.forward(Duration.ofMillis(1));
    history.append(id, new Measurement(Filling.parse("20"), T0 + 20), new Signal(-90.0, 5.0));
    clock.forward(Duration.ofMillis(1));
    history.append(id, new Measurement(Filling.parse("21"), T0 + 20), null); // same second, later
    clock.forward(Duration.ofMillis(1));
    history.append(id, new Measurement(Filling.parse("5"), T0 + 5), null); // late
    history.append(SensorId.parse("02"), new Measurement(Filling.parse("99"), T0 + 20), null);

    assertThat(fillings(history.range(id, 0, Long.MAX_VALUE, 1000)))
        .containsExactly("5", "10", "20", "21");
    assertThat(fillings(history.range(id, T0 + 6, T0 + 20, 1000)))
        .containsExactly("10", "20", "21");
    assertThat(fillings(history.range(id, 0, Long.MAX_VALUE, 2))).containsExactly("20", "21");
    assertThat(history.range(id, T0 + 30, T0 + 10, 10)).isEmpty();

    List<Map<String, AttributeValue>> rows = aws.scan(MotoAws.HISTORY);
    assertThat(rows).hasSize(5);
    long expiry = Long.parseLong(rows.get(0).get("expires_at").n());
    assertThat(expiry)
        .isBetween(
            T0 + Duration.ofDays(365).toSeconds(), T0 + Duration.ofDays(365).toSeconds() + 1);
  }

  @Test
  void rejectsAreAnsweredNewestFirstAcrossDays(MotoAws aws) {
    DynamoRejectStore rejects =
        new DynamoRejectStore(aws.db(), MotoAws.REJECTS, clock, Duration.ofDays(30), new Random(3));
    List<String> added = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String reason = "reason " + i;
      rejects.add(new Reject(reason, clock.seconds(), "payload " + i));
      added.add(0, reason);
      clock.forward(Duration.ofHours(13)); // crosses midnight UTC
    }
    assertThat(rejects.newest(100)).extracting(Reject::reason).containsExactlyElementsOf(added);
    assertThat(rejects.newest(2))
        .extracting(Reject::reason)
        .containsExactly("reason 4", "reason 3");
    assertThat(aws.scan(MotoAws.REJECTS))
        .extracting(r -> r.get("bucket").s())
        .hasSizeGreaterThan(1);
  }

  @Test
  void problemsAreListedNewestFirstAndFilteredByStatus(MotoAws aws) {
    DynamoProblemStore store = new DynamoProblemStore(aws.db(), MotoAws.PROBLEMS, MotoAws.TIMELINE);
    Problem older = problem("01", "02", T0, ProblemStatus.UNRESOLVED);
    Problem newer = problem("02", "03", T0 + 60, ProblemStatus.RESOLVED);
    assertThat(store.replace(null, older)).isTrue();
    assertThat(store.replace(null, newer)).isTrue();
    assertThat(store.replace(null, older)).as("a duplicate record").isFalse();

    assertThat(store.list(null)).containsExactly(newer, older);
    assertThat(store.list(ProblemStatus.UNRESOLVED)).containsExactly(older);
    assertThat(store.find("0203").orElseThrow().value()).isEqualTo(newer);
    assertThat(store.find("0304")).isEmpty();
  }

  private DynamoHistoryStore history;

  /** The device store over the test's tables; {@link #record} appends to its history too. */
  private DynamoDeviceStore devices(MotoAws aws) {
    history =
        new DynamoHistoryStore(
            aws.db(), MotoAws.HISTORY, clock, Duration.ofDays(365), new Random(7));
    return new DynamoDeviceStore(aws.db(), MotoAws.DEVICES, history, 100);
  }

  /** As the organizer stores a reading: the device's state, then its history row. */
  private boolean record(DynamoDeviceStore store, Stored<Device> expected, Device device) {
    if (!TestData.record(store, expected, device)) {
      return false;
    }
    List<Measurement> measurements = device.measurementsOrEmpty();
    history.append(device.id(), measurements.get(measurements.size() - 1), device.signal());
    return true;
  }

  private static List<String> fillings(List<Measurement> measurements) {
    return measurements.stream().map(m -> m.filling().toString()).toList();
  }

  private static Device device(String id, String value, long time) {
    return new Device(
        SensorId.parse(id),
        Filling.parse(value),
        time,
        List.of(new Measurement(Filling.parse(value), time)),
        null);
  }

  private static Problem problem(String up, String down, long time, ProblemStatus status) {
    boolean resolved = status == ProblemStatus.RESOLVED;
    return new Problem(
        up + down,
        ProblemType.OBSTRUCTION,
        time,
        status,
        SensorId.parse(up),
        SensorId.parse(down),
        Filling.parse("100"),
        Filling.parse("50"),
        true,
        time,
        resolved ? time + 5 : null,
        resolved ? "operator" : null,
        resolved ? "cleared" : null);
  }
}
