package org.kloaka.aws.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.kloaka.aws.deploy.Required;
import org.kloaka.aws.moto.MotoAws;
import org.kloaka.aws.moto.MotoServer;
import org.kloaka.aws.moto.PushRecorder;
import org.kloaka.aws.runtime.planted.TokenAtInitHandler;

/**
 * Every function of serverless.yml running from the packaged jar, each in its own execution
 * environment ({@link ExecutionEnvironment}), all started at once and kept for the whole test
 * class; plus three planted mistakes started beside them. Moto holds the tables and the token,
 * {@link SsmTap} watches the token reads, {@link PushRecorder} stands in for the WebSocket API's
 * management endpoint.
 *
 * <p>Start-up follows SnapStart: the token holds {@link #TOKEN_AT_SNAPSHOT} while the functions
 * initialise; each one's snapshot is checked for secrets read; then the token is rotated to {@link
 * #TOKEN} and the functions are restored.
 */
final class LambdaStack implements BeforeAllCallback, AfterAllCallback {

  static final String TOKEN_AT_SNAPSHOT = "token-before-the-snapshot";
  static final String TOKEN = "token-rotated-before-the-restore";

  /** The class a planted environment lacks: the $connect function's gate. */
  static final String REMOVED_CLASS = "org/kloaka/aws/ws/ConnectGate.class";

  static final Duration START_LIMIT = Duration.ofSeconds(90);

  private final Map<String, ExecutionEnvironment> functions = new LinkedHashMap<>();
  private final Map<String, ExecutionEnvironment> planted = new LinkedHashMap<>();
  private List<ServerlessFunctions.Function> declared;
  private MotoAws aws;
  private PushRecorder consoles;
  private SsmTap ssm;
  private Path jar;
  private long startMillis;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    long started = System.nanoTime();
    Path root = Required.repoRoot();
    ServerlessFunctions template =
        ServerlessFunctions.read(
            Required.file(root.resolve("serverless.yml"), "the template under test"),
            "test",
            ExecutionEnvironment.REGION);
    jar =
        Required.file(
            root.resolve(template.artifact()).normalize(),
            "serverless.yml's package.artifact, built by `mvn package`");
    MotoServer moto = MotoServer.get(context);
    moto.reset();
    aws = new MotoAws(moto);
    aws.putToken(TOKEN_AT_SNAPSHOT);
    consoles = new PushRecorder();
    ssm = new SsmTap(moto.endpoint());

    Path work = Path.of("target", "lambda-runtime").toAbsolutePath();
    deleteTree(work);
    Files.createDirectories(work);
    ExecutionEnvironment.RuntimeClient client = ExecutionEnvironment.RuntimeClient.prepare(work);
    Path task = unpack(jar, work.resolve("task"), Set.of());
    declared = template.functions(Map.of("WS_ENDPOINT", consoles.endpoint().toString()));
    for (ServerlessFunctions.Function function : declared) {
      functions.put(function.name(), start(function, task, work, client, moto));
    }
    startPlanted(work, client, moto);

