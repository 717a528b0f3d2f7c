package org.kloaka.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FillingTest {

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "0, NO",
    "24.9, NO",
    "24.99999, NO",
    "25, LOW",
    "50, LOW",
    "74.9, LOW",
    "75, CORRECT",
    "75.0, CORRECT",
    "100, CORRECT",
  })
  void levelBoundariesAreTwentyFiveAndSeventyFive(String filling, Level level) {
    assertThat(Filling.parse(filling).level()).isEqualTo(level);
  }

  @Test
  void theSeedsThreeValuesAreItsThreeLevels() {
    assertThat(Filling.of(100).level()).isEqualTo(Level.CORRECT);
    assertThat(Filling.of(50).level()).isEqualTo(Level.LOW);
    assertThat(Filling.of(0).level()).isEqualTo(Level.NO);
  }

  @ParameterizedTest(name = "string {0} is stored as \"{1}\"")
  @CsvSource({
    "100, 100",
    "50.0, 50",
    "050, 50",
    "62.5, 62.5",
    "62.50, 62.5",
    "0.0, 0",
    "-0, 0",
    "0, 0",
    "100.000, 100",
    "0.001, 0.001",
  })
  void stringsGetTheCanonicalSpelling(String text, String canonical) {
    assertThat(Filling.parse(text)).hasToString(canonical);
  }

  @ParameterizedTest(name = "number {0} is stored as \"{1}\"")
  @CsvSource({"50.0, 50", "1E+2, 100", "1e2, 100", "62.5, 62.5", "6.25E1, 62.5", "0E-10, 0"})
  void numbersGetTheCanonicalSpellingWithoutExponent(String number, String canonical) {
    assertThat(Filling.of(new BigDecimal(number))).hasToString(canonical);
  }

  @Test
  void equalValuesAreEqualFillingsWhateverTheirSpelling() {
    assertThat(Filling.parse("50.0")).isEqualTo(Filling.of(50));
    assertThat(Filling.parse("50.0").hashCode()).isEqualTo(Filling.of(50).hashCode());
    assertThat(Filling.of(new BigDecimal("1E+2"))).isEqualTo(Filling.parse("100"));
    assertThat(Filling.parse("62.5")).isGreaterThan(Filling.parse("62.49"));
  }

  @ParameterizedTest(name = "{0} is outside 0–100")
  @ValueSource(strings = {"-0.1", "100.01", "101", "-1", "1000", "100.0000000001"})
  void refusesStringsOutsideTheRange(String text) {
    assertThat(Filling.whyInvalid(text)).contains("is outside 0–100");
    assertThatThrownBy(() -> Filling.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside 0–100");
  }

  @ParameterizedTest(name = "number {0} is outside 0–100")
  @ValueSource(strings = {"-0.1", "100.01", "1E+3"})
  void refusesNumbersOutsideTheRange(String number) {
    assertThatThrownBy(() -> Filling.of(new BigDecimal(number)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside 0–100");
  }

  @Test
  void anOutOfRangeReasonShowsTheNumberAsWritten() {
    assertThat(Filling.whyInvalid("100.01")).isEqualTo("filling 100.01 is outside 0–100");
    assertThat(Filling.whyOutOfRange(new BigDecimal("-0.1")))
        .isEqualTo("filling -0.1 is outside 0–100");
    assertThat(Filling.whyOutOfRange(new BigDecimal("50"))).isNull();
  }

  @ParameterizedTest(name = "''{0}'' is not a number")
  @ValueSource(
      strings = {
        "abc",
        "1e2",
        "1E+2",
        "NaN",
        "Infinity",
        "-Infinity",
        " 50",
        "50 ",
        "5 0",
        ".5",
        "5.",
        "+5",
        "0x10",
        "50%",
        "1,5",
        "\u0665\u0660",
        "\uFF15\uFF10"
      })
  void refusesWhatIsNotAPlainDecimal(String text) {
    assertThat(Filling.whyInvalid(text)).isEqualTo("filling '" + text + "' is not a number");
    assertThatThrownBy(() -> Filling.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesEmptyAndMissing() {
    assertThat(Filling.whyInvalid("")).isEqualTo("filling is an empty string");
    assertThat(Filling.whyInvalid(null)).isEqualTo("filling is missing");
  }

  @Test
  void aLongBadValueIsShortenedInTheReason() {
    String text = "x".repeat(5000);

    assertThat(Filling.whyInvalid(text)).hasSizeLessThan(100).contains("is not a number");
  }

  @Test
  void refusesMoreDecimalPlacesThanItCanSpell() {
    BigDecimal tiny = new BigDecimal("1E-999999999");

    assertThat(Filling.whyInvalidNumber(tiny)).contains("decimal places");
    assertThatThrownBy(() -> Filling.of(tiny)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aHugeExponentIsDescribedWithoutBeingSpelledOut() {
    BigDecimal huge = new BigDecimal("1E+999999999");

    assertThat(Filling.whyInvalidNumber(huge)).isEqualTo("filling 1E+999999999 is outside 0–100");
  }
}
