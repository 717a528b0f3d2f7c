package org.kloaka.core.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kloaka.core.InMemoryStores;
import org.kloaka.core.port.OperatorSessions;
import org.kloaka.model.Operator;
import org.kloaka.model.Role;
import org.kloaka.rest.Sha256Tokens;

/** Removing operators, here or from another process, closes their connections. */
class ManageOperatorsTest {

  /** The connections of this process, by operator: what a push server would hold. */
  static final class Connections implements OperatorSessions {
    final Set<String> open;
    final List<String> closed = new ArrayList<>();

    Connections(String... names) {
      open = new java.util.HashSet<>(Set.of(names));
    }

    @Override
    public void closeAll(String name) {
      closed.add(name);
      open.remove(name);
    }

    @Override
    public Set<String> connected() {
      return Set.copyOf(open);
    }
  }

  final InMemoryStores stores = new InMemoryStores();
  final Clock clock = Clock.fixed(Instant.ofEpochSecond(1_800_000_000L), ZoneOffset.UTC);

  ManageOperators manage(OperatorSessions sessions) {
    return new ManageOperators(
        stores.operators, sessions, Sha256Tokens.INSTANCE, new Random(3), clock);
  }

  @Test
  void connectionsOfOperatorsRemovedElsewhereAreClosedAndNoOthers() {
    Connections connections = new Connections("maria", "vera", Authenticate.INSTALL_NAME);
    ManageOperators here = manage(connections);
    here.add("maria", Role.OPERATOR);
    here.add("vera", Role.VIEWER);
    assertThat(here.closeSessionsOfRemoved()).as("nobody removed yet").isEmpty();

    // The operators command, another process: same store, no access to the connections.
    assertThat(manage(OperatorSessions.NONE).remove("maria")).isTrue();
    assertThat(connections.closed).isEmpty();

    assertThat(here.closeSessionsOfRemoved()).containsExactly("maria");
    assertThat(connections.closed).containsExactly("maria");
    assertThat(connections.open).containsExactlyInAnyOrder("vera", Authenticate.INSTALL_NAME);
    assertThat(here.closeSessionsOfRemoved()).as("nothing left to close").isEmpty();
    assertThat(here.list()).extracting(Operator::name).containsExactly("vera");
  }

  @Test
  void removingHereClosesAtOnce() {
    Connections connections = new Connections("maria");
    ManageOperators here = manage(connections);
    here.add("maria", Role.OPERATOR);
    assertThat(here.remove("maria")).isTrue();
    assertThat(connections.closed).containsExactly("maria");
    assertThat(here.remove("maria")).as("already gone").isFalse();
  }
}
