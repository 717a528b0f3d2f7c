package org.kloaka.local.sqlite;

import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.core.port.NotificationOutbox;
import org.kloaka.core.port.OutboxContract;

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

  @AfterEach
  void close() {
    if (db != null) {
      db.close();
    }
  }
}
