package org.kloaka.core.port;

import java.util.Set;

/**
 * The live WebSocket connections of the deployment, by the operator whose token opened them: a
 * removed operator's connections are closed (docs/websocket.md).
 */
@FunctionalInterface
public interface OperatorSessions {

  /**
   * Closes every connection opened with {@code name}'s token; returns without waiting for the
   * clients. Never throws for a connection that is already gone.
   */
  void closeAll(String name);

  /**
   * The names whose tokens opened the live connections of this process; empty where the deployment
   * cannot list them (removals there always go through {@link #closeAll}).
   */
  default Set<String> connected() {
    return Set.of();
  }

  OperatorSessions NONE = name -> {};
}
