package org.kloaka.core.port;

import org.kloaka.core.InMemoryOutbox;

class InMemoryOutboxTest extends OutboxContract {

  @Override
  protected NotificationOutbox open() {
    return new InMemoryOutbox();
  }
}
