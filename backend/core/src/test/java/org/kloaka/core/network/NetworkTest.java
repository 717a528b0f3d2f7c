package org.kloaka.core.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kloaka.api.Json;
import org.kloaka.model.SensorId;
import org.kloaka.network.NetworkDescription;

class NetworkTest {

  /** Tube 0 (three sensors) drains into tube 1 at its sensor 12: 12 is a junction. */
  static final String JUNCTION =
      """
      {"tubes": [
        {"id": "0", "name": "Via Roma", "sensors": [{"id": "01", "name": "Manhole 14",
          "lat": 41.9028, "lon": 12.4964}, {"id": "0-2"}, {"id": "03"}],
         "flows_into": {"tube": "1", "at": "1-2"}},
        {"id": "1", "sensors": [{"id": "10"}, {"id": "11"}, {"id": "12"}, {"id": "13"}]}
      ]}
      """;

  static NetworkDescription description(String json) throws NetworkException {
    return NetworkFiles.parse("test", json.getBytes(StandardCharsets.UTF_8));
  }

  static Network network(String json) throws NetworkException {
    return Network.of(description(json));
  }

  static SensorId id(String text) {
    return SensorId.parse(text);
  }

  static List<SensorId> ids(String... texts) {
    return java.util.Arrays.stream(texts).map(SensorId::parse).toList();
  }

  @Nested
  class Neighbours {

    @Test
    void withoutAFileTheIdConventionApplies() {
      Network convention = Network.byIdConvention();
      assertThat(convention.previousOf(id("01"))).containsExactly(id("00"));
      assertThat(convention.followingOf(id("09"))).containsExactly(id("0-10"));
      assertThat(convention.previousOf(id("0-10"))).containsExactly(id("09"));
      assertThat(convention.previousOf(id("00"))).isEmpty();
      assertThat(convention.file()).isEmpty();
    }

    @Test
    void aJunctionSensorHasBothTheTubesPreviousAndTheDrainingTubesLast() throws Exception {
      Network network = network(JUNCTION);
      assertThat(network.previousOf(id("12"))).containsExactlyInAnyOrder(id("11"), id("03"));
      assertThat(network.followingOf(id("03"))).containsExactly(id("12"));
      assertThat(network.followingOf(id("11"))).containsExactly(id("12"));
      assertThat(network.followingOf(id("12"))).containsExactly(id("13"));
    }

    @Test
    void namedSensorsFollowTheFileOnly() throws Exception {
      Network network = network(JUNCTION);
      assertThat(network.previousOf(id("01"))).as("first of its tube").isEmpty();
      assertThat(network.previousOf(id("10"))).isEmpty();
      assertThat(network.followingOf(id("13"))).as("last, no flows_into").isEmpty();
      assertThat(network.followingOf(id("01"))).containsExactly(id("02"));
    }

    @Test
    void fileOrderWinsOverNumbers() throws Exception {
      Network network =
          network(
              "{\"tubes\": [{\"id\": \"0\", \"sensors\": [{\"id\": \"03\"}, {\"id\": \"01\"}]}]}");
      assertThat(network.followingOf(id("03"))).containsExactly(id("01"));
      assertThat(network.previousOf(id("01"))).containsExactly(id("03"));
      assertThat(network.followingOf(id("01"))).isEmpty();
    }

    @Test
    void unnamedSensorsFollowTheConventionOnlyToUnnamedNeighbours() throws Exception {
      Network network = network(JUNCTION);
      assertThat(network.followingOf(id("00"))).as("01 is named").isEmpty();
      assertThat(network.previousOf(id("04"))).as("03 is named").isEmpty();
      assertThat(network.followingOf(id("04"))).containsExactly(id("05"));
      assertThat(network.previousOf(id("05"))).containsExactly(id("04"));
      assertThat(network.followingOf(id("14"))).containsExactly(id("15"));
      assertThat(network.previousOf(id("21"))).containsExactly(id("20"));
    }

