package org.kloaka.core.port;

import java.util.function.Supplier;

/**
 * Runs a unit of work atomically where the store can (the local runtime: one SQLite transaction
 * covering the device, its history and the problems it changes). Stores without multi-item
 * transactions (DynamoDB) run the work directly and rely on conditional writes and streams.
 */
public interface Transactions {

  <T> T inTransaction(Supplier<T> work);

  /** Runs the work as it is, for stores whose every write is conditional on its own. */
  Transactions DIRECT =
      new Transactions() {
        @Override
        public <T> T inTransaction(Supplier<T> work) {
          return work.get();
        }
      };
}
