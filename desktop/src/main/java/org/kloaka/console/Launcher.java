package org.kloaka.console;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.kloaka.console.viewmodel.ConsoleViewModel;
import org.kloaka.local.LocalConfig;
import org.kloaka.local.StartupException;
import org.kloaka.local.cli.OptionErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The console's entry point. Deliberately not a JavaFX {@code Application}: from a shaded jar on
 * the class path, a main class that extends Application fails with "JavaFX runtime components are
 * missing" (STACK.md). It parses the options, then starts the toolkit with {@link Platform#startup}
 * while another thread starts or reaches the backend ({@link StartupWindow}).
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
    keepJavaFxCacheOutOfHome();
    // The backend is reached (or the embedded runtime started, seconds) while the toolkit starts
    // and the window says so: something on screen at once (decision 029).
    CompletableFuture<ConsoleSession> session = new CompletableFuture<>();
    Thread opener =
        new Thread(
            () -> {
              try {
                session.complete(
                    options.remote() ? remote(options, envToken) : Embedded.start(options));
              } catch (RuntimeException | Error e) {
                session.completeExceptionally(e); // said in the window and on stderr, not lost
              }
            },
            "kloaka-console-start");
    opener.start();
    session.whenComplete(
        (opened, e) -> {
          if (e != null) {
            if (!(e instanceof StartupException)) {
              log.error("the console could not start", e); // a bug: operator errors need no trace
            }
            err.println(COMMAND + ": could not start: " + e.getMessage());
            err.flush();
            System.exit(1);
          }
        });
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> closeWithin(session), "kloaka-console-shutdown"));
    try {
      Platform.startup(() -> show(session, options));
    } catch (RuntimeException | Error e) {
      // No display (or no toolkit for it): one line, and an exit, not a stack trace and a hang.
      toolkitFailed = true;
      err.println(
          COMMAND
              + ": cannot open a window: "
              + e.getMessage()
              + " (is DISPLAY set? the runtime runs without one: ./kloaka --headless)");
      err.flush();
      System.exit(1);
    }
  }

  /**
   * Closes the session at exit, a session still opening (an embedded runtime starting) once it is
   * open, waiting at most {@link #CLOSE_WAIT} for each: a close that waits for a toolkit that never
   * started must not keep a stopped console alive (SIGTERM must end it).
   */
  private static void closeWithin(CompletableFuture<ConsoleSession> session) {
    Thread closer =
        new Thread(
            () -> {
              try {
                session.get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS).close();
              } catch (ExecutionException e) {
                // it never opened: nothing to close (the failure was said when it happened)
              } catch (TimeoutException e) {
                log.warn(
                    "the console's backend was still opening after {}; not closed", CLOSE_WAIT);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "kloaka-console-close");
    closer.setDaemon(true);
    closer.start();
    try {
      closer.join(CLOSE_WAIT.multipliedBy(2).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  /** Set when the toolkit could not start: work for the FX thread is dropped from then on. */
  private static volatile boolean toolkitFailed;

  /**
   * The sessions' FX-thread executor. {@code Platform.runLater} waits for a toolkit whose start
   * failed, forever: a session closing at exit must not hang on it.
   */
  static void onFxThread(Runnable work) {
    if (!toolkitFailed) {
      Platform.runLater(work);
    }
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
        Launcher::onFxThread,
        Clock.systemDefaultZone(),
        ZoneId.systemDefault(),
        options.staleAfter,
        Duration.ofSeconds(20));
  }

  /** What the window says until the console is ready. */
  static String waiting(ConsoleOptions options) {
    if (options.remote()) {
      return "Connecting to " + options.backend + " …";
    }
    if (options.demo) {
      return "Starting the demo: the local runtime and its simulated devices…";
    }
    return "Starting the local runtime (data: "
        + (options.data != null ? options.data : LocalConfig.defaults().dataDir())
        + ")…";
  }

  private static void show(CompletableFuture<ConsoleSession> session, ConsoleOptions options) {
    StartupWindow.show(
        new Stage(),
        waiting(options),
        1440,
        900,
        session,
        opened -> {
          ConsoleViewModel console = opened.viewModel();
          ConsoleWindow.installUncaughtHandler(console);
          console.status().largeText().set(options.largeText);
          return new ConsoleWindow(console, options.tileUrl(), 1440, 900);
        },
        () -> {
          session.join().close();
          Platform.exit();
          // The embedded broker's threads wind down for a few more seconds after its close
          // (EmbeddedBroker#close): the window is gone and everything is stored, so do not wait.
          System.exit(0);
        });
  }
}
