package org.kloaka.console;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.kloaka.console.viewmodel.ConsoleViewModel;
import org.kloaka.local.StartupException;
import org.kloaka.local.cli.OptionErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The console's entry point. Deliberately not a JavaFX {@code Application}: from a shaded jar on
 * the class path, a main class that extends Application fails with "JavaFX runtime components are
 * missing" (STACK.md). It parses the options, starts or reaches the backend, then starts the
 * toolkit with {@link Platform#startup}.
 */
public final class Launcher {

  private static final String COMMAND = "kloaka-console";
  private static final Logger log = LoggerFactory.getLogger(Launcher.class);

  private Launcher() {}

  public static void main(String[] args) {
    ConsoleOptions options = new ConsoleOptions();
    CommandLine command = new CommandLine(options);
    PrintWriter err = command.getErr();
    OptionErrors optionErrors = new OptionErrors(COMMAND);
    try {
      command.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      System.exit(optionErrors.handleParseException(e, args));
      return;
    }
    if (command.isUsageHelpRequested()) {
      command.usage(command.getOut());
      return;
    }
    if (command.isVersionHelpRequested()) {
      command.printVersionHelp(command.getOut());
      return;
    }
    String envToken = System.getenv("KLOAKA_API_TOKEN");
    String problem = options.whyInvalid(envToken);
    if (problem != null) {
      System.exit(optionErrors.report(err, problem));
      return;
    }
    ConsoleSession session;
    try {
      session = options.remote() ? remote(options, envToken) : Embedded.start(options);
    } catch (RuntimeException e) {
      if (!(e instanceof StartupException)) {
        log.error("the console could not start", e); // a bug: the operator's errors need no trace
      }
      err.println(COMMAND + ": could not start: " + e.getMessage());
      err.flush();
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(session::close, "kloaka-console-shutdown"));
    keepJavaFxCacheOutOfHome();
    Platform.startup(() -> show(session, options));
  }

  /**
   * JavaFX unpacks ~117 MB of natives into {@code ~/.openjfx} unless told otherwise: a per-user
   * folder in the system's temporary directory instead (decision 024), unless the user chose one.
   */
  static void keepJavaFxCacheOutOfHome() {
    if (System.getProperty("javafx.cachedir") == null) {
      System.setProperty(
          "javafx.cachedir",
          java.nio.file.Path.of(
                  System.getProperty("java.io.tmpdir"),
                  "kloaka-openjfx-" + System.getProperty("user.name", "user"))
              .toString());
    }
  }

  private static ConsoleSession remote(ConsoleOptions options, String envToken) {
    String token = options.token() != null ? options.token() : envToken;
    Endpoints endpoints = new Endpoints(options.backend, options.ws, null, token);
    return new ConsoleSession(
        endpoints,
        Platform::runLater,
        Clock.systemDefaultZone(),
        ZoneId.systemDefault(),
        options.staleAfter,
        Duration.ofSeconds(20));
  }

  private static void show(ConsoleSession session, ConsoleOptions options) {
    ConsoleViewModel console = session.viewModel();
    ConsoleWindow.installUncaughtHandler(console);
    console.status().largeText().set(options.largeText);
    ConsoleWindow window = new ConsoleWindow(console, options.tileUrl(), 1440, 900);
    window.show(
        new Stage(),
        console,
        () -> {
          session.close();
          Platform.exit();
          // The embedded broker's threads wind down for a few more seconds after its close
          // (EmbeddedBroker#close): the window is gone and everything is stored, so do not wait.
          System.exit(0);
        });
    session.start();
  }
}
