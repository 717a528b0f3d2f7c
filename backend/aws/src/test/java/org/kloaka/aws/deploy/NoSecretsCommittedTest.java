package org.kloaka.aws.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * No credential is committed (CONTRACT §4: the AWS token comes from the deploy, never from the
 * repository): every file git tracks is scanned for AWS access keys, private keys and long literal
 * values given to something named token, secret or password.
 */
class NoSecretsCommittedTest {

  private static final List<Pattern> SECRETS =
      List.of(
          Pattern.compile("\\b(AKIA|ASIA)[0-9A-Z]{16}\\b"),
          Pattern.compile("-----BEGIN ([A-Z]+ )?PRIVATE KEY-----"),
          Pattern.compile("(?i)aws_secret_access_key\\s*[=:]\\s*['\"]?[A-Za-z0-9/+]{40}"),
          Pattern.compile(
              "(?i)(api[_-]?token|secret|password)[\"']?\\s*[=:]\\s*[\"'][A-Za-z0-9+/_=-]{32,}[\"']"));

  @Test
  void theScannerSpotsEachKindOfSecret() {
    String key = "AKIA" + "Q3EXAMPLE7KEY4ID";
    assertThat(secretsIn(key)).isNotEmpty();
    assertThat(secretsIn("-----BEGIN RSA " + "PRIVATE KEY-----")).isNotEmpty();
    assertThat(secretsIn("api_token = \"" + "a1b2c3d4".repeat(8) + "\"")).isNotEmpty();
    assertThat(secretsIn("token from SSM: KLOAKA_API_TOKEN_PARAM")).isEmpty();
  }

  @Test
  void noTrackedFileHoldsASecret() throws Exception {
    Path root = Required.repoRoot();
    List<String> files = trackedFiles(root);
    assertThat(files).contains("serverless.yml", "pom.xml");
    List<String> found = new ArrayList<>();
    for (String name : files) {
      Path file = root.resolve(name);
      if (!Files.isRegularFile(file) || Files.size(file) > 2_000_000) {
        continue;
      }
      byte[] bytes = Files.readAllBytes(file);
      if (isBinary(bytes)) {
        continue;
      }
      for (String hit : secretsIn(new String(bytes, StandardCharsets.UTF_8))) {
        found.add(name + ": " + hit);
      }
    }
    assertThat(found).as("secret-looking strings in tracked files").isEmpty();
  }

  private static List<String> secretsIn(String text) {
    List<String> hits = new ArrayList<>();
    for (Pattern pattern : SECRETS) {
      pattern.matcher(text).results().forEach(m -> hits.add(m.group()));
    }
    return hits;
  }

  private static boolean isBinary(byte[] bytes) {
    for (int i = 0; i < Math.min(bytes.length, 8000); i++) {
      if (bytes[i] == 0) {
        return true;
      }
    }
    return false;
  }

  private static List<String> trackedFiles(Path root) throws IOException, InterruptedException {
    Path list = Files.createTempFile("kloaka-tracked", ".txt");
    try {
      Process git;
      try {
        git =
            new ProcessBuilder("git", "-C", root.toString(), "ls-files", "-z")
                .redirectOutput(list.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
      } catch (IOException e) {
        Assumptions.abort("git is not installed, so the tracked files cannot be listed");
        return List.of();
      }
      if (!git.waitFor(60, TimeUnit.SECONDS)) {
        git.destroyForcibly();
        throw new AssertionError("git ls-files did not finish in 60 s");
      }
      Assumptions.assumeTrue(
          git.exitValue() == 0, root + " is not a git checkout; nothing to scan");
      String all = Files.readString(list, StandardCharsets.UTF_8);
      return all.isEmpty() ? List.of() : List.of(all.split("\u0000"));
    } finally {
      Files.deleteIfExists(list);
    }
  }
}
