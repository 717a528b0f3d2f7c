package org.kloaka.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.kloaka.api.Json;
import org.kloaka.ingest.IngestParser;
import org.kloaka.ingest.IngestResult;
import org.kloaka.model.Filling;
import org.kloaka.model.Level;
import org.kloaka.model.SensorId;

class FleetTest {

  @Test
  void aFillingCarriesItsSequenceThroughTheCanonicalSpellingTheServerPushes() {
    for (int seq : new int[] {0, 1, 10, 1_234, 99_999, 100_000, 123_456}) {
      String sent = Fleet.filling(seq);
      String pushed = Filling.parse(sent).toString();

      assertThat(Fleet.sequenceOf(pushed)).as(sent).isEqualTo(seq % 100_000);
      assertThat(Filling.parse(sent).level())
          .as("normal traffic raises no problem")
          .isEqualTo(Level.CORRECT);
    }
    assertThat(Fleet.sequenceOf("100")).as("a fault's filling").isEqualTo(-1);
    assertThat(Fleet.sequenceOf("0")).isEqualTo(-1);
    assertThat(Fleet.sequenceOf("80.00001")).isEqualTo(-1);
    assertThat(Fleet.sequenceOf("not a number")).isEqualTo(-1);
  }

  @Test
  void messagesAreValidDeviceMessagesAndPushesFindTheirSendTime() throws Exception {
    Fleet fleet = new Fleet(30, 3);
    byte[] message = fleet.nextMessage(4, 123L);
    JsonNode json = Json.newMapper().readTree(message);
    IngestResult parsed = new IngestParser().parse(message, 0);

    assertThat(parsed).isInstanceOf(IngestResult.Reading.class);
    assertThat(json.path("id").asText()).isEqualTo(fleet.id(4).toString());
    assertThat(fleet.sentAt(json.path("id").asText(), json.path("filling").asText()))
        .isEqualTo(123L);
    assertThat(fleet.sentAt(json.path("id").asText(), "81")).as("never sent").isEqualTo(-1);
    assertThat(fleet.sentAt("99-99", json.path("filling").asText())).as("not ours").isEqualTo(-1);
  }

  @Test
  void sensorsAreSpreadOverTubesAndFaultPairsShareNoSensorOrNeighbour() {
    Fleet fleet = new Fleet(100, 4);

    assertThat(fleet.size()).isEqualTo(100);
    assertThat(fleet.id(0)).isEqualTo(new SensorId(0, 1));
    assertThat(fleet.id(5)).isEqualTo(new SensorId(1, 2));
    java.util.Set<SensorId> touched = new java.util.HashSet<>();
    for (SensorId[] pair : fleet.faultPairs(20)) {
      assertThat(pair[1]).isEqualTo(pair[0].following().orElseThrow());
      for (SensorId id :
          new SensorId[] {
            pair[0].previous().orElseThrow(), pair[0], pair[1], pair[1].following().orElseThrow()
          }) {
        assertThat(touched.add(id)).as("%s used twice", id).isTrue();
      }
    }
    assertThat(fleet.faultPairs(20)).hasSize(20);
  }
}
