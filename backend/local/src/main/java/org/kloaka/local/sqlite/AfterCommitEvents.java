package org.kloaka.local.sqlite;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.kloaka.api.Push;
import org.kloaka.core.port.EventSink;

/**
 * The {@link EventSink} of the local runtime: an event published inside a transaction is held until
 * that transaction commits, then handed on in publishing order; a rollback drops it. An event
 * published outside any transaction announces a write that has already committed on its own, and is
 * handed on at once.
 */
public final class AfterCommitEvents implements EventSink {

  private final SqliteDatabase db;
  private final Consumer<Push> deliver;
  private final ThreadLocal<List<Push>> pending = new ThreadLocal<>();

  /**
   * @param deliver receives committed events on the committing thread; it must be quick (the write
   *     lock is still held, which keeps pushes in commit order)
   */
  public AfterCommitEvents(SqliteDatabase db, Consumer<Push> deliver) {
    this.db = db;
    this.deliver = deliver;
  }

  @Override
  public void publish(Push event) {
    if (!db.inTransactionOnThisThread()) {
      deliver.accept(event);
      return;
    }
    List<Push> held = pending.get();
    if (held == null) {
      List<Push> buffer = new ArrayList<>();
      pending.set(buffer);
      db.afterCompletion(
          committed -> {
            pending.remove();
            if (committed) {
              buffer.forEach(deliver);
            }
          });
      held = buffer;
    }
    held.add(event);
  }
}
