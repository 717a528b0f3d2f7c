package org.kloaka.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kloaka.model.Level.CORRECT;
import static org.kloaka.model.Level.LOW;
import static org.kloaka.model.Level.NO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The nine cells of the verdict table in docs/problems.md, upstream level first. */
class VerdictTest {

  @Test
  void okWhenUpstreamCorrectAndDownstreamCorrect() {
    assertThat(Verdict.of(CORRECT, CORRECT)).isEqualTo(Verdict.OK);
  }

  @Test
  void obstructionWhenUpstreamCorrectAndDownstreamLow() {
    assertThat(Verdict.of(CORRECT, LOW)).isEqualTo(Verdict.OBSTRUCTION);
  }

  @Test
  void obstructionWhenUpstreamCorrectAndDownstreamNo() {
    assertThat(Verdict.of(CORRECT, NO)).isEqualTo(Verdict.OBSTRUCTION);
  }

  @Test
  void problemWhenUpstreamLowAndDownstreamCorrect() {
    assertThat(Verdict.of(LOW, CORRECT)).isEqualTo(Verdict.PROBLEM);
  }

  @Test
  void okWhenUpstreamLowAndDownstreamLow() {
    assertThat(Verdict.of(LOW, LOW)).isEqualTo(Verdict.OK);
  }

  @Test
  void obstructionWhenUpstreamLowAndDownstreamNo() {
    assertThat(Verdict.of(LOW, NO)).isEqualTo(Verdict.OBSTRUCTION);
  }

  @Test
  void problemWhenUpstreamNoAndDownstreamCorrect() {
    assertThat(Verdict.of(NO, CORRECT)).isEqualTo(Verdict.PROBLEM);
  }

  @Test
  void problemWhenUpstreamNoAndDownstreamLow() {
    assertThat(Verdict.of(NO, LOW)).isEqualTo(Verdict.PROBLEM);
  }

  @Test
  void okWhenUpstreamNoAndDownstreamNo() {
    assertThat(Verdict.of(NO, NO)).isEqualTo(Verdict.OK);
  }

  /**
   * The table as docs/problems.md prints it, row by row, checked through fillings at the
   * boundaries.
   */
  @ParameterizedTest(name = "upstream {0} ({1}), downstream {2} ({3}): {4}")
  @CsvSource({
    "CORRECT, 75,   CORRECT, 100,  OK",
    "CORRECT, 100,  LOW,     74.9, OBSTRUCTION",
    "CORRECT, 75,   NO,      24.9, OBSTRUCTION",
    "LOW,     25,   CORRECT, 75,   PROBLEM",
    "LOW,     74.9, LOW,     25,   OK",
    "LOW,     25,   NO,      0,    OBSTRUCTION",
    "NO,      24.9, CORRECT, 100,  PROBLEM",
    "NO,      0,    LOW,     50,   PROBLEM",
    "NO,      0,    NO,      24.9, OK",
  })
  void theWholeTableByLevelAndByFilling(
      Level upstream,
      String upstreamFilling,
      Level downstream,
      String downstreamFilling,
      Verdict expected) {
    assertThat(Verdict.of(upstream, downstream)).isEqualTo(expected);
    assertThat(Verdict.of(Filling.parse(upstreamFilling), Filling.parse(downstreamFilling)))
        .isEqualTo(expected);
  }

  @Test
  void eachFaultRaisesTheProblemTypeOfTheSameName() {
    assertThat(Verdict.OBSTRUCTION.problemType()).isEqualTo(ProblemType.OBSTRUCTION);
    assertThat(Verdict.PROBLEM.problemType()).isEqualTo(ProblemType.PROBLEM);
    assertThatThrownBy(Verdict.OK::problemType).isInstanceOf(IllegalStateException.class);
  }
}
