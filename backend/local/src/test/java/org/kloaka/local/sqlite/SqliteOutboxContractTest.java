package org.kloaka.local.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.core.TestData;
import org.kloaka.core.notify.Notification;
import org.kloaka.core.port.NotificationOutbox;
import org.kloaka.core.port.OutboxContract;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemType;
import org.kloaka.testing.TestClock;

/** The SQLite outbox keeps the port's promises. */
class SqliteOutboxContractTest extends OutboxContract {

  @TempDir Path dir;
  private SqliteDatabase db;

  @Override
  protected NotificationOutbox open() {
    db =
        SqliteDatabase.open(
            dir.resolve("kloaka.db"), SqliteDatabase.Durability.NORMAL, 2, Clock.systemUTC());
    return new SqliteOutbox(db);
  }

  @Override
  protected void unit(Runnable work) {
    db.inTransaction(
        () -> {
          work.run();
          return null;
        });
  }

  @Test
  void doneEntriesArePrunedAfterThirtyDaysAndPendingOnesStay() {
    SqliteOutbox outbox = (SqliteOutbox) open();
    Problem problem = TestData.unresolved("01", "02", ProblemType.OBSTRUCTION, T);
    List<Notification> due = new ArrayList<>();
    for (String channel : List.of("delivered", "failed", "cancelled", "pending")) {
      due.add(Notification.due(problem, 1, channel, Notification.Event.OPENED, T));
    }
    outbox.add(due);
    for (Notification entry : due.subList(0, 3)) {
      Notification claimed = outbox.claimDue(entry.channel(), T, T + 60, 10).get(0);
      Notification.State state = Notification.State.valueOf(entry.channel().toUpperCase());
      outbox.finish(List.of(claimed.with(state, 1, T, null, T)));
    }
    TestClock clock = TestClock.atEpochSecond(T);
    Retention retention =
        new Retention("done notifications", SqliteOutbox.KEEP_DONE, clock, outbox::pruneDoneBefore);

    clock.forward(Duration.ofDays(30));
    assertThat(retention.pruneNow()).isZero();
    assertThat(outbox.newest(10)).hasSize(3);
    clock.forward(Duration.ofSeconds(1));
    assertThat(retention.pruneNow()).isEqualTo(3);
    assertThat(outbox.newest(10)).isEmpty();
    // The pending entry stays, however old, and is still claimable.
    clock.forward(Duration.ofDays(365));
    assertThat(retention.pruneNow()).isZero();
    assertThat(outbox.counts()).isEqualTo(new NotificationOutbox.Counts(1, 0));
    assertThat(outbox.claimDue("pending", clock.seconds(), clock.seconds() + 60, 10)).hasSize(1);
  }

  @AfterEach
  void close() {
    if (db != null) {
      db.close();
    }
  }
}
