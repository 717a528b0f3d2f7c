package org.kloaka.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kloaka.model.Device;
import org.kloaka.model.Filling;
import org.kloaka.model.Measurement;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemEvent;
import org.kloaka.model.ProblemStatus;
import org.kloaka.model.ProblemType;
import org.kloaka.model.Reject;
import org.kloaka.model.SensorId;
import org.kloaka.model.Signal;
import org.kloaka.network.NetworkDescription;
import org.kloaka.network.NetworkDescription.FlowsInto;
import org.kloaka.network.NetworkDescription.Sensor;
import org.kloaka.network.NetworkDescription.Tube;

/**
 * Pins every field name the outside world sees (docs/ingest.md, docs/problems.md, docs/api.md,
 * docs/websocket.md, docs/network.md): each record is written and compared, as a JSON tree, with
 * literal text, and that text is read back to the same record.
 */
class JsonShapesTest {

  private static final ObjectMapper JSON = Json.newMapper();

  /** The device record of docs/ingest.md, verbatim. */
  private static final String CONTRACT_DEVICE =
      """
      {"id": "01", "last_value": "100", "last_update": 1658274939,
       "measurements": [{"filling": "100", "dt": 1658274939}, {"filling": "50", "dt": 1658275239}]}
      """;

  /** The problem record of docs/problems.md, verbatim. */
  private static final String CONTRACT_PROBLEM =
      """
      {"problem_id": "0102", "problem": "OBSTRUCTION", "problem_time": 1658274939,
       "problem_status": "UNRESOLVED",
       "upstream_id": "01", "downstream_id": "02", "upstream_value": "100", "downstream_value": "50",
       "active": true, "last_seen": 1658274939, "resolved_time": null, "resolved_by": null, "note": null,
       "acknowledged_time": null, "acknowledged_by": null}
      """;

  /** The network file of docs/network.md, verbatim. */
  private static final String CONTRACT_NETWORK =
      """
      {"tubes": [{"id": "0", "name": "Via Roma trunk",
                  "sensors": [{"id": "01", "name": "Manhole 14", "lat": 41.9028, "lon": 12.4964}, {"id": "02"}, {"id": "03"}],
                  "flows_into": {"tube": "1", "at": "12"}}]}
      """;

  private static final SensorId S01 = SensorId.parse("01");
  private static final SensorId S02 = SensorId.parse("02");

  private static final Device DEVICE =
      new Device(
          S01,
          Filling.of(100),
          1658274939L,
          List.of(
              new Measurement(Filling.of(100), 1658274939L),
              new Measurement(Filling.of(50), 1658275239L)),
          null);

  private static final Problem PROBLEM =
      new Problem(
          "0102",
          ProblemType.OBSTRUCTION,
          1658274939L,
          ProblemStatus.UNRESOLVED,
          S01,
          S02,
          Filling.of(100),
          Filling.of(50),
          true,
          1658274939L,
          null,
          null,
          null);

  @Test
  void theContractsDeviceReadsAndWritesBackUnchanged() {
    assertRoundTrip(DEVICE, Device.class, CONTRACT_DEVICE);
  }

  @Test
  void aDeviceWithoutMeasurementsLeavesTheFieldOut() {
    assertRoundTrip(
        DEVICE.withoutMeasurements(),
        Device.class,
        """
        {"id": "01", "last_value": "100", "last_update": 1658274939}
        """);
  }

  @Test
  void aDeviceHeardThroughTheThingsStackCarriesItsSignal() {
    Device device =
        new Device(
            SensorId.parse("12-7"),
            Filling.parse("62.5"),
            1795773600L,
            List.of(new Measurement(Filling.parse("62.5"), 1795773600L)),
            new Signal(-97.0, 7.5));

    assertRoundTrip(
        device,
        Device.class,
        """
        {"id": "12-7", "last_value": "62.5", "last_update": 1795773600,
         "measurements": [{"filling": "62.5", "dt": 1795773600}],
         "signal": {"rssi": -97.0, "snr": 7.5}}
        """);
  }

  @Test
  void aDeviceIdIsWrittenInItsCanonicalSpelling() throws JsonProcessingException {
    Device read =
        JSON.readValue(
            """
            {"id": "0-1", "last_value": "50.0", "last_update": 1}
            """,
            Device.class);

    assertThat(read.id()).isEqualTo(S01);
    assertJson(read, "{\"id\": \"01\", \"last_value\": \"50\", \"last_update\": 1}");
  }

