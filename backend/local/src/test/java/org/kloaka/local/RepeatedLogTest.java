package org.kloaka.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.kloaka.local.fuzz.LogCapture;
import org.slf4j.LoggerFactory;

class RepeatedLogTest {

  @Test
  void aRepeatedFailureIsLoggedOnceThenCountedAndTheTimerEndsItself() {
    try (LogCapture log = LogCapture.start()) {
      RepeatedLog repeated =
          new RepeatedLog(LoggerFactory.getLogger(RepeatedLogTest.class), Duration.ofMillis(300));
      RuntimeException trace = new IllegalStateException("boom");
      for (int i = 0; i < 734; i++) {
        repeated.warn("full", "the disk is full", trace);
      }
      repeated.warn("other", "another failure", null);

      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> log.text().contains("the disk is full … 733 more in the last 300 ms"));
      String text = log.text();
      assertThat(text.lines().filter(l -> l.contains("the disk is full")).count()).isEqualTo(2);
      assertThat(text.lines().filter(l -> l.contains("another failure")).count())
          .as("a key seen once has no count line")
          .isEqualTo(1);
      assertThat(text.split("IllegalStateException: boom", -1)).as("one trace").hasSize(2);
      await().atMost(Duration.ofSeconds(5)).until(() -> !repeated.timerRunning());

      // A new window logs the failure again.
      repeated.warn("full", "the disk is full", null);
      repeated.close();
      assertThat(log.text().lines().filter(l -> l.contains("the disk is full")).count())
          .isEqualTo(3);
    }
  }
}
