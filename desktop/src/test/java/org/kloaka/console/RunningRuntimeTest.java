package org.kloaka.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.local.LocalConfig;
import org.kloaka.local.LocalRuntime;
import org.kloaka.local.StartupException;
import org.kloaka.local.auth.ApiToken;

/**
 * The console's embedded mode when its ports are taken: by a Kloaka runtime (connect to it), or by
 * anything else (one line saying so). Real runtimes on real sockets.
 */
class RunningRuntimeTest {

  @TempDir Path dir;

  LocalConfig config(Path data) {
    return LocalConfig.defaults().withDataDir(data).withPorts(0, 0, 0).withEnv(Map.of());
  }

  static LocalConfig onPortsOf(LocalConfig config, LocalRuntime runtime) {
    return config.withPorts(
        runtime.mqttUri().getPort(), runtime.httpUri().getPort(), runtime.wsUri().getPort());
  }

  @Test
  void aConsoleStartedWhileAKloakaRuntimeHoldsThePortsConnectsToIt() throws Exception {
    LocalConfig headless = config(dir.resolve("data"));
    try (LocalRuntime runtime = LocalRuntime.start(headless)) {
      ConsoleSession session =
          Embedded.start(onPortsOf(headless, runtime), false, Runnable::run, Duration.ofHours(1));
      try {
        session.start();
        await().atMost(20, TimeUnit.SECONDS).until(() -> session.viewModel().status().live().get());
        assertThat(session.viewModel().backend().address().getPort())
            .isEqualTo(runtime.httpUri().getPort());
        assertThat(session.viewModel().status().emptyHint().get())
            .contains(":" + runtime.mqttUri().getPort());
      } finally {
        session.close();
      }
      assertThat(RunningRuntime.answersAsKloaka(runtime.httpUri()))
          .as("closing the console leaves the runtime it did not start running")
          .isTrue();
    }
  }

  @Test
  void aKloakaRuntimeWhoseTokenCannotBeFoundIsOneLineNamingTheOptions() throws Exception {
    LocalConfig headless = config(dir.resolve("data"));
    try (LocalRuntime runtime = LocalRuntime.start(headless)) {
      LocalConfig elsewhere = onPortsOf(headless, runtime).withDataDir(dir.resolve("other"));
      assertThatThrownBy(() -> Embedded.start(elsewhere, false, Runnable::run, Duration.ofHours(1)))
          .isInstanceOf(StartupException.class)
          .hasMessageContaining("already runs on " + runtime.httpUri())
          .hasMessageContaining("--backend " + runtime.httpUri())
          .hasMessageContaining(dir.resolve("other").resolve(ApiToken.FILE_NAME).toString())
          .hasNoCause()
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
  }

  @Test
  void somethingElseOnThePortIsTheRuntimesOneLinePortInUse() throws Exception {
    try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      LocalConfig config = config(dir.resolve("data")).withPorts(0, other.getLocalPort(), 0);
      assertThatThrownBy(() -> Embedded.start(config, false, Runnable::run, Duration.ofHours(1)))
          .isInstanceOf(StartupException.class)
          .hasMessageContaining("in use")
          .hasMessageContaining(Integer.toString(other.getLocalPort()))
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
      assertThat(Files.exists(dir.resolve("data").resolve(ApiToken.FILE_NAME)))
          .as("nothing was started")
          .isFalse();
    }
  }
}
