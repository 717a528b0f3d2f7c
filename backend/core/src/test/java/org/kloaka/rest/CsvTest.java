package org.kloaka.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kloaka.rest.Csv.Column;

class CsvTest {

  record Row(String text, Long number) {}

  static final Set<String> FORMAT_ONLY = Set.of(Representation.FORMAT);

  static final List<Column<Row>> COLUMNS =
      List.of(new Column<>("text", Row::text), new Column<>("number", Row::number));

  static String write(Row... rows) {
    return new String(Csv.write(COLUMNS, Arrays.asList(rows)), StandardCharsets.UTF_8);
  }

  @Test
  void headerRowThenOneCrlfTerminatedRecordPerRowNullsEmpty() {
    assertThat(write()).isEqualTo("text,number\r\n");
    assertThat(write(new Row("a", 1L), new Row(null, null)))
        .isEqualTo("text,number\r\na,1\r\n,\r\n");
  }

  @Test
  void fieldsWithCommasQuotesOrLineBreaksAreQuotedAndQuotesDoubled() {
    assertThat(write(new Row("a,b", 1L))).endsWith("\"a,b\",1\r\n");
    assertThat(write(new Row("say \"hi\"", 1L))).endsWith("\"say \"\"hi\"\"\",1\r\n");
    assertThat(write(new Row("two\nlines\r\n", 1L))).endsWith("\"two\nlines\r\n\",1\r\n");
    assertThat(write(new Row("Piazza Mastai ü €", 1L))).endsWith("Piazza Mastai ü €,1\r\n");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {"=1+2|'=1+2", "+cmd|'+cmd", "-2+3|'-2+3", "@SUM(A1)|'@SUM(A1)", "a=1|a=1", "'|'"})
  void textThatASpreadsheetWouldRunAsAFormulaGetsALeadingApostrophe(String text, String cell) {
    assertThat(write(new Row(text, 1L))).isEqualTo("text,number\r\n" + cell + ",1\r\n");
  }

  @Test
  void numbersAreNeverPrefixedAndTabOrCrStartsAreEscapedAndQuoted() {
    assertThat(write(new Row("x", -5L))).endsWith("x,-5\r\n");
    assertThat(write(new Row("\tx", 1L))).endsWith("'\tx,1\r\n");
    assertThat(write(new Row("\rx", 1L))).endsWith("\"'\rx\",1\r\n");
  }

  @Test
  void acceptHeaderChoosesCsvOnlyWhenItRanksCsvAboveJson() {
    Map<String, Representation> cases =
        Map.of(
            "text/csv", Representation.CSV,
            "text/csv; charset=utf-8", Representation.CSV,
            "application/json, text/csv", Representation.JSON,
            "text/csv, application/json", Representation.CSV,
            "application/json;q=0.5, text/csv", Representation.CSV,
            "text/csv;q=0", Representation.JSON,
            "*/*", Representation.JSON,
            "text/csv;q=nonsense", Representation.JSON,
            "TEXT/CSV", Representation.CSV);
    cases.forEach(
        (accept, expected) ->
            assertThat(Representation.fromAccept(accept)).as(accept).isEqualTo(expected));
    assertThat(Representation.fromAccept(null)).isEqualTo(Representation.JSON);
  }

  @Test
  void formatParameterOverridesAcceptAndAnythingButCsvOrJsonIsABadRequest() {
    ApiRequest csvAccept =
        new ApiRequest("GET", "/rejects", null, Map.of("Accept", "text/csv"), null);
    assertThat(Representation.of(csvAccept, QueryParameters.parse("format=json", FORMAT_ONLY)))
        .isEqualTo(Representation.JSON);
    assertThat(Representation.of(csvAccept, QueryParameters.parse(null, FORMAT_ONLY)))
        .isEqualTo(Representation.CSV);
    assertThatThrownBy(
            () -> Representation.of(csvAccept, QueryParameters.parse("format=xml", FORMAT_ONLY)))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("format must be csv or json");
  }
}
