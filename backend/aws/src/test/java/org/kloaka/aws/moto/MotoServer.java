package org.kloaka.aws.moto;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * A {@code moto_server} process on a free loopback port, started once per test JVM (a Surefire fork
 * runs many test classes, each of which JUnit gives a root store of its own, so the store would
 * start one server per class) and stopped when that JVM exits. Each fork has its own server on its
 * own port. Tests reset it ({@link #reset}) instead of restarting (docs/decisions/014).
 *
 * <p>moto is not in Debian's packages, so a developer's machine may lack it: then the tests that
 * need it are skipped with a message — unless {@code KLOAKA_CI=1} (set by .ci/run), where a missing
 * moto_server fails them.
 */
public final class MotoServer implements AutoCloseable {

  public static final Region REGION = Region.US_EAST_1;
  static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

  private final Process process;
  private final URI endpoint;
  private final HttpClient http = HttpClient.newHttpClient();

  private MotoServer(Process process, URI endpoint) {
    this.process = process;
    this.endpoint = endpoint;
  }

  // This JVM's server; a new one only if the last one died.
  private static MotoServer shared;

  /**
   * This JVM's server, started on first use; skips (or, in CI, fails) when moto is missing. The
   * context is the caller's: the server outlives it.
   */
  public static synchronized MotoServer get(ExtensionContext context) {
    if (shared == null || !shared.process.isAlive()) {
      MotoServer started = start();
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "moto-server-stop"));
      shared = started;
    }
    return shared;
  }

  private static MotoServer start() {
    Path executable = onPath("moto_server");
    if (executable == null) {
      String message =
          "moto_server is not on the PATH, so the AWS integration tests cannot run"
              + " (it comes with Python's moto[server]; see README, 'AWS')";
      if ("1".equals(System.getenv("KLOAKA_CI"))) {
        throw new IllegalStateException(message + "; CI requires it (KLOAKA_CI=1)");
      }
      Assumptions.abort(message);
    }
    try {
      int port = freePort();
      Path log = Files.createTempFile("moto-server", ".log");
      Process process =
          new ProcessBuilder(executable.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      MotoServer server = new MotoServer(process, URI.create("http://127.0.0.1:" + port));
      await("moto_server answering on port " + port + " (log: " + log + ")")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptions()
          .until(server::answers);
      return server;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start moto_server", e);
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  /** Forgets every table, item, stream and parameter. */
  public void reset() {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(endpoint.resolve("/moto-api/reset"))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("moto reset answered " + response.statusCode());
      }
    } catch (IOException e) {
      throw new IllegalStateException("moto reset failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A client on moto; interceptors let a test act between a request and the next one. */
  public DynamoDbClient dynamoDb(ExecutionInterceptor... interceptors) {
    return DynamoDbClient.builder()
        .overrideConfiguration(c -> c.executionInterceptors(java.util.List.of(interceptors)))
        .endpointOverride(endpoint)
        .region(REGION)
        .credentialsProvider(CREDENTIALS)
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  public SsmClient ssm() {
    return SsmClient.builder()
        .endpointOverride(endpoint)
        .region(REGION)
        .credentialsProvider(CREDENTIALS)
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  public software.amazon.awssdk.services.sns.SnsClient sns() {
    return software.amazon.awssdk.services.sns.SnsClient.builder()
        .endpointOverride(endpoint)
        .region(REGION)
        .credentialsProvider(CREDENTIALS)
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  public software.amazon.awssdk.services.sqs.SqsClient sqs() {
    return software.amazon.awssdk.services.sqs.SqsClient.builder()
        .endpointOverride(endpoint)
        .region(REGION)
        .credentialsProvider(CREDENTIALS)
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  HttpClient http() {
    return http;
  }

  private boolean answers() throws IOException, InterruptedException {
    if (!process.isAlive()) {
      throw new IllegalStateException("moto_server exited with " + process.exitValue());
    }
    HttpResponse<Void> response =
        http.send(
            HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).GET().build(),
            HttpResponse.BodyHandlers.discarding());
    return response.statusCode() < 500;
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private static Path onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
