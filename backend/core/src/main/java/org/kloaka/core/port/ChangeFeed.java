package org.kloaka.core.port;

import java.util.List;
import org.kloaka.core.Change;

/**
 * Where the changes of committed units of work go to consoles (docs/websocket.md).
 *
 * <p>Called once per committed unit of work, after its commit and in commit order, with the changes
 * in the order they happened; never for a unit that rolled back. Deployments whose pushes come from
 * change streams (AWS) use {@link #NONE}.
 */
@FunctionalInterface
public interface ChangeFeed {

  void publish(List<Change> committed);

  ChangeFeed NONE = committed -> {};
}
