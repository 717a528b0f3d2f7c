package org.kloaka.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class SensorIdTest {

  @ParameterizedTest(name = "{0} is tube {1}, sensor {2}, printed {3}")
  @CsvSource({
    "01, 0, 1, 01",
    "00, 0, 0, 00",
    "99, 9, 9, 99",
    "0-1, 0, 1, 01",
    "9-9, 9, 9, 99",
    "12-7, 12, 7, 12-7",
    "0-10, 0, 10, 0-10",
    "10-0, 10, 0, 10-0",
    "9999-9999, 9999, 9999, 9999-9999",
  })
  void parsesEitherSpellingAndPrintsTheCanonicalOne(
      String text, int tube, int sensor, String canonical) {
    SensorId id = SensorId.parse(text);

    assertThat(id.tube()).isEqualTo(tube);
    assertThat(id.sensor()).isEqualTo(sensor);
    assertThat(id).hasToString(canonical);
    assertThat(SensorId.whyInvalid(text)).isNull();
    assertThat(SensorId.tryParse(text)).contains(id);
  }

  @Test
  void bothSpellingsOfTheSamePairAreTheSameSensor() {
    assertThat(SensorId.parse("0-1")).isEqualTo(SensorId.parse("01"));
    assertThat(SensorId.parse("0-1").hashCode()).isEqualTo(SensorId.parse("01").hashCode());
  }

  @Test
  void theCanonicalSpellingParsesBackToTheSameSensor() {
    for (SensorId id :
        new SensorId[] {new SensorId(0, 1), new SensorId(12, 7), new SensorId(0, 10)}) {
      assertThat(SensorId.parse(id.toString())).isEqualTo(id);
    }
  }

  @ParameterizedTest(name = "{0} is followed by {1}")
  @CsvSource({"01, 02", "08, 09", "09, 0-10", "0-10, 0-11", "12-7, 12-8", "00, 01", "90, 91"})
  void followingSensorIsTheNextNumberOnTheSameTube(String id, String following) {
    assertThat(SensorId.parse(id).following()).contains(SensorId.parse(following));
    assertThat(SensorId.parse(following).previous()).contains(SensorId.parse(id));
  }

  @Test
  void previousOfZeroTenIsZeroNine() {
    assertThat(SensorId.parse("0-10").previous()).map(SensorId::toString).contains("09");
  }

  @Test
  void sensorZeroHasNoPrevious() {
    assertThat(SensorId.parse("00").previous()).isEmpty();
    assertThat(SensorId.parse("12-0").previous()).isEmpty();
  }

  @Test
  void theLastNumberableSensorHasNoFollowing() {
    assertThat(SensorId.parse("7-9999").following()).isEmpty();
    assertThat(SensorId.parse("7-9998").following()).map(SensorId::toString).contains("7-9999");
  }

  @Test
  void sortsByTubeThenSensorNumberNotByText() {
    assertThat(SensorId.parse("09")).isLessThan(SensorId.parse("0-10"));
    assertThat(SensorId.parse("0-10")).isLessThan(SensorId.parse("10"));
    assertThat(SensorId.parse("99")).isLessThan(SensorId.parse("10-0"));
  }

  static Stream<Arguments> notIds() {
    return Stream.of(
        Arguments.of("01-2", "tube number '01' has a leading zero"),
        Arguments.of("1-02", "sensor number '02' has a leading zero"),
        Arguments.of("00-0", "tube number '00' has a leading zero"),
        Arguments.of("12345-1", "tube number has more than 4 digits"),
        Arguments.of("1-12345", "sensor number has more than 4 digits"),
        Arguments.of("123", "not two ASCII digits"),
        Arguments.of("1", "not two ASCII digits"),
        Arguments.of("12345678901", "too long"),
        Arguments.of("", "sensor id is empty"),
        Arguments.of(" 01", "not two ASCII digits"),
        Arguments.of("01 ", "not two ASCII digits"),
        Arguments.of("0 1", "not two ASCII digits"),
        Arguments.of("1 -2", "'1 ' is not ASCII digits"),
        Arguments.of("\u0660\u0661", "not two ASCII digits"),
        Arguments.of("\uFF10\uFF11", "not two ASCII digits"),
        Arguments.of("1-\u0662", "is not ASCII digits"),
        Arguments.of("-1", "tube number is empty"),
        Arguments.of("1-", "sensor number is empty"),
        Arguments.of("--", "more than one '-'"),
        Arguments.of("1-2-3", "more than one '-'"),
        Arguments.of("ab", "not two ASCII digits"),
        Arguments.of("a-1", "'a' is not ASCII digits"),
        Arguments.of("+1-2", "'+1' is not ASCII digits"),
        Arguments.of("0x1", "not two ASCII digits"));
  }

  @ParameterizedTest(name = "''{0}'': {1}")
  @MethodSource("notIds")
  void refusesWhatIsNotAnIdWithItsReason(String text, String reason) {
    assertThat(SensorId.whyInvalid(text)).contains(reason);
    assertThat(SensorId.tryParse(text)).isEmpty();
    assertThatThrownBy(() -> SensorId.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void aMissingIdIsNamedAsMissing() {
    assertThat(SensorId.whyInvalid(null)).isEqualTo("sensor id is missing");
    assertThat(SensorId.tryParse(null)).isEmpty();
  }

  @Test
  void numbersBeyondFourDigitsCannotBeBuilt() {
    assertThatThrownBy(() -> new SensorId(10_000, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("between 0 and 9999");
    assertThatThrownBy(() -> new SensorId(0, -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
