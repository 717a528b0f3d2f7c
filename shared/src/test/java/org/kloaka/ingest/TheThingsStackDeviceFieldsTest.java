package org.kloaka.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kloaka.ingest.IngestResult.Reading;
import org.kloaka.ingest.IngestResult.Rejection;
import org.kloaka.model.Signal;

/**
 * What the parser keeps of a The Things Stack v3 uplink besides the reading (dev_eui, battery, the
 * best gateway, f_cnt), the original firmware's JSON text inside frm_payload, and the clock guard.
 * The fixtures follow the uplink example of The Things Stack's "Data Formats" page.
 */
class TheThingsStackDeviceFieldsTest {

  /** 2026-11-27T10:00:00Z. */
  private static final long TEN_O_CLOCK = 1_795_773_600L;

  private final IngestParser parser = new IngestParser();

  @Test
  void theOriginalFirmwaresJsonTextInFrmPayloadGivesSensorAndFilling() {
    Reading reading = readFixture("uplink-original-firmware-twelve-gateways.json");

    // The device id (st-lrwan1-a) names no sensor: the id inside the payload does.
    assertThat(reading.id()).hasToString("01");
    assertThat(reading.filling()).hasToString("100");
    assertThat(reading.time()).isEqualTo(TEN_O_CLOCK);
  }

  @Test
  void devEuiFrameCounterAndTheBestOfTwelveGatewaysAreKept() {
    Reading reading = readFixture("uplink-original-firmware-twelve-gateways.json");

    assertThat(reading.devEui()).isEqualTo("0004A30B001C0530");
    assertThat(reading.fCnt()).isEqualTo(4021L);
    assertThat(reading.signal()).isEqualTo(new Signal(-82.0, 9.0, "kloaka-gw-12"));
    assertThat(reading.battery()).isNull();
  }

  @Test
  void anUplinkHeardByTwelveGatewaysIsOverKloakasOwn4KibButWithinTheUplinkLimit() {
    byte[] payload = fixture("uplink-original-firmware-twelve-gateways.json");
    assertThat(payload.length).isGreaterThan(IngestParser.MAX_PAYLOAD_BYTES);

    assertThat(parser.parse(payload, TEN_O_CLOCK)).isInstanceOf(Rejection.class);
    assertThat(parser.parse(payload, TEN_O_CLOCK, IngestParser.MAX_UPLINK_BYTES))
        .isInstanceOf(Reading.class);
  }

  @Test
  void aSimulatedUplinkIsTakenLikeAnyOtherWithItsBattery() {
    Reading reading = readFixture("uplink-simulated.json");

    // kloaka-2-5 is tube 2, sensor 5: canonically "25".
    assertThat(reading.id()).hasToString("25");
    assertThat(reading.filling()).hasToString("25");
    assertThat(reading.battery()).isEqualByComparingTo(new BigDecimal("3.61"));
    assertThat(reading.signal()).isEqualTo(new Signal(42.0, 4.2, "test"));
    // f_cnt 0 is omitted by The Things Stack: absent, not 0.
    assertThat(reading.fCnt()).isNull();
    assertThat(reading.devEui()).isEqualTo("70B3D57ED0061A99");
  }

  @Test
  void aDecodedIdStillWinsOverTheIdInTheFirmwaresText() {
    Reading reading =
        read(
            uplink(
                "\"decoded_payload\": {\"id\": \"05\"}, \"frm_payload\": \""
                    + base64("{\"id\":\"01\",\"filling\":\"50\"}")
                    + "\""));

    assertThat(reading.id()).hasToString("05");
    assertThat(reading.filling()).hasToString("50");
  }

  @Test
  void firmwareTextWithoutAnIdLeavesTheDeviceIdToNameTheSensor() {
    Reading reading = read(uplink("\"frm_payload\": \"" + base64("{\"filling\": 75}") + "\""));

    assertThat(reading.id()).hasToString("03");
    assertThat(reading.filling()).hasToString("75");
  }