  @Test
  void aMeasurementIsFillingAndDt() {
    assertRoundTrip(
        new Measurement(Filling.parse("62.5"), 1658274939L),
        Measurement.class,
        """
        {"filling": "62.5", "dt": 1658274939}
        """);
  }

  @Test
  void theContractsProblemReadsAndWritesBackWithItsNulls() {
    assertRoundTrip(PROBLEM, Problem.class, CONTRACT_PROBLEM);
  }

  @Test
  void aResolvedProblemCarriesWhenWhoAndTheNote() {
    Problem resolved =
        new Problem(
            "0-100-11",
            ProblemType.PROBLEM,
            1658274939L,
            ProblemStatus.RESOLVED,
            SensorId.parse("0-10"),
            SensorId.parse("0-11"),
            Filling.of(0),
            Filling.parse("62.5"),
            false,
            1658275239L,
            1658279000L,
            "operator",
            "sensor 0-10 replaced");

    assertRoundTrip(
        resolved,
        Problem.class,
        """
        {"problem_id": "0-100-11", "problem": "PROBLEM", "problem_time": 1658274939,
         "problem_status": "RESOLVED",
         "upstream_id": "0-10", "downstream_id": "0-11", "upstream_value": "0",
         "downstream_value": "62.5", "active": false, "last_seen": 1658275239,
         "resolved_time": 1658279000, "resolved_by": "operator", "note": "sensor 0-10 replaced",
         "acknowledged_time": null, "acknowledged_by": null}
        """);
  }

  @Test
  void extraFieldsInStoredRecordsAreAllowed() throws JsonProcessingException {
    Problem read =
        JSON.readValue(
            CONTRACT_PROBLEM.replace("\"note\": null", "\"note\": null, \"origin\": \"seed\""),
            Problem.class);

    assertThat(read).isEqualTo(PROBLEM);
  }

  @Test
  void aRejectIsReasonReceivedAndPayload() {
    assertRoundTrip(
        new Reject("filling 101 is outside 0–100", 1658274939L, "{\"id\":\"01\",\"filling\":101}"),
        Reject.class,
        """
        {"reason": "filling 101 is outside 0–100", "received": 1658274939,
         "payload": "{\\"id\\":\\"01\\",\\"filling\\":101}"}
        """);
  }

  @Test
  void theContractsNetworkFileReadsAndWritesBackUnchanged() {
    NetworkDescription network =
        new NetworkDescription(
            List.of(
                new Tube(
                    "0",
                    "Via Roma trunk",
                    List.of(
                        new Sensor("01", "Manhole 14", 41.9028, 12.4964),
                        new Sensor("02", null, null, null),
                        new Sensor("03", null, null, null)),
                    new FlowsInto("1", "12"))));

    assertRoundTrip(network, NetworkDescription.class, CONTRACT_NETWORK);
  }

  @Test
  void aTubeWithoutOptionalFieldsLeavesThemOut() {
    assertRoundTrip(
        new NetworkDescription(
            List.of(new Tube("1", null, List.of(new Sensor("1-12", null, null, null)), null))),
        NetworkDescription.class,
        """
        {"tubes": [{"id": "1", "sensors": [{"id": "1-12"}]}]}
        """);
  }

  @Test
  void aProblemPushWrapsTheWholeRecord() {
    assertPush(
        new Push.ProblemPush(PROBLEM),
        "{\"type\": \"problem\", \"problem\": " + CONTRACT_PROBLEM + "}");
  }

  @Test
  void aDevicePushCarriesIdLastValueAndLastUpdate() {
    assertPush(
        new Push.DevicePush(new Push.DeviceState(S01, Filling.of(50), 1658275239L)),
        """
        {"type": "device", "device": {"id": "01", "last_value": "50", "last_update": 1658275239}}
        """);
  }

  @Test
  void aPongIsOnlyItsType() {
    assertPush(new Push.Pong(), "{\"type\": \"pong\"}");
  }

  @Test
  void anErrorFrameSaysWhatWasWrong() {
    assertPush(
        new Push.Error("unknown action 'pong'"),
        """
        {"type": "error", "error": "unknown action 'pong'"}
        """);
  }

