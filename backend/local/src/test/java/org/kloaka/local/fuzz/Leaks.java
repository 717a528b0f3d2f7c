package org.kloaka.local.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/**
 * "No stack trace or internals in any answer": what an answer to a client must never contain. The
 * fuzzers' inputs never contain these fragments themselves, so an answer that echoes its input
 * cannot trip them by accident.
 */
public final class Leaks {

  static final List<String> FRAGMENTS =
      List.of(
          "Exception",
          "\tat ",
          "Caused by",
          ".java:",
          "org.kloaka",
          "java.",
          "javax.",
          "sun.",
          "jdk.",
          "com.fasterxml",
          "io.netty",
          "org.java_websocket",
          "com.hivemq",
          "org.sqlite",
          "SQLITE_",
          "TooTallNate",
          "Java-WebSocket",
          "StreamReadConstraints",
          "<h1>",
          "<html");

  private Leaks() {}

  /** Fails when {@code answer} carries a stack trace or a name from inside the process. */
  public static void assertNone(String what, String answer) {
    for (String fragment : FRAGMENTS) {
      assertThat(answer)
          .as(
              "%s must not show internals (%s): %s",
              what, fragment.strip(), Printable.clip(answer, 600))
          .doesNotContain(fragment);
    }
  }

  /** Whether fuzz input may be used as is (it would otherwise make the oracle ambiguous). */
  public static boolean innocent(String input) {
    return FRAGMENTS.stream().noneMatch(input::contains);
  }
}
