package org.kloaka.console.viewmodel;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * A question put to the operator before a risky command runs ("02 → 03 still looks faulty. Resolve
 * anyway?"). The view shows {@link #question()} with two buttons while {@link #asking()}; {@link
 * #confirm()} runs the command, {@link #cancel()} drops it. A new question replaces an unanswered
 * one.
 */
public final class Confirmation {

  private final ReadOnlyStringWrapper question = new ReadOnlyStringWrapper(this, "question", "");
  private final ReadOnlyStringWrapper action = new ReadOnlyStringWrapper(this, "action", "");
  private final ReadOnlyBooleanWrapper asking = new ReadOnlyBooleanWrapper(this, "asking");
  private Runnable command;

  /** Asks {@code text}; {@code confirmLabel} names the confirming button ("Resolve anyway"). */
  public void ask(String text, String confirmLabel, Runnable onConfirm) {
    command = onConfirm;
    question.set(text);
    action.set(confirmLabel);
    asking.set(true);
  }

  public ReadOnlyStringProperty question() {
    return question.getReadOnlyProperty();
  }

  /** The confirming button's text. */
  public ReadOnlyStringProperty action() {
    return action.getReadOnlyProperty();
  }

  public ReadOnlyBooleanProperty asking() {
    return asking.getReadOnlyProperty();
  }

  public void confirm() {
    Runnable run = command;
    cancel();
    if (run != null) {
      run.run();
    }
  }

  public void cancel() {
    command = null;
    question.set("");
    action.set("");
    asking.set(false);
  }
}
