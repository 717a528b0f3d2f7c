package org.kloaka.aws.runtime;

import com.amazonaws.services.lambda.runtime.api.client.AWSLambda;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One Lambda execution environment: a child JVM running AWS's runtime interface client ({@code
 * AWSLambda}, the handler string as its argument) in a task folder holding the jar, with the
 * environment Lambda gives a function, talking to its own {@link RuntimeApi}. Started once and
 * reused for every invocation, as Lambda reuses a warm environment.
 */
final class ExecutionEnvironment implements AutoCloseable {

  static final String REGION = "us-east-1";
  private static final String JNI_PROPERTY =
      "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

  private final ServerlessFunctions.Function function;
  private final RuntimeApi api;
  private final Process process;
  private final Path log;

  private ExecutionEnvironment(
      ServerlessFunctions.Function function, RuntimeApi api, Process process, Path log) {
    this.function = function;
    this.api = api;
    this.process = process;
    this.log = log;
    process
        .onExit()
        .thenAccept(p -> api.fail(function.name() + " exited with " + p.exitValue() + logTail()));
  }

  /**
   * Starts the environment; it initialises in the background ({@link #awaitSnapshot}).
   *
   * @param endpoints the SDK's endpoint variables ({@code AWS_ENDPOINT_URL}, …) for this function,
   *     given its runtime API before the JVM starts
   */
  static ExecutionEnvironment start(
      ServerlessFunctions.Function function,
      Path taskRoot,
      Path work,
      RuntimeClient client,
      java.util.function.Function<RuntimeApi, Map<String, String>> endpoints)
      throws IOException {
    String qualifiedName = "kloaka-test-" + function.name();
    RuntimeApi api =
        new RuntimeApi(
            "arn:aws:lambda:" + REGION + ":123456789012:function:" + qualifiedName + ":1", 30);
    Path home = Files.createDirectories(work.resolve(function.name() + "-home"));
    Path log = work.resolve(function.name() + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Lambda's Java runtimes start the JVM with these: quick start, small heap overhead.
    command.add("-XX:+TieredCompilation");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    command.add("-Xmx" + Math.max(128, function.memoryMb() * 85 / 100) + "m");
    // No ~/.aws of this machine: a Lambda environment has none.
    command.add("-Duser.home=" + home);
    command.add("-Djava.io.tmpdir=" + Files.createDirectories(home.resolve("tmp")));
    // The client unpacks its native Runtime API client to one fixed /tmp path; environments
    // starting at once would overwrite each other's copy, so they share one unpacked beforehand.
    command.add("-D" + JNI_PROPERTY + "=" + client.nativeLibrary());
    command.add("-cp");
    command.add(client.classPath());
    command.add(AWSLambda.class.getName());
    command.add(function.handler());

    Map<String, String> env = new HashMap<>(function.environment());
    env.put("AWS_LAMBDA_RUNTIME_API", api.address());
    env.put("_HANDLER", function.handler());
    env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
    env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
    env.put("AWS_REGION", REGION);
    env.put("AWS_DEFAULT_REGION", REGION);
    env.put("AWS_LAMBDA_FUNCTION_NAME", qualifiedName);
    env.put("AWS_LAMBDA_FUNCTION_VERSION", "1");
    env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()));
    env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + qualifiedName);
    env.put("AWS_LAMBDA_LOG_STREAM_NAME", "test/[1]" + function.name());
    env.put("TZ", ":UTC");
    env.put("LANG", "en_US.UTF-8");
    env.put("PATH", "/usr/local/bin:/usr/bin/:/bin");
    if (function.snapStart()) {
      // SnapStart functions get no access keys in their environment, only container credentials.
      env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
      env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", api.credentialsUri().toString());
      env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", RuntimeApi.CREDENTIALS_TOKEN);
    } else {
      env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
      env.put("AWS_ACCESS_KEY_ID", "testing");
      env.put("AWS_SECRET_ACCESS_KEY", "testing");
      env.put("AWS_SESSION_TOKEN", "testing");
    }
    env.putAll(endpoints.apply(api));

    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(taskRoot.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    return new ExecutionEnvironment(function, api, builder.start(), log);
  }

  String name() {
    return function.name();
  }

  RuntimeApi api() {
    return api;
  }

  /**
   * Waits until the handler is loaded and constructed and the runtime asks to be snapshotted (or,
   * without SnapStart, for its first event).
   *
   * @throws AssertionError with the runtime's own report and the log's end when it fails to start
   */
  void awaitSnapshot(Duration limit) {
    try {
      api.ready().get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError(
          function.name() + " did not initialise: " + e.getCause().getMessage());
    } catch (TimeoutException e) {
      throw new AssertionError(function.name() + " did not initialise within " + limit + logTail());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * One invocation, as Lambda makes it.
   *
   * @return the response body
   * @throws AssertionError when the runtime reported an error, or the environment died
   */
  String invoke(String payload) {
    RuntimeApi.Outcome outcome = outcome(payload);
    if (outcome.failed()) {
      throw new AssertionError(
          function.name() + " answered an error " + outcome.errorType() + ": " + outcome.body());
    }
    return outcome.body();
  }

  /** One invocation, with whatever it ended in. */
  RuntimeApi.Outcome outcome(String payload) {
    try {
      return api.invoke(payload).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError(e.getCause().getMessage());
    } catch (TimeoutException e) {
      throw new AssertionError(function.name() + " did not answer within 30 s" + logTail());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** How long it took to initialise and how much CPU its JVM has used, for the test's report. */
  String figures() {
    long cpu = process.info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(-1L);
    long ready = api.initMillis();
    return function.name()
        + (ready < 0 ? ": never ready" : ": ready after " + ready + " ms")
        + (cpu < 0 ? "" : ", " + cpu + " ms CPU");
  }

  String logTail() {
    try {
      String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
      return "\n--- " + log + " (end) ---\n" + text.substring(Math.max(0, text.length() - 3000));
    } catch (IOException e) {
      return "\n(log " + log + " unreadable: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    api.close();
  }

  /** AWS's runtime interface client as Lambda's Java runtime has it: its jars and native client. */
  record RuntimeClient(String classPath, Path nativeLibrary) {

    /**
     * The client's jars from this test's class path (the client, aws-lambda-java-core, the
     * runtime's serialization library, the SDK's utils-lite) and its native library for this
     * machine, unpacked once into {@code work}.
     */
    static RuntimeClient prepare(Path work) throws IOException {
      List<String> jars = new ArrayList<>();
      for (String type :
          List.of(
              "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
              "com.amazonaws.services.lambda.runtime.Context",
              "com.amazonaws.services.lambda.runtime.serialization.PojoSerializer",
              "software.amazon.awssdk.utilslite.SdkInternalThreadLocal")) {
        jars.add(jarOf(type).toString());
      }
      String arch = System.getProperty("os.arch");
      String name =
          arch.equals("aarch64") || arch.equals("arm64")
              ? "libaws-lambda-jni.linux-aarch_64.so"
              : "libaws-lambda-jni.linux-x86_64.so";
      Path library = work.resolve(name);
      try (var in = AWSLambda.class.getResourceAsStream("/jni/" + name)) {
        if (in == null) {
          throw new IllegalStateException("the runtime interface client has no /jni/" + name);
        }
        Files.copy(in, library, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      return new RuntimeClient(String.join(java.io.File.pathSeparator, jars), library);
    }

    private static Path jarOf(String type) {
      try {
        return Path.of(
            Class.forName(type).getProtectionDomain().getCodeSource().getLocation().toURI());
      } catch (ClassNotFoundException | URISyntaxException e) {
        throw new IllegalStateException("the runtime interface client needs " + type, e);
      }
    }
  }
}
