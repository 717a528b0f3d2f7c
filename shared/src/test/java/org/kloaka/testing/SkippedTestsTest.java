package org.kloaka.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkippedTestsTest {

  @TempDir Path target;

  static final String REPORT =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <testsuite name="%1$s" tests="3" skipped="2">
        <testcase name="runs" classname="%1$s" time="0.1"/>
        <testcase name="needsTools" classname="%1$s" time="0">
          <skipped message="org.opentest4j.TestAbortedException: Assumption failed: node_modules is missing&#10;run npm ci"/>
        </testcase>
        <testcase name="disabled" classname="%1$s" time="0">
          <skipped/>
        </testcase>
      </testsuite>
      """;

  /** A report of {@code testClass} with one test passed and two skipped. */
  Path report(String folder, String testClass) throws Exception {
    Path dir = Files.createDirectories(target.resolve(folder));
    return Files.writeString(
        dir.resolve("TEST-" + testClass + ".xml"), REPORT.formatted(testClass));
  }

  @Test
  void eachSkippedTestIsOneLineWithTheFirstLineOfItsReason() throws Exception {
    report("surefire-reports", "org.example.SomeTest");

    assertThat(SkippedTests.skipped(target, Instant.EPOCH))
        .containsExactly(
            "org.example.SomeTest.disabled: no reason given",
            "org.example.SomeTest.needsTools: node_modules is missing");
  }

  @Test
  void failsafeReportsCountAndReportsOfAnEarlierBuildDoNot() throws Exception {
    report("failsafe-reports", "org.example.SomeIT");
    Path old = report("surefire-reports", "org.example.OldTest");
    Instant buildStart = Instant.now().minusSeconds(60);
    Files.setLastModifiedTime(old, FileTime.from(buildStart.minusSeconds(3600)));

    assertThat(SkippedTests.skipped(target, buildStart))
        .containsExactly(
            "org.example.SomeIT.disabled: no reason given",
            "org.example.SomeIT.needsTools: node_modules is missing");
    assertThat(SkippedTests.skipped(target, Instant.EPOCH)).hasSize(4);
  }

  @Test
  void noReportsPrintNothing() throws Exception {
    assertThat(SkippedTests.skipped(target, Instant.EPOCH)).isEmpty();
    assertThat(SkippedTests.skipped(target.resolve("missing"), Instant.EPOCH)).isEmpty();
  }
}
