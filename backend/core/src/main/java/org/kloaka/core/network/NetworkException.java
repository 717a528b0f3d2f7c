package org.kloaka.core.network;

import java.util.List;

/**
 * A network file or description that cannot be used, with every problem found, each naming what is
 * wrong and where ({@code tube "0" (tubes[0]), sensors[2]: …}). The message is meant for the person
 * who wrote the file: print it and stop.
 */
public final class NetworkException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String headline;
  private final List<String> problems;

  /**
   * @param headline what could not be used, e.g. {@code network file /etc/kloaka/net.json}
   * @param problems at least one problem, each a sentence naming its place
   */
  public NetworkException(String headline, List<String> problems) {
    super(message(headline, problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a NetworkException needs at least one problem");
    }
    this.headline = headline;
    this.problems = List.copyOf(problems);
  }

  public NetworkException(String headline, String problem) {
    this(headline, List.of(problem));
  }

  /** The same problems under another headline (e.g. naming the file they were found in). */
  public NetworkException withHeadline(String newHeadline) {
    return new NetworkException(newHeadline, problems);
  }

  public String headline() {
    return headline;
  }

  public List<String> problems() {
    return problems;
  }

  private static String message(String headline, List<String> problems) {
    if (problems.size() == 1) {
      return headline + ": " + problems.get(0);
    }
    StringBuilder text = new StringBuilder(headline).append(": ").append(problems.size());
    text.append(" problems");
    for (String problem : problems) {
      text.append(System.lineSeparator()).append("  - ").append(problem);
    }
    return text.toString();
  }
}