  @ParameterizedTest(name = "frm_payload text {0}")
  @ValueSource(
      strings = {
        "{\"id\":\"01\",\"filling\":",
        "{\"id\":\"01\"}",
        "{\"id\":1,\"filling\":\"100\"}",
        "{\"id\":\"001\",\"filling\":\"100\"}",
        "{\"id\":\"01\",\"filling\":\"lots\"}",
        "{\"id\":\"01\",\"filling\":\"101\"}",
        "{\"id\":\"01\",\"filling\":\"100\"} trailing",
      })
  void badFirmwareTextIsARejectWithAReason(String text) {
    IngestResult result =
        parser.parse(
            uplink("\"frm_payload\": \"" + base64(text) + "\"").getBytes(StandardCharsets.UTF_8),
            TEN_O_CLOCK);

    assertThat(result).isInstanceOf(Rejection.class);
    assertThat(((Rejection) result).reason()).isNotBlank().doesNotContain("Exception");
  }

  @Test
  void aMeasurementTimeMoreThan300SecondsAheadIsRejectedNamingTheTime() {
    IngestResult result =
        parser.parse(
            ("{\"end_device_ids\": {\"device_id\": \"kloaka01\"}, \"received_at\":"
                    + " \"2099-01-01T00:00:00Z\", \"uplink_message\": {\"decoded_payload\":"
                    + " {\"filling\": 100}}}")
                .getBytes(StandardCharsets.UTF_8),
            TEN_O_CLOCK);

    assertThat(result).isInstanceOf(Rejection.class);
    assertThat(((Rejection) result).reason())
        .contains("2099-01-01T00:00:00Z")
        .contains("in the future");
  }

  @Test
  void theClockGuardAllowsExactly300SecondsOfSkew() {
    String at300 = "2026-11-27T10:05:00Z";
    String at301 = "2026-11-27T10:05:01Z";

    assertThat(parser.parse(timed(at300), TEN_O_CLOCK)).isInstanceOf(Reading.class);
    assertThat(parser.parse(timed(at301), TEN_O_CLOCK)).isInstanceOf(Rejection.class);
  }

  @Test
  void fieldsOfTheWrongKindAreLeftOutNotRejected() {
    Reading reading =
        read(
            "{\"end_device_ids\": {\"device_id\": \"kloaka01\", \"dev_eui\": 12},"
                + " \"uplink_message\": {\"f_cnt\": -1, \"decoded_payload\": {\"filling\": 100,"
                + " \"battery\": \"full\"}}}");

    assertThat(reading.devEui()).isNull();
    assertThat(reading.fCnt()).isNull();
    assertThat(reading.battery()).isNull();
  }

  private static byte[] timed(String receivedAt) {
    return ("{\"end_device_ids\": {\"device_id\": \"kloaka01\"}, \"received_at\": \""
            + receivedAt
            + "\", \"uplink_message\": {\"decoded_payload\": {\"filling\": 100}}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String uplink(String fields) {
    return "{\"end_device_ids\": {\"device_id\": \"kloaka03\"}, \"uplink_message\": {"
        + fields
        + "}}";
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }

  private Reading readFixture(String name) {
    IngestResult result =
        parser.parse(fixture(name), TEN_O_CLOCK + 60, IngestParser.MAX_UPLINK_BYTES);
    assertThat(result).isInstanceOf(Reading.class);
    return (Reading) result;
  }

  private Reading read(String payload) {
    IngestResult result = parser.parse(payload.getBytes(StandardCharsets.UTF_8), TEN_O_CLOCK);
    assertThat(result).isInstanceOf(Reading.class);
    return (Reading) result;
  }

  private byte[] fixture(String name) {
    try (InputStream in = getClass().getResourceAsStream("/ttn/" + name)) {
      assertThat(in).as("fixture %s", name).isNotNull();
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read fixture " + name, e);
    }
  }
}
