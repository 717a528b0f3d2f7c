package org.kloaka.console.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.kloaka.api.Push;
import org.kloaka.console.client.ConnectionStatus.State;

/** A {@link LiveConnection.Listener} that records what it hears, for tests on any thread. */
final class RecordingListener implements LiveConnection.Listener {
  final List<Push> pushes = new CopyOnWriteArrayList<>();
  final List<ConnectionStatus> statuses = new CopyOnWriteArrayList<>();
  final AtomicInteger opened = new AtomicInteger();

  @Override
  public void opened() {
    opened.incrementAndGet();
  }

  @Override
  public void pushed(Push push) {
    pushes.add(push);
  }

  @Override
  public void status(ConnectionStatus status) {
    statuses.add(status);
  }

  State lastState() {
    return statuses.isEmpty() ? null : statuses.get(statuses.size() - 1).state();
  }
}