    for (ExecutionEnvironment environment : functions.values()) {
      awaitSnapshot(environment);
    }
    aws.putToken(TOKEN);
    functions.values().forEach(e -> e.api().restore());
    startMillis = (System.nanoTime() - started) / 1_000_000;
    System.out.printf(
        "PackagedLambdaIT: %d functions and %d planted environments started from %s, snapshotted"
            + " and restored in %d ms%n",
        functions.size(), planted.size(), jar.getFileName(), startMillis);
  }

  /**
   * The planted mistakes: a handler string naming a class that does not exist, a jar without a
   * class a handler needs, and a handler that reads the token while it initialises.
   */
  private void startPlanted(Path work, ExecutionEnvironment.RuntimeClient client, MotoServer moto)
      throws IOException {
    ServerlessFunctions.Function wsDefault = declared("wsDefault");
    planted.put(
        "missing-handler",
        start(
            new ServerlessFunctions.Function(
                "planted-missing-handler",
                "org.kloaka.aws.handler.NoSuchHandler::handleRequest",
                wsDefault.environment(),
                wsDefault.memoryMb(),
                true),
            work.resolve("task"),
            work,
            client,
            moto));
    ServerlessFunctions.Function wsConnect = declared("wsConnect");
    planted.put(
        "missing-class",
        start(
            new ServerlessFunctions.Function(
                "planted-missing-class",
                wsConnect.handler(),
                wsConnect.environment(),
                wsConnect.memoryMb(),
                true),
            unpack(jar, work.resolve("task-without-class"), Set.of(REMOVED_CLASS)),
            work,
            client,
            moto));
    // Lambda also loads jars from the task's lib/: the packaged jar goes there unchanged, the
    // planted class beside it.
    Path secretTask = Files.createDirectories(work.resolve("task-with-planted-class"));
    Files.createDirectories(secretTask.resolve("lib"));
    Files.copy(jar, secretTask.resolve("lib").resolve(jar.getFileName()));
    String plantedClass = TokenAtInitHandler.class.getName().replace('.', '/') + ".class";
    Path target = secretTask.resolve(plantedClass);
    Files.createDirectories(target.getParent());
    Files.copy(testClasses().resolve(plantedClass), target);
    ServerlessFunctions.Function rest = declared("rest");
    planted.put(
        "secret-at-init",
        start(
            new ServerlessFunctions.Function(
                "planted-secret-at-init",
                TokenAtInitHandler.class.getName(),
                rest.environment(),
                rest.memoryMb(),
                true),
            secretTask,
            work,
            client,
            moto));
  }

  private ExecutionEnvironment start(
      ServerlessFunctions.Function function,
      Path task,
      Path work,
      ExecutionEnvironment.RuntimeClient client,
      MotoServer moto)
      throws IOException {
    return ExecutionEnvironment.start(
        function,
        task,
        work,
        client,
        api ->
            Map.of(
                "AWS_ENDPOINT_URL", moto.endpoint().toString(),
                "AWS_ENDPOINT_URL_SSM", ssm.endpointFor(function.name(), api).toString()));
  }

  /**
   * Waits for an environment's snapshot and checks what went into it.
   *
   * @throws AssertionError when it did not initialise, or read SSM while initialising
   */
  void awaitSnapshot(ExecutionEnvironment environment) {
    environment.awaitSnapshot(START_LIMIT);
    List<SsmTap.Read> reads = ssm.readsBeforeSnapshot(environment.name());
    if (!reads.isEmpty()) {
      throw new AssertionError(
          environment.name()
              + " read SSM during initialisation; SnapStart would freeze the value into the"
              + " snapshot and every restored copy would keep it after a rotation: "
              + reads);
    }
  }

  ExecutionEnvironment function(String name) {
    ExecutionEnvironment environment = functions.get(name);
    if (environment == null) {
      throw new AssertionError(
          "serverless.yml has no function " + name + ": " + functions.keySet());
    }
    return environment;
  }

  Map<String, ExecutionEnvironment> functions() {
    return functions;
  }

  ExecutionEnvironment planted(String name) {
    return planted.get(name);
  }

  List<ServerlessFunctions.Function> declared() {
    return declared;
  }

  private ServerlessFunctions.Function declared(String name) {
    return declared.stream()
        .filter(f -> f.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("serverless.yml has no function " + name));
  }

  MotoAws aws() {
    return aws;
  }

  PushRecorder consoles() {
    return consoles;
  }

  SsmTap ssm() {
    return ssm;
  }

  Path jar() {
    return jar;
  }

  long startMillis() {
    return startMillis;
  }

  @Override
  public void afterAll(ExtensionContext context) {
    List<ExecutionEnvironment> all = new ArrayList<>(functions.values());
    all.addAll(planted.values());
    all.parallelStream().forEach(ExecutionEnvironment::close);
    if (consoles != null) {
      consoles.close();
    }
    if (ssm != null) {
      ssm.close();
    }
  }

  /** The jar unpacked as Lambda unpacks it into the task folder, leaving out {@code omit}. */
  private static Path unpack(Path jar, Path into, Set<String> omit) throws IOException {
    Files.createDirectories(into);
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(jar))) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        Path target = into.resolve(entry.getName()).normalize();
        if (!target.startsWith(into)) {
          throw new IOException("entry outside the task folder: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else if (!omit.contains(entry.getName())) {
          Files.createDirectories(target.getParent());
          Files.copy(zip, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    for (String name : omit) {
      if (Files.exists(into.resolve(name))) {
        throw new IllegalStateException(name + " is still in " + into);
      }
    }
    return into;
  }

  private static Path testClasses() {
    try {
      return Path.of(
          TokenAtInitHandler.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