    @Test
    void previousAndFollowingAreMirrorImages() throws Exception {
      Network network = network(JUNCTION);
      List<SensorId> all = new ArrayList<>();
      for (int tube = 0; tube <= 2; tube++) {
        for (int sensor = 0; sensor <= 12; sensor++) {
          all.add(new SensorId(tube, sensor));
        }
      }
      int links = 0;
      for (SensorId a : all) {
        for (SensorId b : network.followingOf(a)) {
          assertThat(network.previousOf(b)).as(a + " → " + b).contains(a);
          links++;
        }
        for (SensorId b : network.previousOf(a)) {
          assertThat(network.followingOf(b)).as(b + " → " + a).contains(a);
        }
      }
      assertThat(links).isGreaterThan(30);
    }

    @Test
    void namesListsExactlyTheFilesSensorsInAnySpelling() throws Exception {
      Network network = network(JUNCTION);
      assertThat(network.names(id("0-2"))).isTrue();
      assertThat(network.names(id("12"))).isTrue();
      assertThat(network.names(id("04"))).isFalse();
    }
  }

  @Nested
  class Validation {

    static String problemsOf(String json) {
      NetworkException e = catchThrowableOfType(NetworkException.class, () -> network(json));
      assertThat(e).as("expected %s to be refused", json).isNotNull();
      return String.join("\n", e.problems());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
        delimiter = '|',
        textBlock =
            """
            no tubes             | {}                                            | no "tubes" list
            empty tubes          | {"tubes": []}                                 | "tubes" is empty
            tube without id      | {"tubes": [{"sensors": [{"id": "01"}]}]}      | tubes[0] has no "id"
            tube id not a number | {"tubes": [{"id": "main", "sensors": [{"id": "01"}]}]} | tubes[0]: tube id "main" is not a tube number
            tube id leading zero | {"tubes": [{"id": "00", "sensors": [{"id": "01"}]}]}   | tube id "00" is not a tube number
            duplicate tube id    | {"tubes": [{"id": "0", "sensors": [{"id": "01"}]}, {"id": "0", "sensors": [{"id": "02"}]}]} | tube "0" (tubes[1]): tube id "0" is used twice, first by tube "0" (tubes[0])
            no sensors           | {"tubes": [{"id": "0"}]}                      | tube "0" (tubes[0]) has no "sensors"
            empty sensors        | {"tubes": [{"id": "0", "sensors": []}]}       | tube "0" (tubes[0]): "sensors" is empty
            sensor without id    | {"tubes": [{"id": "0", "sensors": [{"name": "x"}]}]} | sensors[0] has no "id"
            invalid sensor id    | {"tubes": [{"id": "0", "sensors": [{"id": "0x"}]}]}  | tube "0" (tubes[0]), sensors[0]: sensor id '0x' is not two ASCII digits
            sensor in wrong tube | {"tubes": [{"id": "0", "sensors": [{"id": "13"}]}]}  | tube "0" (tubes[0]), sensors[0]: sensor "13" is on tube 1 (its first number), not on tube 0; list it under tube "1"
            listed twice         | {"tubes": [{"id": "0", "sensors": [{"id": "01"}, {"id": "0-1"}]}]} | sensors[1]: sensor "0-1" (= "01") is listed twice, first at tube "0" (tubes[0]), sensors[0]
            flows into unknown   | {"tubes": [{"id": "0", "sensors": [{"id": "01"}], "flows_into": {"tube": "7", "at": "71"}}]} | tube "0" (tubes[0]), flows_into: tube "7" is not a tube of this file (its tubes: "0")
            flows into no tube   | {"tubes": [{"id": "0", "sensors": [{"id": "01"}], "flows_into": {"at": "71"}}]} | flows_into has no "tube"
            flows into itself    | {"tubes": [{"id": "0", "sensors": [{"id": "01"}], "flows_into": {"tube": "0", "at": "01"}}]} | tube "0" (tubes[0]), flows_into: tube "0" flows into itself
            at missing           | {"tubes": [{"id": "0", "sensors": [{"id": "01"}], "flows_into": {"tube": "1"}}, {"id": "1", "sensors": [{"id": "11"}]}]} | flows_into has no "at"
            at invalid           | {"tubes": [{"id": "0", "sensors": [{"id": "01"}], "flows_into": {"tube": "1", "at": "x"}}, {"id": "1", "sensors": [{"id": "11"}]}]} | flows_into, at: sensor id 'x'
            at not in tube       | {"tubes": [{"id": "0", "sensors": [{"id": "01"}], "flows_into": {"tube": "1", "at": "15"}}, {"id": "1", "sensors": [{"id": "11"}, {"id": "12"}]}]} | "at" sensor "15" is not a sensor of tube "1" (its sensors: 11, 12)
            lat out of range     | {"tubes": [{"id": "0", "sensors": [{"id": "01", "lat": 91, "lon": 0}]}]}   | sensors[0]: lat 91.0 is outside -90…90
            lon out of range     | {"tubes": [{"id": "0", "sensors": [{"id": "01", "lat": 0, "lon": -180.5}]}]} | sensors[0]: lon -180.5 is outside -180…180
            lat without lon      | {"tubes": [{"id": "0", "sensors": [{"id": "01", "lat": 45}]}]}  | give both "lat" and "lon" or neither (only lat is given)
            lon without lat      | {"tubes": [{"id": "0", "sensors": [{"id": "01", "lon": 45}]}]}  | (only lon is given)
            derived in a file    | {"tubes": [{"id": "0", "sensors": [{"id": "01", "derived": true}]}]} | "derived" belongs to GET /network's answer only
            """)
    void refusesWithAMessageNamingTheProblemAndItsPlace(String label, String json, String part)
        throws Exception {
      assertThat(problemsOf(json)).contains(part.strip());
    }

