package org.kloaka.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Jackson's failures in words: the MQTT and REST fuzzers found its internals in answers. */
class JsonExplainTest {

  static final ObjectMapper STRICT =
      Json.newMapper()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  static String explain(String text) {
    JsonProcessingException e =
        catchThrowableOfType(JsonProcessingException.class, () -> STRICT.readTree(text));
    assertThat(e).as("%s must fail", text).isNotNull();
    return Json.explain(e);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"a\":1} \"x\"|there is more after the JSON value",
        "{\"a\":1,\"a\":2}|Duplicate field 'a'",
        "{\"a\":|Unexpected end-of-input within/between Object entries",
        "[[[[[1|Unexpected end-of-input: expected close marker for Array",
        "{x}|Unexpected character ('x' (code 120)): was expecting double-quote to start field name",
      })
  void keepsWhatIsPlainAndDropsWhatNamesInternals(String json, String expected) {
    String explained = explain(json);

    assertThat(explained).isEqualTo(expected);
    for (String internal : List.of("`", "com.fasterxml", "Source:", "DeserializationFeature")) {
      assertThat(explained).doesNotContain(internal);
    }
  }

  @org.junit.jupiter.api.Test
  void limitsAreSaidInWords() {
    assertThat(explain("[".repeat(1001)))
        .isEqualTo("nested deeper than 1000 levels, or a number or string far too long");
  }

  @org.junit.jupiter.api.Test
  void aMappingFailureLosesItsClassNames() throws Exception {
    JsonProcessingException e =
        catchThrowableOfType(
            JsonProcessingException.class, () -> STRICT.readValue("[1]", String.class));

    assertThat(e.getOriginalMessage()).contains("`java.lang.String`");
    assertThat(Json.explain(e)).isEqualTo("Cannot deserialize value of type");
  }
}