  @Test
  void healthIsStatusOk() {
    assertRoundTrip(new Responses.Health("ok"), Responses.Health.class, "{\"status\": \"ok\"}");
  }

  @Test
  void devicesAreListedWithoutMeasurements() {
    assertRoundTrip(
        new Responses.Devices(List.of(DEVICE.withoutMeasurements())),
        Responses.Devices.class,
        """
        {"devices": [{"id": "01", "last_value": "100", "last_update": 1658274939}]}
        """);
  }

  @Test
  void measurementsAreListedUnderTheirName() {
    assertRoundTrip(
        new Responses.Measurements(DEVICE.measurements()),
        Responses.Measurements.class,
        """
        {"measurements": [{"filling": "100", "dt": 1658274939}, {"filling": "50", "dt": 1658275239}]}
        """);
  }

  @Test
  void problemsAreListedUnderTheirName() {
    assertRoundTrip(
        new Responses.Problems(List.of(PROBLEM)),
        Responses.Problems.class,
        "{\"problems\": [" + CONTRACT_PROBLEM + "]}");
  }

  @Test
  void timelineEventsAreListedWithLowerCaseTypes() {
    assertRoundTrip(
        new Responses.Events(
            List.of(
                new ProblemEvent(
                    "0102",
                    ProblemEvent.Type.NOTIFY_FAILED,
                    1658275000L,
                    null,
                    "oncall: 503",
                    1658274939L,
                    ProblemType.OBSTRUCTION),
                new ProblemEvent(
                    "0102",
                    ProblemEvent.Type.ACKNOWLEDGED,
                    1658275100L,
                    "maria",
                    "crew on the way",
                    1658274939L,
                    ProblemType.OBSTRUCTION))),
        Responses.Events.class,
        """
        {"events": [
          {"problem_id": "0102", "type": "notify_failed", "time": 1658275000, "by": null,
           "note": "oncall: 503", "problem_time": 1658274939, "problem": "OBSTRUCTION"},
          {"problem_id": "0102", "type": "acknowledged", "time": 1658275100, "by": "maria",
           "note": "crew on the way", "problem_time": 1658274939, "problem": "OBSTRUCTION"}]}
        """);
    assertThat(ProblemEvent.Type.ofWire("notify_failed"))
        .isEqualTo(ProblemEvent.Type.NOTIFY_FAILED);
  }

  @Test
  void rejectsAreListedUnderTheirName() {
    assertRoundTrip(
        new Responses.Rejects(List.of(new Reject("payload is empty", 1658274939L, ""))),
        Responses.Rejects.class,
        """
        {"rejects": [{"reason": "payload is empty", "received": 1658274939, "payload": ""}]}
        """);
  }

  @Test
  void anErrorBodyIsOneSentence() {
    assertRoundTrip(
        new Responses.Error("no device 42"),
        Responses.Error.class,
        "{\"error\": \"no device 42\"}");
  }

  @Test
  void theResolveBodyNeedsOnlyStatusAndNote() throws JsonProcessingException {
    assertThat(
            JSON.readValue(
                "{\"problem_status\": \"RESOLVED\", \"note\": \"cleared\"}",
                Responses.Resolve.class))
        .isEqualTo(new Responses.Resolve("RESOLVED", "cleared", null));
    assertRoundTrip(
        new Responses.Resolve("RESOLVED", "cleared", "night shift"),
        Responses.Resolve.class,
        """
        {"problem_status": "RESOLVED", "note": "cleared", "resolved_by": "night shift"}
        """);
  }

  private static void assertPush(Push push, String expected) {
    try {
      assertThat(JSON.readTree(JSON.writerFor(Push.class).writeValueAsString(push)))
          .as("written as a Push")
          .isEqualTo(JSON.readTree(expected));
      assertJson(push, expected);
      assertThat(JSON.readValue(expected, Push.class)).isEqualTo(push);
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  private static <T> void assertRoundTrip(T value, Class<T> type, String expected) {
    assertJson(value, expected);
    try {
      assertThat(JSON.readValue(expected, type)).as("read back").isEqualTo(value);
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  private static void assertJson(Object value, String expected) {
    try {
      JsonNode written = JSON.readTree(JSON.writeValueAsString(value));
      assertThat(written).as("written").isEqualTo(JSON.readTree(expected));
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }
}
