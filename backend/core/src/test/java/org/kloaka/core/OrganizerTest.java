package org.kloaka.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kloaka.core.TestData.id;
import static org.kloaka.core.TestData.reading;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kloaka.api.Push;
import org.kloaka.core.Organizer.Outcome;
import org.kloaka.core.port.Stored;
import org.kloaka.ingest.IngestParser;
import org.kloaka.model.Device;
import org.kloaka.model.Filling;
import org.kloaka.model.Measurement;
import org.kloaka.model.Reject;

class OrganizerTest {

  static final long T0 = 1_658_274_939L;

  final InMemoryStores stores = new InMemoryStores();
  final TestClock clock = new TestClock(T0);
  Organizer organizer = organizer(100);

  Organizer organizer(int keep) {
    return stores.organizer(clock, keep);
  }

  Outcome send(String json) {
    return organizer.accept(json.getBytes(StandardCharsets.UTF_8));
  }

  Device stored(String id) {
    return stores.devices.find(id(id)).map(Stored::value).orElseThrow();
  }

  List<Measurement> history(String id) {
    return stores.history.range(id(id), 0, Long.MAX_VALUE, Integer.MAX_VALUE);
  }

  List<String> fillings(List<Measurement> measurements) {
    return measurements.stream().map(m -> m.filling() + "@" + (m.dt() - T0)).toList();
  }

  List<Push.DeviceState> devicePushes() {
    return stores.events.of(Push.DevicePush.class).stream().map(Push.DevicePush::device).toList();
  }

  @Test
  void aFirstMessageRegistersTheDeviceAtTheServersTime() {
    Outcome outcome = send("{\"id\": \"0-1\", \"filling\": 100}");
    assertThat(outcome).isInstanceOf(Outcome.Accepted.class);
    Device device = stored("01");
    assertThat(device.lastValue()).isEqualTo(Filling.of(100));
    assertThat(device.lastUpdate()).isEqualTo(T0);
    assertThat(fillings(device.measurements())).containsExactly("100@0");
    assertThat(fillings(history("01"))).containsExactly("100@0");
    assertThat(devicePushes()).containsExactly(new Push.DeviceState(id("01"), Filling.of(100), T0));
  }

  @Test
  void aNewerMessageBecomesTheLastValue() {
    send("{\"id\": \"01\", \"filling\": \"100\"}");
    clock.set(T0 + 300);
    send("{\"id\": \"01\", \"filling\": \"50.0\"}");
    Device device = stored("01");
    assertThat(device.lastValue().toString()).isEqualTo("50");
    assertThat(device.lastUpdate()).isEqualTo(T0 + 300);
    assertThat(fillings(device.measurements())).containsExactly("100@0", "50@300");
    assertThat(devicePushes())
        .extracting(Push.DeviceState::lastUpdate)
        .containsExactly(T0, T0 + 300);
  }

  @Test
  void aLateMessageKeepsTheLastValueButIsKeptInTimeOrder() {
    organizer.apply(reading("01", "100", T0 + 100));
    organizer.apply(reading("01", "0", T0 + 300));
    stores.events.clear();
    Outcome.Accepted late = organizer.apply(reading("01", "50", T0 + 200));
    assertThat(late.change().current()).isFalse();
    Device device = stored("01");
    assertThat(device.lastValue()).isEqualTo(Filling.of(0));
    assertThat(device.lastUpdate()).isEqualTo(T0 + 300);
    assertThat(fillings(device.measurements())).containsExactly("100@100", "50@200", "0@300");
    assertThat(fillings(history("01"))).containsExactly("100@100", "50@200", "0@300");
    assertThat(stores.events.all()).as("a late message pushes nothing").isEmpty();
  }

