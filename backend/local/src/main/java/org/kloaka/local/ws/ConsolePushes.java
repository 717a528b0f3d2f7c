package org.kloaka.local.ws;

import java.util.List;
import java.util.function.Consumer;
import org.kloaka.api.Push;
import org.kloaka.core.Change;
import org.kloaka.core.port.ChangeFeed;

/**
 * The local runtime's {@link ChangeFeed}: each committed change becomes the WebSocket frame of
 * docs/websocket.md, handed on in the order given.
 */
public final class ConsolePushes implements ChangeFeed {

  private final Consumer<Push> broadcast;

  /**
   * @param broadcast sends one frame to every console; called on the committing thread, so it must
   *     be quick
   */
  public ConsolePushes(Consumer<Push> broadcast) {
    this.broadcast = broadcast;
  }

  @Override
  public void publish(List<Change> committed) {
    for (Change change : committed) {
      broadcast.accept(push(change));
    }
  }

  /** The frame that announces {@code change}. */
  public static Push push(Change change) {
    if (change instanceof Change.DeviceChanged d) {
      return new Push.DevicePush(new Push.DeviceState(d.id(), d.lastValue(), d.lastUpdate()));
    }
    return new Push.ProblemPush(((Change.ProblemChanged) change).problem());
  }
}
