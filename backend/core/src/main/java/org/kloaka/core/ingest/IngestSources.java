package org.kloaka.core.ingest;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kloaka.api.Responses;

/**
 * The ingest paths of one process and what each is doing, for {@code GET /status}
 * (docs/decisions/020-ttn-ingest.md). Thread-safe: sources report from their own threads.
 */
public final class IngestSources {

  private final Clock clock;
  private final String version;
  private final long started;
  private final Map<String, Source> sources = new LinkedHashMap<>();

  public IngestSources(Clock clock, String version) {
    this.clock = clock;
    this.version = version;
    this.started = clock.instant().getEpochSecond();
  }

  /** Registers (or returns) the source {@code name}, starting in {@code state}. */
  public synchronized Source source(String name, String state) {
    return sources.computeIfAbsent(name, n -> new Source(n, state));
  }

  /** The body of {@code GET /status}; notifications are not counted yet, so they read 0. */
  public synchronized Responses.Status status() {
    List<Responses.Source> list = new ArrayList<>();
    for (Source source : sources.values()) {
      list.add(source.snapshot());
    }
    return new Responses.Status(
        version, started, List.copyOf(list), new Responses.Notifications(0, 0));
  }

  /** The version this code was built as: the jar's, else {@code development}. */
  public static String buildVersion() {
    String version = IngestSources.class.getPackage().getImplementationVersion();
    return version == null ? "development" : version;
  }

  /** One ingest path's state and counts. */
  public final class Source {
    private final String name;
    private String state;
    private long since;
    private Long messages;
    private Long lastMessage;
    private String error;
    private boolean counted = true;

    private Source(String name, String state) {
      this.name = name;
      this.state = state;
      this.since = now();
      this.messages = 0L;
    }

    /**
     * Moves to {@code next} (the time changes only when the state does), keeping the last error: a
     * source that retries still shows why the last attempt failed.
     */
    public void state(String next) {
      long at = now();
      synchronized (IngestSources.this) {
        if (!next.equals(state)) {
          state = next;
          since = at;
        }
      }
    }

    /** Moves to {@code next} and sets the last error, in words ({@code null} clears it). */
    public void state(String next, String why) {
      state(next);
      error(why);
    }

    /** Keeps {@code why} as the last error without changing the state. */
    public void error(String why) {
      synchronized (IngestSources.this) {
        error = why;
      }
    }

    /** Counts one message taken now. */
    public void message() {
      long at = now();
      synchronized (IngestSources.this) {
        if (counted) {
          messages = messages + 1;
        }
        lastMessage = at;
      }
    }

    /**
     * For a path one process cannot count for the whole deployment (a Lambda instance sees only its
     * share): messages reads null from now on.
     */
    public Source uncounted() {
      synchronized (IngestSources.this) {
        counted = false;
        messages = null;
      }
      return this;
    }

    public String name() {
      return name;
    }

    /** The state now, e.g. {@code connected}. */
    public String state() {
      synchronized (IngestSources.this) {
        return state;
      }
    }

    private Responses.Source snapshot() {
      return new Responses.Source(name, state, since, messages, lastMessage, error);
    }
  }

  private long now() {
    return clock.instant().getEpochSecond();
  }
}