  @Test
  void messagesOfTheSameSecondApplyInArrivalOrder() {
    organizer.apply(reading("01", "100", T0));
    organizer.apply(reading("01", "50", T0));
    organizer.apply(reading("01", "0", T0));
    Device device = stored("01");
    assertThat(device.lastValue()).isEqualTo(Filling.of(0));
    assertThat(fillings(device.measurements())).containsExactly("100@0", "50@0", "0@0");
    assertThat(fillings(history("01"))).containsExactly("100@0", "50@0", "0@0");
    assertThat(devicePushes())
        .extracting(d -> d.lastValue().toString())
        .containsExactly("100", "50", "0");
  }

  @Test
  void aLateMessageGoesAfterThoseOfItsOwnSecond() {
    organizer.apply(reading("01", "100", T0 + 10));
    organizer.apply(reading("01", "90", T0 + 20));
    organizer.apply(reading("01", "50", T0 + 10));
    assertThat(fillings(stored("01").measurements())).containsExactly("100@10", "50@10", "90@20");
  }

  @Test
  void identicalReadingsAreAllInTheHistoryButPushOnlyWhenTheLastMoves() {
    organizer.apply(reading("01", "100", T0));
    organizer.apply(reading("01", "100", T0));
    organizer.apply(reading("01", "100", T0 + 60));
    assertThat(history("01")).hasSize(3);
    assertThat(stored("01").measurements()).hasSize(3);
    assertThat(devicePushes())
        .extracting(Push.DeviceState::lastUpdate)
        .containsExactly(T0, T0 + 60);
  }

  @Test
  void theRecordKeepsOnlyTheNewestMeasurementsWhileTheHistoryKeepsAll() {
    for (int i = 0; i < 150; i++) {
      organizer.apply(reading("01", String.valueOf(i % 101), T0 + i));
    }
    List<Measurement> kept = stored("01").measurements();
    assertThat(kept).hasSize(100);
    assertThat(kept.get(0).dt()).isEqualTo(T0 + 50);
    assertThat(kept.get(99).dt()).isEqualTo(T0 + 149);
    assertThat(history("01")).hasSize(150);
  }

  @Test
  void aLateMessageOlderThanEverythingKeptLandsOnlyInTheHistory() {
    organizer = organizer(3);
    for (int i = 1; i <= 3; i++) {
      organizer.apply(reading("01", "100", T0 + i * 10));
    }
    organizer.apply(reading("01", "0", T0 + 5));
    assertThat(fillings(stored("01").measurements())).containsExactly("100@10", "100@20", "100@30");
    assertThat(fillings(history("01"))).startsWith("0@5");
  }

