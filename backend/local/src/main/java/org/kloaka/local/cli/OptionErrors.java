package org.kloaka.local.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How Kloaka's command lines (the runtime's and the console's) answer a bad option: the reason on
 * one line, a pointer to {@code --help} on the next, exit code {@value #EXIT} — not the whole
 * usage, which buries the one line that matters.
 */
public final class OptionErrors implements CommandLine.IParameterExceptionHandler {

  /** The exit code of a bad option or a bad combination of options. */
  public static final int EXIT = 2;

  private final String command;

  /**
   * @param command the command's name as the user types it ({@code kloaka}, {@code kloaka-console})
   */
  public OptionErrors(String command) {
    this.command = command;
  }

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    String reason = e.getMessage();
    if (e instanceof UnmatchedArgumentException unmatched) {
      List<String> suggestions = unmatched.getSuggestions();
      if (!suggestions.isEmpty()) {
        reason += " (did you mean " + String.join(" or ", suggestions) + "?)";
      }
    }
    return report(e.getCommandLine().getErr(), reason);
  }

  /**
   * Prints {@code reason} (several lines are joined into one) and the pointer to {@code --help}.
   *
   * @return {@value #EXIT}
   */
  public int report(PrintWriter err, String reason) {
    err.println(command + ": " + String.join("; ", reason.strip().split("\\R+")));
    err.println("Try '" + command + " --help' for the options.");
    err.flush();
    return EXIT;
  }
}
