package org.kloaka.local.sqlite;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.core.port.StoreContract;

/** The SQLite stores keep the ports' promises. */
class SqliteStoresContractTest extends StoreContract {

  @TempDir Path dir;
  private SqliteDatabase db;

  @Override
  protected Stores open(int keep) {
    db = SqliteDatabase.open(dir.resolve("kloaka.db"), SqliteDatabase.Durability.FULL, 2, clock);
    return new Stores(
        new SqliteDeviceStore(db, keep),
        new SqliteHistoryStore(db),
        new SqliteProblemStore(db),
        new SqliteRejectStore(db, 100),
        db,
        new SqliteTimelineStore(db));
  }

  @AfterEach
  void close() {
    if (db != null) {
      db.close();
    }
  }
}
