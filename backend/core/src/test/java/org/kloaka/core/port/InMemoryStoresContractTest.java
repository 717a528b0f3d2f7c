package org.kloaka.core.port;

import org.kloaka.core.InMemoryStores;

/** The core tests' in-memory fake keeps the ports' promises. */
class InMemoryStoresContractTest extends StoreContract {

  @Override
  protected Stores open(int keep) {
    InMemoryStores stores = new InMemoryStores(keep);
    return new Stores(
        stores.devices,
        stores.history,
        stores.problems,
        stores.rejects,
        stores.transactions,
        stores.timeline);
  }
}
