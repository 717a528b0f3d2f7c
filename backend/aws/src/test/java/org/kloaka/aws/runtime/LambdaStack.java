package org.kloaka.aws.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
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

  /**
   * The class a planted environment lacks: the SDK's HTTP client, as when a shade filter drops a
   * dependency. Every function that builds an AWS client needs it during initialisation.
   */
  static final String REMOVED_CLASS =
      "software/amazon/awssdk/http/urlconnection/UrlConnectionHttpClient.class";

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
    List<String> steps = new ArrayList<>();
    MotoServer moto = MotoServer.get(context);
    steps.add("moto " + millisSince(started));
    moto.reset();
    aws = new MotoAws(moto);
    aws.putToken(TOKEN_AT_SNAPSHOT);
    consoles = new PushRecorder();
    ssm = new SsmTap(moto.endpoint());

    Path work = Path.of("target", "lambda-runtime").toAbsolutePath();
    deleteTree(work);
    Files.createDirectories(work);
    ExecutionEnvironment.RuntimeClient client = ExecutionEnvironment.RuntimeClient.prepare(work);
    Path task = taskWith(work.resolve("task"), jar);
    steps.add("prepared " + millisSince(started));
    declared = template.functions(Map.of("WS_ENDPOINT", consoles.endpoint().toString()));
    for (ServerlessFunctions.Function function : declared) {
      functions.put(function.name(), start(function, task, work, client, moto));
    }
    startPlanted(task, work, client, moto);
    steps.add("JVMs started " + millisSince(started));

    for (ExecutionEnvironment environment : functions.values()) {
      awaitSnapshot(environment);
    }
    steps.add("snapshots " + millisSince(started));
    aws.putToken(TOKEN);
    functions.values().forEach(e -> e.api().restore());
    startMillis = millisSince(started);
    System.out.printf(
        "PackagedLambdaIT: %d functions and %d planted environments started from %s, snapshotted"
            + " and restored in %d ms (ms since the start: %s)%n",
        functions.size(), planted.size(), jar.getFileName(), startMillis, steps);
  }

  /**
   * The planted mistakes: a handler string naming a class that does not exist, a jar without a
   * class a handler needs, and a handler that reads the token while it initialises.
   */
  private void startPlanted(
      Path task, Path work, ExecutionEnvironment.RuntimeClient client, MotoServer moto)
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
            task,
            work,
            client,
            moto));
    Path secretTask = taskWith(work.resolve("task-with-planted-class"), jar);
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
    // Last: writing the jar without the class takes a few seconds, while the others start.
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
            taskWith(
                work.resolve("task-without-class"),
                copyWithout(jar, work.resolve("kloaka-lambda-without-class.jar"), REMOVED_CLASS)),
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

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
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
    if (!all.isEmpty()) {
      System.out.println(
          "PackagedLambdaIT environments: "
              + String.join("; ", all.stream().map(ExecutionEnvironment::figures).toList()));
    }
    all.parallelStream().forEach(ExecutionEnvironment::close);
    if (consoles != null) {
      consoles.close();
    }
    if (ssm != null) {
      ssm.close();
    }
  }

  /**
   * A task folder as Lambda lays out a deployment package: the jar in {@code lib/}, from where the
   * runtime's class loader reads it (a hard link: nothing is copied).
   */
  private static Path taskWith(Path task, Path jar) throws IOException {
    Path lib = Files.createDirectories(task.resolve("lib"));
    try {
      Files.createLink(lib.resolve(jar.getFileName()), jar);
    } catch (IOException | UnsupportedOperationException notOneFileSystem) {
      Files.copy(jar, lib.resolve(jar.getFileName()));
    }
    return task;
  }

  /** A copy of the jar without one entry (stored, not recompressed: quick). */
  private static Path copyWithout(Path jar, Path copy, String omit) throws IOException {
    boolean found = false;
    try (ZipFile in = new ZipFile(jar.toFile());
        ZipOutputStream out =
            new ZipOutputStream(
                new java.io.BufferedOutputStream(Files.newOutputStream(copy), 1 << 16))) {
      for (ZipEntry entry : java.util.Collections.list(in.entries())) {
        if (entry.getName().equals(omit)) {
          found = true;
          continue;
        }
        ZipEntry stored = new ZipEntry(entry.getName());
        stored.setMethod(ZipEntry.STORED);
        stored.setSize(entry.getSize());
        stored.setCompressedSize(entry.getSize());
        stored.setCrc(entry.getCrc());
        out.putNextEntry(stored);
        try (InputStream data = in.getInputStream(entry)) {
          data.transferTo(out);
        }
        out.closeEntry();
      }
    }
    if (!found) {
      throw new IllegalStateException(omit + " is not in " + jar + ", so it cannot be left out");
    }
    return copy;
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
