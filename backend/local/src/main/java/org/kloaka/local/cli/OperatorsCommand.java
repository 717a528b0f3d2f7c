package org.kloaka.local.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.kloaka.core.app.ManageOperators;
import org.kloaka.core.port.OperatorSessions;
import org.kloaka.local.LocalConfig;
import org.kloaka.local.sqlite.SqliteDatabase;
import org.kloaka.local.sqlite.SqliteOperatorStore;
import org.kloaka.model.Operator;
import org.kloaka.model.Role;
import org.kloaka.rest.Sha256Tokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar kloaka-backend.jar operators add|list|remove}: manages operator accounts in the
 * data folder's database directly, without the REST API (docs/api.md, "Operators and roles"); it
 * works whether the runtime runs or not. A new token is printed once and stored as its digest.
 *
 * <p>Exit codes: 0 done, 1 refused (name taken, no such operator), 2 bad arguments.
 */
@Command(
    name = "operators",
    mixinStandardHelpOptions = true,
    description = "Add, list or remove operators (their tokens work on REST and WebSocket).",
    subcommands = {
      OperatorsCommand.Add.class,
      OperatorsCommand.ListOperators.class,
      OperatorsCommand.Remove.class
    })
final class OperatorsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "say what to do: add, list or remove");
  }

  /** The options every subcommand shares. */
  abstract static class OnDatabase implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
        names = "--data",
        paramLabel = "DIR",
        description = "Data folder of the runtime (default: ~/.kloaka).")
    Path data;

    @Override
    public Integer call() {
      Path dir = data == null ? LocalConfig.defaults().dataDir() : data;
      try (SqliteDatabase db =
          SqliteDatabase.open(
              dir.resolve(SqliteDatabase.FILE_NAME),
              SqliteDatabase.Durability.FULL,
              1,
              Clock.systemUTC())) {
        ManageOperators operators =
            new ManageOperators(
                new SqliteOperatorStore(db),
                // The runtime, if it runs, is not told: see docs/api.md ("operators" command).
                OperatorSessions.NONE,
                Sha256Tokens.INSTANCE,
                new SecureRandom(),
                Clock.systemUTC());
        PrintWriter out = spec.commandLine().getOut();
        int code = run(operators, out, spec.commandLine().getErr());
        out.flush();
        spec.commandLine().getErr().flush();
        return code;
      }
    }

    abstract int run(ManageOperators operators, PrintWriter out, PrintWriter err);
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = "Add an operator and print its token (shown only this once).")
  static final class Add extends OnDatabase {

    @Parameters(paramLabel = "NAME", description = "1-64 of A-Z a-z 0-9 . _ - @")
    String name;

    @Option(
        names = "--role",
        paramLabel = "ROLE",
        required = true,
        description = "viewer, operator, admin or ingest")
    String role;

    @Override
    public Integer call() {
      String why = ManageOperators.whyInvalidName(name);
      if (why != null) {
        throw new ParameterException(spec.commandLine(), why);
      }
      try {
        Role.ofWire(role);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      return super.call();
    }

    @Override
    int run(ManageOperators operators, PrintWriter out, PrintWriter err) {
      ManageOperators.Added added = operators.add(name, Role.ofWire(role));
      if (added instanceof ManageOperators.Added.Created created) {
        out.println(
            "Operator "
                + name
                + " added with role "
                + created.operator().role().wire()
                + ". Its token, shown only now:");
        out.println(created.token());
        return 0;
      }
      err.println("kloaka operators: the name '" + name + "' is taken");
      return 1;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List operators: name, role, created (never a token).")
  static final class ListOperators extends OnDatabase {

    @Override
    int run(ManageOperators operators, PrintWriter out, PrintWriter err) {
      for (Operator operator : operators.list()) {
        out.println(
            operator.name()
                + "\t"
                + operator.role().wire()
                + "\t"
                + Instant.ofEpochSecond(operator.created()));
      }
      return 0;
    }
  }

  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description = "Remove an operator: its token stops working at once.")
  static final class Remove extends OnDatabase {

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    int run(ManageOperators operators, PrintWriter out, PrintWriter err) {
      if (operators.remove(name)) {
        out.println("Operator " + name + " removed.");
        return 0;
      }
      err.println("kloaka operators: no operator '" + name + "'");
      return 1;
    }
  }
}