  @Test
  void keepMustBePositive() {
    assertThatThrownBy(() -> organizer(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("keep");
  }

  @Test
  void aBadMessageIsRejectedWithItsReasonAndPreviewAndChangesNothingElse() {
    send("{\"id\": \"01\", \"filling\": 100}");
    stores.events.clear();
    clock.set(T0 + 5);
    Outcome outcome = send("{\"id\": \"01\", \"filling\": 101}");
    assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
    String reason = ((Outcome.Rejected) outcome).reason();
    assertThat(reason).contains("outside 0–100");
    assertThat(stores.rejects.newest(10))
        .containsExactly(new Reject(reason, T0 + 5, "{\"id\": \"01\", \"filling\": 101}"));
    assertThat(stored("01").lastValue()).isEqualTo(Filling.of(100));
    assertThat(history("01")).hasSize(1);
    assertThat(stores.events.all()).isEmpty();
    send("{\"id\": \"01\", \"filling\": 50}");
    assertThat(stored("01").lastValue())
        .as("the next good message is processed")
        .isEqualTo(Filling.of(50));
  }

  @Test
  void anOversizedOrBinaryPayloadIsKeptAsItsFirst4KiBOfText() {
    byte[] big = new byte[IngestParser.MAX_PAYLOAD_BYTES + 500];
    Arrays.fill(big, (byte) 'a');
    big[0] = (byte) 0xFF;
    big[1] = 0;
    organizer.accept(big);
    Reject reject = stores.rejects.newest(1).get(0);
    assertThat(reject.reason()).contains("bytes");
    assertThat(reject.payload()).startsWith("\uFFFD\uFFFDaaa");
    assertThat(reject.payload()).hasSize(IngestParser.MAX_PAYLOAD_BYTES);
    assertThat(stores.devices.list()).isEmpty();
  }

  @Test
  void aWriterThatGetsInBetweenIsNotOverwritten() {
    organizer.apply(reading("01", "100", T0));
    stores.devices.beforeNextReplace(() -> organizer(100).apply(reading("01", "50", T0 + 10)));
    organizer.apply(reading("01", "0", T0 + 20));
    Device device = stored("01");
    assertThat(fillings(device.measurements())).containsExactly("100@0", "50@10", "0@20");
    assertThat(device.lastValue()).isEqualTo(Filling.of(0));
    assertThat(history("01")).hasSize(3);
  }

  @Test
  void aRecordThatNeverSettlesFailsLoudlyAfterBoundedAttempts() {
    organizer.apply(reading("01", "100", T0));
    for (int i = 1; i <= Organizer.MAX_ATTEMPTS; i++) {
      long time = T0 + i;
      stores.devices.beforeNextReplace(
          () -> stores.devices.put(TestData.device("01", "100", time)));
    }
    assertThatThrownBy(() -> organizer.apply(reading("01", "0", T0 + 1000)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("01");
    assertThat(history("01")).as("nothing half-written").hasSize(1);
  }

  @Test
  void radioSignalOfAnUplinkIsKeptOnTheDevice() {
    send(
        """
        {"end_device_ids": {"device_id": "kloaka-12-3"}, "received_at": "2022-07-19T23:50:00.123Z",
         "uplink_message": {"decoded_payload": {"filling": 80}, "rx_metadata": [{"rssi": -97, "snr": 7.5}]}}
        """);
    Device device = stored("12-3");
    assertThat(device.lastUpdate())
        .isEqualTo(java.time.Instant.parse("2022-07-19T23:50:00Z").getEpochSecond());
    assertThat(device.signal().rssi()).isEqualTo(-97.0);
    assertThat(stores.history.rows().get(0).signal()).isEqualTo(device.signal());
  }

  @Test
  void anUplinkFromTheFutureIsRejectedAndCannotFreezeTheSensor() {
    send("{\"id\": \"01\", \"filling\": \"100\"}");

    Outcome future =
        send(
            """
            {"end_device_ids": {"device_id": "kloaka01"}, "received_at": "2099-01-01T00:00:00Z",
             "uplink_message": {"decoded_payload": {"filling": 0}}}
            """);
    clock.set(T0 + 60);
    send("{\"id\": \"01\", \"filling\": \"50\"}");

    assertThat(future).isInstanceOf(Outcome.Rejected.class);
    assertThat(((Outcome.Rejected) future).reason()).contains("2099-01-01T00:00:00Z", "future");
    assertThat(stored("01").lastValue()).hasToString("50");
    assertThat(stored("01").lastUpdate()).isEqualTo(T0 + 60);
  }

  @Test
  void devEuiBatteryAndFrameCounterAreKeptAndSurviveAnUplinkThatOmitsThem() {
    send(
        """
        {"end_device_ids": {"device_id": "kloaka01", "dev_eui": "0004A30B001C0530"},
         "uplink_message": {"f_cnt": 7, "decoded_payload": {"filling": 100, "battery": 3.61},
          "rx_metadata": [{"gateway_ids": {"gateway_id": "gw-a"}, "rssi": -97, "snr": 7.5}]}}
        """);
    clock.set(T0 + 60);
    send(
        """
        {"end_device_ids": {"device_id": "kloaka01"},
         "uplink_message": {"f_cnt": 8, "decoded_payload": {"filling": 50}}}
        """);

    Device device = stored("01");
    assertThat(device.devEui()).isEqualTo("0004A30B001C0530");
    assertThat(device.battery()).isEqualByComparingTo("3.61");
    assertThat(device.fCnt()).isEqualTo(8L);
    assertThat(device.signal().gatewayId()).isEqualTo("gw-a");
    assertThat(device.lastValue()).hasToString("50");
  }
}
