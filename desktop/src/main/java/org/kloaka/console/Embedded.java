package org.kloaka.console;

/**
 * Starts the local runtime in-process for the console's default mode (and {@code --demo}).
 *
 * <p>The runtime's programmatic API ({@code org.kloaka.local.LocalRuntime}) is not on main yet:
 * until it is, the default mode says so and points at {@code --backend}.
 */
final class Embedded {

  private Embedded() {}

  static ConsoleSession start(ConsoleOptions options) {
    throw new IllegalStateException(
        "the embedded local runtime is not part of this build yet; start the backend"
            + " (java -jar backend/target/kloaka-backend.jar) and connect with --backend URL --ws URL --token T");
  }
}
