package org.kloaka.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.local.LocalConfig;
import org.kloaka.local.LocalRuntime;
import org.kloaka.local.PushClient;
import org.kloaka.local.operators.OperatorsOverSocketsTest;
import picocli.CommandLine;

/**
 * {@code kloaka operators add|list|remove} on a data folder, without the REST API; a token it
 * prints works on the runtime's REST API.
 */
class OperatorsCommandTest {

  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command =
        Main.commandLine(new Main(config -> null, runtime -> {}))
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err));
    int code = command.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void addPrintsTheTokenOnceListShowsNoTokenAndRemoveRevokesIt() throws Exception {
    String data = dir.resolve("data").toString();
    Run added = run("operators", "add", "maria", "--role", "operator", "--data", data);
    assertThat(added.code()).as(added.err()).isZero();
    String[] lines = added.out().strip().split("\n");
    assertThat(lines[0]).contains("maria").contains("operator").contains("shown only now");
    String token = lines[1].strip();
    assertThat(token).hasSize(43); // 256 bits, base64url

    Run list = run("operators", "list", "--data", data);
    assertThat(list.code()).isZero();
    assertThat(list.out()).startsWith("maria\toperator\t").doesNotContain(token);

    try (LocalRuntime runtime =
        LocalRuntime.start(
            LocalConfig.defaults()
                .withDataDir(dir.resolve("data"))
                .withPorts(0, 0, 0)
                .withEnv(Map.of())
                .withoutMqtt())) {
      assertThat(OperatorsOverSocketsTest.call(runtime, "GET", "/me", null, token).body())
          .contains("\"name\":\"maria\"");
      PushClient console = PushClient.connect(runtime.wsUri(), token);
      PushClient admin = PushClient.connect(runtime.wsUri(), runtime.token());
      try {
        // Removed from another process while the runtime runs: the next call is refused, and
        // the runtime notices within its check interval and cuts her console (not the admin's).
        assertThat(run("operators", "remove", "maria", "--data", data).code()).isZero();
        assertThat(OperatorsOverSocketsTest.call(runtime, "GET", "/me", null, token).statusCode())
            .isEqualTo(401);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(console.closed::isDone);
        assertThat(console.closeCode).isEqualTo(1008);
        assertThat(console.closed.get()).isEqualTo("this operator was removed");
        assertThat(admin.isOpen()).as("the install token's console stays").isTrue();
      } finally {
        console.closeBlocking();
        admin.closeBlocking();
      }
    }
    Run again = run("operators", "remove", "maria", "--data", data);
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("no operator 'maria'");
  }

  @Test
  void badNamesUnknownRolesAndTakenNamesAreRefused() {
    String data = dir.resolve("data").toString();
    assertThat(run("operators", "add", "maria rossi", "--role", "viewer", "--data", data).code())
        .isEqualTo(2);
    assertThat(run("operators", "add", "m".repeat(65), "--role", "viewer", "--data", data).code())
        .isEqualTo(2);
    Run chief = run("operators", "add", "ivo", "--role", "chief", "--data", data);
    assertThat(chief.code()).isEqualTo(2);
    assertThat(chief.err()).contains("no role 'chief'");
    assertThat(run("operators", "add", "ivo", "--data", data).code()).as("no role").isEqualTo(2);
    assertThat(run("operators", "add", "ivo", "--role", "viewer", "--data", data).code()).isZero();
    Run taken = run("operators", "add", "ivo", "--role", "admin", "--data", data);
    assertThat(taken.code()).isEqualTo(1);
    assertThat(taken.err()).contains("taken");
    assertThat(run("operators", "list", "--data", data).out()).contains("ivo\tviewer");
  }
}
