package org.kloaka.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationTextTest {

  @ParameterizedTest
  @CsvSource({
    "90s, PT1M30S",
    "30m, PT30M",
    "3h, PT3H",
    "1d, PT24H",
    "500ms, PT0.5S",
    "PT30M, PT30M",
    "pt30m, PT30M",
    "' 2H ', PT2H",
    "0, PT0S",
    "0s, PT0S",
    "P1D, PT24H"
  })
  void shortFormsAndIso8601MeanWhatTheySay(String text, String iso) {
    assertThat(DurationText.parse(text)).isEqualTo(Duration.parse(iso));
  }

  @ParameterizedTest
  @ValueSource(strings = {"soon", "3", "3 h", "-5m", "5x", "h", "1.5h", "9999999999s", "PT"})
  void anythingElseIsRefusedWithTheTextQuoted(String text) {
    assertThatThrownBy(() -> DurationText.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT-5M", "-PT5M"})
  void aNegativeIsoDurationIsRefused(String text) {
    assertThatThrownBy(() -> DurationText.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  "})
  void anEmptyTextIsRefused(String text) {
    assertThatThrownBy(() -> DurationText.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
  }
}