    @Test
    void aCycleOfTubesIsNamedInFlowOrder() {
      String json =
          """
          {"tubes": [
            {"id": "2", "sensors": [{"id": "21"}], "flows_into": {"tube": "1", "at": "11"}},
            {"id": "1", "sensors": [{"id": "11"}], "flows_into": {"tube": "3", "at": "31"}},
            {"id": "3", "sensors": [{"id": "31"}], "flows_into": {"tube": "2", "at": "21"}},
            {"id": "4", "sensors": [{"id": "41"}], "flows_into": {"tube": "1", "at": "11"}}
          ]}
          """;
      assertThat(problemsOf(json))
          .isEqualTo(
              "tubes flow in a cycle: \"1\" → \"3\" → \"2\" → \"1\"; water must leave the network"
                  + " somewhere (drop one \"flows_into\")");
    }

    @Test
    void aSensorListedInTwoTubesNamesBothPlaces() {
      String json =
          """
          {"tubes": [{"id": "0", "sensors": [{"id": "01"}]},
                     {"id": "1", "sensors": [{"id": "11"}, {"id": "01"}]}]}
          """;
      assertThat(problemsOf(json))
          .contains("tube \"1\" (tubes[1]), sensors[1]: sensor \"01\" is on tube 0")
          .contains("sensor \"01\" is listed twice, first at tube \"0\" (tubes[0]), sensors[0]");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
      NetworkException e =
          catchThrowableOfType(
              NetworkException.class,
              () ->
                  network(
                      """
                      {"tubes": [{"id": "x", "sensors": [{"id": "zz"}]},
                                 {"id": "1", "sensors": [], "flows_into": {"tube": "9", "at": "91"}}]}
                      """));
      assertThat(e.problems()).hasSize(3);
      assertThat(e.getMessage())
          .startsWith("the network description is invalid: 3 problems")
          .contains("tube id \"x\"", "sensor id 'zz'", "\"sensors\" is empty");
    }

