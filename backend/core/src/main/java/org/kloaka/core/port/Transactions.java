package org.kloaka.core.port;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs a unit of work atomically where the store can (the local runtime: one SQLite transaction
 * covering the device, its history and the problems it changes). Stores without multi-item
 * transactions (DynamoDB) run the work directly and rely on conditional writes and streams.
 */
public interface Transactions {

  <T> T inTransaction(Supplier<T> work);

  /**
   * Runs {@code work} as one unit and hands its result to {@code committed} once the unit has
   * committed, before any later unit can commit: what {@code committed} releases (acknowledgements,
   * then pushes) therefore follows commit order. Not called when the unit rolls back. Only for the
   * outermost unit of work.
   *
   * @throws IllegalStateException when called inside another unit of work
   */
  default <T> T inTransaction(Supplier<T> work, Consumer<? super T> committed) {
    T result = inTransaction(work);
    committed.accept(result);
    return result;
  }

  /** Runs the work as it is, for stores whose every write is conditional on its own. */
  Transactions DIRECT =
      new Transactions() {
        @Override
        public <T> T inTransaction(Supplier<T> work) {
          return work.get();
        }
      };
}
