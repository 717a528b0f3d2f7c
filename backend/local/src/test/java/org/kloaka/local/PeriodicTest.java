package org.kloaka.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class PeriodicTest {

  private static final Duration LONG = Duration.ofHours(1);

  @Test
  void runsAtOnceOnANamedDaemonThreadAndKeepsTheScheduleAfterAFailure() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    AtomicReference<Thread> thread = new AtomicReference<>();
    CountDownLatch secondRun = new CountDownLatch(2);
    try (Periodic periodic =
        Periodic.start(
            "test job",
            () -> {
              thread.set(Thread.currentThread());
              secondRun.countDown();
              if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("planted failure");
              }
            },
            Duration.ofMillis(10))) {
      assertThat(secondRun.await(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(thread.get().getName()).isEqualTo("kloaka-test-job");
    assertThat(thread.get().isDaemon()).isTrue();
  }

  @Test
  void closeLetsAShortRunFinish() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    AtomicBoolean finished = new AtomicBoolean();
    Periodic periodic =
        Periodic.start(
            "short job",
            () -> {
              started.countDown();
              try {
                release.await();
                finished.set(true);
              } catch (InterruptedException e) {
                interrupted.set(true);
              }
            },
            LONG);
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    Thread closing = new Thread(() -> closeQuietly(periodic));
    closing.start();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> closing.getState() == Thread.State.TIMED_WAITING);
    release.countDown();
    closing.join(TimeUnit.SECONDS.toMillis(10));

    assertThat(closing.isAlive()).isFalse();
    assertThat(finished).isTrue();
    assertThat(interrupted).isFalse();
  }

  @Test
  void closeInterruptsAChunkedRunWhichStopsAfterItsCurrentChunk() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch ended = new CountDownLatch(1);
    Periodic periodic =
        Periodic.startChunked(
            "chunked job",
            () -> {
              started.countDown();
              while (!Thread.currentThread().isInterrupted()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // one chunk
              }
              ended.countDown();
            },
            LONG);
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    long before = System.nanoTime();
    periodic.close();

    // A short job's close would wait 5 s before it interrupts.
    assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(4));
    assertThat(ended.getCount()).isZero();
  }

  private static void closeQuietly(Periodic periodic) {
    try {
      periodic.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