    @Test
    void nullDescriptionIsRefused() {
      assertThatThrownBy(() -> Network.of(null))
          .isInstanceOf(NetworkException.class)
          .hasMessageContaining("no \"tubes\" list");
    }

    @Test
    void extremesOfLatitudeAndLongitudeAreAccepted() throws Exception {
      network(
          """
          {"tubes": [{"id": "0", "sensors": [{"id": "01", "lat": -90, "lon": 180},
                                             {"id": "02", "lat": 90, "lon": -180}]}]}
          """);
    }
  }

  @Nested
  class Effective {

    @Test
    void theFilesTubesComeFirstWithCanonicalIds() throws Exception {
      NetworkDescription effective = network(JUNCTION).effective(List.of());
      assertThat(effective.tubes()).hasSize(2);
      NetworkDescription.Tube first = effective.tubes().get(0);
      assertThat(first.name()).isEqualTo("Via Roma");
      assertThat(first.sensors())
          .extracting(NetworkDescription.Sensor::id)
          .containsExactly("01", "02", "03");
      assertThat(first.sensors().get(0).lat()).isEqualTo(41.9028);
      assertThat(first.sensors().get(0).name()).isEqualTo("Manhole 14");
      assertThat(first.flowsInto()).isEqualTo(new NetworkDescription.FlowsInto("1", "12"));
      assertThat(first.sensors()).allSatisfy(s -> assertThat(s.derived()).isNull());
    }

    @Test
    void unnamedDevicesAreAppendedToTheirFileTubeOrGetTheirOwnMarkedDerived() throws Exception {
      NetworkDescription effective =
          network(JUNCTION).effective(ids("3-1", "05", "02", "04", "2-10", "29", "13"));
      assertThat(effective.tubes())
          .extracting(NetworkDescription.Tube::id)
          .containsExactly("0", "1", "2", "3");
      assertThat(effective.tubes().get(0).sensors())
          .extracting(s -> s.id() + (Boolean.TRUE.equals(s.derived()) ? "*" : ""))
          .containsExactly("01", "02", "03", "04*", "05*");
      assertThat(effective.tubes().get(1).sensors()).hasSize(4);
      NetworkDescription.Tube two = effective.tubes().get(2);
      assertThat(two.sensors())
          .extracting(NetworkDescription.Sensor::id)
          .containsExactly("29", "2-10");
      assertThat(two.sensors()).allSatisfy(s -> assertThat(s.derived()).isTrue());
      assertThat(two.name()).isNull();
      assertThat(two.flowsInto()).isNull();
    }

    @Test
    void withoutAFileEveryDeviceIsDerivedByTube() {
      NetworkDescription effective =
          Network.byIdConvention().effective(ids("12", "01", "0-1", "1-0"));
      assertThat(effective.tubes())
          .extracting(NetworkDescription.Tube::id)
          .containsExactly("0", "1");
      assertThat(effective.tubes().get(0).sensors()).extracting(s -> s.id()).containsExactly("01");
      assertThat(effective.tubes().get(1).sensors())
          .extracting(s -> s.id())
          .containsExactly("10", "12");
    }

    @Test
    void nothingKnownAndNoFileIsAnEmptyTubeList() {
      assertThat(Network.byIdConvention().effective(List.of()).tubes()).isEmpty();
    }

    @Test
    void jsonMarksOnlyDerivedSensors() throws Exception {
      NetworkDescription effective = network(JUNCTION).effective(ids("04"));
      JsonNode json = Json.newMapper().valueToTree(effective);
      JsonNode sensors = json.path("tubes").get(0).path("sensors");
      assertThat(sensors.get(0).has("derived")).isFalse();
      assertThat(sensors.get(3).path("derived").asBoolean()).isTrue();
      assertThat(sensors.get(3).has("lat")).isFalse();
      NetworkDescription back = Json.newMapper().treeToValue(json, NetworkDescription.class);
      assertThat(back).isEqualTo(effective);
    }
  }
}
