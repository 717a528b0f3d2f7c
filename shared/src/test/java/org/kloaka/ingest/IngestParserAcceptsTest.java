package org.kloaka.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kloaka.ingest.IngestResult.Reading;
import org.kloaka.ingest.IngestResult.Rejection;
import org.kloaka.model.Filling;
import org.kloaka.model.SensorId;

/** The seed's plain payload, {@code {"id": "01", "filling": "100"}}, and its accepted variants. */
class IngestParserAcceptsTest {

  private static final long NOW = 1_800_000_000L;

  private final IngestParser parser = new IngestParser();

  @ParameterizedTest(name = "{0} → {1}, filling \"{2}\"")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"id\": \"01\", \"filling\": \"100\"}           | 01   | 100",
        "{\"id\": \"01\", \"filling\": 100}               | 01   | 100",
        "{\"id\": \"02\", \"filling\": 50.0}              | 02   | 50",
        "{\"id\": \"02\", \"filling\": \"50.0\"}          | 02   | 50",
        "{\"id\": \"03\", \"filling\": 62.5}              | 03   | 62.5",
        "{\"id\": \"03\", \"filling\": \"62.5\"}          | 03   | 62.5",
        "{\"id\": \"04\", \"filling\": 0}                 | 04   | 0",
        "{\"id\": \"04\", \"filling\": \"0\"}             | 04   | 0",
        "{\"id\": \"05\", \"filling\": 1E+2}              | 05   | 100",
        "{\"id\": \"12-7\", \"filling\": \"75\"}          | 12-7 | 75",
        "{\"id\": \"0-1\", \"filling\": \"25\"}           | 01   | 25",
        "{\"id\": \"0-10\", \"filling\": 24.9}            | 0-10 | 24.9",
        "{\"filling\": \"100\", \"id\": \"09\"}           | 09   | 100",
      })
  void acceptsPlainPayloads(String payload, String id, String filling) {
    Reading reading = read(payload);

    assertThat(reading.id()).isEqualTo(SensorId.parse(id));
    assertThat(reading.id()).hasToString(id);
    assertThat(reading.filling()).hasToString(filling);
  }

  @Test
  void whitespaceAroundTheObjectIsAllowed() {
    assertThat(read(" \t{\"id\": \"01\", \"filling\": \"100\"}\r\n").id()).hasToString("01");
  }

  @Test
  void aPlainPayloadIsMeasuredAtTheServersClock() {
    assertThat(read("{\"id\": \"01\", \"filling\": \"100\"}").time()).isEqualTo(NOW);
    assertThat(parser.parse(utf8("{\"id\": \"01\", \"filling\": \"100\"}"), NOW + 7))
        .isInstanceOfSatisfying(Reading.class, r -> assertThat(r.time()).isEqualTo(NOW + 7));
  }

  @Test
  void aPlainPayloadCarriesNoSignal() {
    assertThat(read("{\"id\": \"01\", \"filling\": \"100\"}").signal()).isNull();
  }

  @Test
  void extraFieldsAreIgnored() {
    Reading reading =
        read(
            "{\"id\": \"01\", \"filling\": \"50\", \"battery\": 3.6, \"fw\": \"1.2.0\","
                + " \"tags\": [\"north\"], \"meta\": {\"seq\": 9}, \"dt\": 1}");

    assertThat(reading).isEqualTo(new Reading(SensorId.parse("01"), Filling.of(50), NOW, null));
  }

  @Test
  void aUtf8ByteOrderMarkIsNotAnError() {
    byte[] json = utf8("{\"id\": \"01\", \"filling\": \"100\"}");
    byte[] withBom = new byte[json.length + 3];
    withBom[0] = (byte) 0xEF;
    withBom[1] = (byte) 0xBB;
    withBom[2] = (byte) 0xBF;
    System.arraycopy(json, 0, withBom, 3, json.length);

    assertThat(parser.parse(withBom, NOW)).isInstanceOf(Reading.class);
  }

  @Test
  void aPayloadOfExactlyTheLimitIsStillRead() {
    String head = "{\"id\": \"01\", \"filling\": \"100\", \"pad\": \"";
    String tail = "\"}";
    String payload =
        head + "x".repeat(IngestParser.MAX_PAYLOAD_BYTES - head.length() - tail.length()) + tail;

    assertThat(utf8(payload)).hasSize(IngestParser.MAX_PAYLOAD_BYTES);
    assertThat(parser.parse(utf8(payload), NOW)).isInstanceOf(Reading.class);
  }

  @Test
  void aGoodMessageAfterBadOnesIsReadNormally() {
    assertThat(parser.parse(utf8("{\"id\": \"01\""), NOW)).isInstanceOf(Rejection.class);
    assertThat(parser.parse(new byte[IngestParser.MAX_PAYLOAD_BYTES + 1], NOW))
        .isInstanceOf(Rejection.class);
    assertThat(parser.parse(null, NOW)).isInstanceOf(Rejection.class);

    assertThat(read("{\"id\": \"01\", \"filling\": \"100\"}").filling()).isEqualTo(Filling.of(100));
  }

  private Reading read(String payload) {
    IngestResult result = parser.parse(utf8(payload), NOW);
    assertThat(result).isInstanceOf(Reading.class);
    return (Reading) result;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
