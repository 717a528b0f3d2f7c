package org.kloaka.core.app;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.kloaka.core.port.ProblemStore;
import org.kloaka.core.port.Stored;
import org.kloaka.core.port.TimelineStore;
import org.kloaka.model.Problem;
import org.kloaka.model.ProblemEvent;

/**
 * Use case: an operator comments on a problem (docs/problems.md, "Timeline"): a {@code comment}
 * event in the pair's timeline, belonging to the record's current occurrence. The record itself
 * does not change, so nothing is pushed.
 */
public final class CommentOnProblem {

  /** The longest comment, in characters (code points). */
  public static final int MAX_CHARS = 2000;

  /**
   * @param by the caller's operator name
   * @param note 1 to {@value #MAX_CHARS} characters
   */
  public record Command(String problemId, String by, String note) {
    public Command {
      Objects.requireNonNull(note, "note");
      int chars = note.codePointCount(0, note.length());
      if (chars < 1 || chars > MAX_CHARS) {
        throw new IllegalArgumentException(
            "a comment is 1 to " + MAX_CHARS + " characters; this one has " + chars);
      }
    }
  }

  private final ProblemStore problems;
  private final TimelineStore timeline;
  private final Clock clock;

  public CommentOnProblem(ProblemStore problems, TimelineStore timeline, Clock clock) {
    this.problems = problems;
    this.timeline = timeline;
    this.clock = clock;
  }

  /**
   * @return the new event, or empty when there is no such problem
   */
  public Optional<ProblemEvent> handle(Command command) {
    Optional<Problem> problem = problems.find(command.problemId()).map(Stored::value);
    if (problem.isEmpty()) {
      return Optional.empty();
    }
    ProblemEvent event =
        ProblemEvent.of(
            problem.get(),
            ProblemEvent.Type.COMMENT,
            clock.instant().getEpochSecond(),
            command.by(),
            command.note());
    timeline.append(event);
    return Optional.of(event);
  }
}
