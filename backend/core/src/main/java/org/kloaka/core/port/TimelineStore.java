package org.kloaka.core.port;

import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import org.kloaka.model.ProblemEvent;

/**
 * The pairs' timelines (docs/problems.md, "Timeline"): every event of every occurrence, keyed by
 * {@code problem_id}, kept when a resolved record is replaced by a new occurrence.
 *
 * <p>Events of a problem change (opened, changed, inactive, active, acknowledged, resolved) are
 * written together with the record by {@link ProblemStore#replace(Stored, org.kloaka.model.Problem,
 * List)}, in the same unit of work; this port appends the ones that change no record (comments,
 * notifications) and reads them all.
 *
 * <p>An event's identity is its {@link #keyOf key}: appending an event equal to one stored changes
 * nothing, so a redelivered write adds no event. Events are ordered by {@link #ORDER}: time, then
 * the type's lifecycle order, then the key.
 */
public interface TimelineStore {

  /** Adds {@code event} to its pair's timeline unless an equal event is stored. */
  void append(ProblemEvent event);

  /**
   * The most recent {@code limit} events of the pair {@code problemId}, every occurrence, listed
   * oldest first.
   */
  List<ProblemEvent> history(String problemId, int limit);

  /**
   * The events of every pair with {@code since <= time <= until}, oldest first, at most the first
   * {@code limit} of them (a caller pages on from the last one's time).
   */
  List<ProblemEvent> between(long since, long until, int limit);

  /** The order of a timeline: by time, then the type's lifecycle order, then the key. */
  Comparator<ProblemEvent> ORDER =
      Comparator.comparingLong(ProblemEvent::time)
          .thenComparing(ProblemEvent::type)
          .thenComparing(TimelineStore::keyOf);

  /**
   * An event's identity and sort key within its pair: {@code <time, 12 digits>#<type order, 2
   * digits>#<16 hex digits of a 64-bit FNV-1a hash of the other fields>}. Sorting keys as text
   * sorts by {@link #ORDER}, which is what a DynamoDB sort key needs; equal events have equal keys.
   * (Two different events of one pair, second and type colliding in 64 bits is not a risk worth a
   * cryptographic hash, which the core does without.)
   */
  static String keyOf(ProblemEvent event) {
    String rest =
        event.problemTime()
            + "\u0000"
            + nullable(event.by())
            + "\u0000"
            + nullable(event.note())
            + "\u0000"
            + (event.problem() == null ? "" : event.problem().name());
    long hash = 0xcbf29ce484222325L;
    for (int i = 0; i < rest.length(); i++) {
      char c = rest.charAt(i);
      hash = (hash ^ (c & 0xff)) * 0x100000001b3L;
      hash = (hash ^ (c >>> 8)) * 0x100000001b3L;
    }
    return String.format(
        "%012d#%02d#%s", event.time(), event.type().ordinal(), HexFormat.of().toHexDigits(hash));
  }

  private static String nullable(String text) {
    // A marker no note can hold, so null and "" differ.
    return text == null ? "\u0001" : "\u0002" + text;
  }
}
