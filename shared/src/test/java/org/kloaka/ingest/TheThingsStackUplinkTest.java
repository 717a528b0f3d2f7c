package org.kloaka.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kloaka.ingest.IngestResult.Reading;
import org.kloaka.model.Filling;
import org.kloaka.model.SensorId;
import org.kloaka.model.Signal;

/**
 * The Things Stack v3 uplinks (CONTRACT §1), from fixtures shaped like the application uplink
 * messages of The Things Stack's "Data Formats" documentation.
 */
class TheThingsStackUplinkTest {

  /** The server's clock; no fixture is measured at it unless it lacks {@code received_at}. */
  private static final long NOW = 1_900_000_000L;

  /** 2026-11-27T10:00:00Z in epoch seconds (`date -u -d 2026-11-27T10:00:00Z +%s`). */
  private static final long TEN_O_CLOCK = 1_795_773_600L;

  private final IngestParser parser = new IngestParser();

  @Test
  void decodedPayloadGivesTheFillingAndDeviceIdTheSensor() {
    Reading reading = readFixture("uplink-decoded-payload.json");

    assertThat(reading.id()).isEqualTo(SensorId.parse("01"));
    assertThat(reading.filling()).isEqualTo(Filling.of(100));
    assertThat(reading.signal()).isEqualTo(new Signal(-97.0, 7.5, "kloaka-gw-via-roma"));
  }

  @Test
  void receivedAtWithNanosecondsIsWholeEpochSecondsWithTheFractionDropped() {
    assertThat(readFixture("uplink-decoded-payload.json").time()).isEqualTo(TEN_O_CLOCK);
    assertThat(readFixture("uplink-empty-fields-omitted.json").time()).isEqualTo(TEN_O_CLOCK);
  }

  @Test
  void withoutDecodedPayloadTheFillingIsTheBase64DigitsOfFrmPayload() {
    Reading reading = readFixture("uplink-frm-payload-only.json");

    assertThat(reading.filling()).isEqualTo(Filling.of(100));
    assertThat(reading.time()).isEqualTo(TEN_O_CLOCK + 300);
  }

  @Test
  void aDeviceIdEndingInTubeDashSensorNamesThatSensor() {
    assertThat(readFixture("uplink-frm-payload-only.json").id()).hasToString("12-3");
  }

  @Test
  void theGatewayWithTheBestRssiGivesTheSignal() {
    Reading reading = readFixture("uplink-several-gateways.json");

    assertThat(reading.signal()).isEqualTo(new Signal(-87.0, 9.25, "kloaka-gw-termini"));
    assertThat(reading.id()).hasToString("07");
    assertThat(reading.filling()).hasToString("62.5");
    assertThat(reading.time()).isEqualTo(TEN_O_CLOCK);
  }

  @Test
  void fieldsTheThingsStackOmitsWhenEmptyMayBeMissing() {
    Reading reading = readFixture("uplink-empty-fields-omitted.json");

    assertThat(reading.signal()).isNull();
    assertThat(reading.filling()).hasToString("50");
  }

  @Test
  void decodedPayloadIdOverridesTheDeviceId() {
    assertThat(readFixture("uplink-empty-fields-omitted.json").id()).hasToString("0-10");
  }

  @Test
  void withoutReceivedAtTheReadingIsMeasuredAtTheServersClock() {
    Reading reading =
        read(
            "{\"end_device_ids\": {\"device_id\": \"kloaka02\"},"
                + " \"uplink_message\": {\"frm_payload\": \"NTA=\"}}");

    assertThat(reading.time()).isEqualTo(NOW);
    assertThat(reading.id()).hasToString("02");
    assertThat(reading.filling()).hasToString("50");
  }

  @ParameterizedTest(name = "received_at {0}")
  @CsvSource({
    "2026-11-27T10:00:00Z",
    "2026-11-27T10:00:00.999999999Z",
    "2026-11-27T11:00:00.5+01:00",
    "2026-11-27T05:00:00-05:00",
  })
  void receivedAtIsReadWithItsOffset(String receivedAt) {
    Reading reading =
        read(
            "{\"end_device_ids\": {\"device_id\": \"kloaka01\"}, \"received_at\": \""
                + receivedAt
                + "\", \"uplink_message\": {\"decoded_payload\": {\"filling\": 100}}}");

    assertThat(reading.time()).isEqualTo(TEN_O_CLOCK);
  }

  @Test
  void decodedPayloadFillingMayBeAString() {
    Reading reading =
        read(
            "{\"end_device_ids\": {\"device_id\": \"kloaka01\"},"
                + " \"uplink_message\": {\"decoded_payload\": {\"filling\": \"62.50\"}}}");

    assertThat(reading.filling()).hasToString("62.5");
  }

  @Test
  void aDecodedPayloadWithoutFillingFallsBackToFrmPayload() {
    Reading reading =
        read(
            "{\"end_device_ids\": {\"device_id\": \"kloaka01\"}, \"uplink_message\":"
                + " {\"decoded_payload\": {\"battery\": 3.6}, \"frm_payload\": \"NjIuNQ==\"}}");

    assertThat(reading.filling()).hasToString("62.5");
  }

  @Test
  void channelRssiStandsInForAMissingRssi() {
    Reading reading =
        read(
            "{\"end_device_ids\": {\"device_id\": \"kloaka01\"}, \"uplink_message\": {"
                + "\"decoded_payload\": {\"filling\": 100}, \"rx_metadata\": ["
                + "{\"gateway_ids\": {\"gateway_id\": \"a\"}, \"snr\": 3.0},"
                + "{\"gateway_ids\": {\"gateway_id\": \"b\"}, \"channel_rssi\": -101, \"snr\": 1.5}]}}");

    assertThat(reading.signal()).isEqualTo(new Signal(-101.0, 1.5, "b"));
  }

  private Reading readFixture(String name) {
    try (InputStream in = getClass().getResourceAsStream("/ttn/" + name)) {
      assertThat(in).as("fixture %s", name).isNotNull();
      return read(in.readAllBytes());
    } catch (IOException e) {
      throw new IllegalStateException("cannot read fixture " + name, e);
    }
  }

  private Reading read(String payload) {
    return read(payload.getBytes(StandardCharsets.UTF_8));
  }

  private Reading read(byte[] payload) {
    IngestResult result = parser.parse(payload, NOW);
    assertThat(result).isInstanceOf(Reading.class);
    return (Reading) result;
  }
}
