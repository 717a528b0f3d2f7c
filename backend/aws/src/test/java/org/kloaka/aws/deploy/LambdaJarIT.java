package org.kloaka.aws.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The one jar every Lambda runs: small, complete, and free of the local runtime. */
class LambdaJarIT {

  static final List<String> HANDLERS =
      List.of(
          "org.kloaka.aws.handler.OrganizerHandler",
          "org.kloaka.aws.handler.DeviceStreamHandler",
          "org.kloaka.aws.handler.NotifierHandler",
          "org.kloaka.aws.handler.RestHandler",
          "org.kloaka.aws.handler.WsConnectHandler",
          "org.kloaka.aws.handler.WsDisconnectHandler",
          "org.kloaka.aws.handler.WsDefaultHandler",
          "org.kloaka.aws.handler.SilenceSweepHandler",
          "org.kloaka.aws.handler.DeliverNotificationsHandler");

  private static final List<String> FORBIDDEN =
      List.of(
          "org/kloaka/local/",
          "org/kloaka/console/",
          "io/moquette/",
          "com/hivemq/",
          "org/sqlite/",
          "org/java_websocket/",
          "javafx/",
          "com/sun/javafx/",
          "picocli/",
          "io/netty/",
          "org/apache/http/",
          "org/apache/hc/",
          "software/amazon/awssdk/http/apache",
          "software/amazon/awssdk/http/nio/netty/");

  private final Path jar =
      Path.of(System.getProperty("kloaka.lambdaJar", "target/kloaka-lambda.jar"));

  @Test
  void isUnderFifteenMegabytes() throws IOException {
    assertThat(jar).exists();
    assertThat(Files.size(jar)).as("size of %s", jar).isLessThan(15L * 1024 * 1024);
  }

  @Test
  void holdsNothingOfTheLocalRuntimeTheConsoleOrOtherHttpClients() throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      List<String> names = file.stream().map(e -> e.getName()).toList();
      assertThat(names).anyMatch(n -> n.startsWith("org/kloaka/core/"));
      for (String prefix : FORBIDDEN) {
        assertThat(names).as("entries under %s", prefix).noneMatch(n -> n.startsWith(prefix));
      }
    }
  }

  /** Loaded from the jar alone (no test class path), so a dependency left out shows up here. */
  @Test
  void everyHandlerLoadsFromTheJarAlone() throws Exception {
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      for (String handler : HANDLERS) {
        Class<?> type = Class.forName(handler, true, loader);
        assertThat(type.getConstructor())
            .as(handler + " has the runtime's no-arg constructor")
            .isNotNull();
        assertThat(type.getMethods())
            .as(handler)
            .anyMatch(m -> m.getName().equals("handleRequest"));
      }
      Class.forName(
          "software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient", true, loader);
      Class.forName("org.slf4j.simple.SimpleServiceProvider", true, loader);
    }
  }
}
