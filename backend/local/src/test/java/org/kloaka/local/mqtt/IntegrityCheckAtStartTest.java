package org.kloaka.local.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kloaka.local.mqtt.MqttDurabilityTest.get;
import static org.kloaka.local.mqtt.MqttDurabilityTest.publishUntilGone;
import static org.kloaka.local.mqtt.MqttDurabilityTest.sensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.local.sqlite.SqliteDatabase;

/**
 * The store's file is checked ({@code PRAGMA quick_check}) at a start after kill -9, not at one
 * after a clean stop, and at every start with {@code --check-integrity} (docs/decisions/028): the
 * runtime in a child JVM, killed with SIGKILL and stopped with SIGTERM as an operator's machine
 * would. What the check found is in the start's log line; whatever was acknowledged before the kill
 * is still there.
 */
class IntegrityCheckAtStartTest {

  @TempDir Path dir;

  @Test
  void checkedAfterKillMinus9NotAfterACleanStopAlwaysWhenAsked() throws Exception {
    Path data = dir.resolve("data");
    Path mark = data.resolve(SqliteDatabase.FILE_NAME + ".clean");

    MqttDurabilityTest.Published published;
    try (KloakaProcess first = KloakaProcess.start(data, dir.resolve("first.txt"))) {
      assertThat(log(first)).contains("integrity ok (quick_check: a new file");
      assertThat(mark).as("no mark while running").doesNotExist();
      published = publishUntilGone(first.mqtt, 300, first.process::destroyForcibly); // SIGKILL
      first.process.waitFor(30, TimeUnit.SECONDS);
    }
    assertThat(published.acked().cardinality()).isGreaterThanOrEqualTo(300);
    assertThat(mark).as("no mark after kill -9").doesNotExist();

    try (KloakaProcess afterKill = KloakaProcess.start(data, dir.resolve("after-kill.txt"))) {
      assertThat(log(afterKill))
          .as("the start after kill -9 checks the file")
          .contains("integrity ok (quick_check: the last stop was not clean");
      int lastAcked = published.acked().length() - 1;
      assertThat(get(afterKill.http, "/devices/" + sensor(lastAcked)).path("id").asText())
          .as("the last message acknowledged before the kill")
          .isEqualTo(sensor(lastAcked));
      stop(afterKill);
    }
    assertThat(mark).as("a clean stop leaves its mark").exists();

    try (KloakaProcess afterStop = KloakaProcess.start(data, dir.resolve("after-stop.txt"))) {
      assertThat(log(afterStop))
          .as("the start after a clean stop does not check")
          .contains("integrity not checked (the last stop was clean")
          .doesNotContain("quick_check:");
      assertThat(mark).as("the start takes the mark away").doesNotExist();
      stop(afterStop);
    }

    try (KloakaProcess asked =
        KloakaProcess.start(data, dir.resolve("asked.txt"), "--check-integrity")) {
      assertThat(log(asked)).contains("integrity ok (quick_check: asked for");
      stop(asked);
    }
  }

  private static String log(KloakaProcess kloaka) throws Exception {
    return Files.readString(kloaka.stderr);
  }

  private static void stop(KloakaProcess kloaka) throws Exception {
    kloaka.process.destroy(); // SIGTERM
    assertThat(kloaka.process.waitFor(60, TimeUnit.SECONDS)).as("stopped").isTrue();
    assertThat(kloaka.process.exitValue()).as("exit code after SIGTERM").isZero();
  }
}
