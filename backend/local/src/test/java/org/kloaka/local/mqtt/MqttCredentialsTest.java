package org.kloaka.local.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MqttCredentialsTest {

  @TempDir Path dir;

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void matchesOnlyTheExactUsernameAndPassword() {
    MqttCredentials credentials = new MqttCredentials("sensor-gw", utf8("s3cret"));

    assertThat(credentials.matches("sensor-gw", utf8("s3cret"))).isTrue();
    assertThat(credentials.matches("sensor-gw", utf8("s3cret "))).isFalse();
    assertThat(credentials.matches("sensor-gw", utf8("s3cre"))).isFalse();
    assertThat(credentials.matches("sensor-gw", utf8(""))).isFalse();
    assertThat(credentials.matches("Sensor-gw", utf8("s3cret"))).isFalse();
    assertThat(credentials.matches(null, utf8("s3cret"))).isFalse();
    assertThat(credentials.matches("sensor-gw", null)).isFalse();
  }

  @Test
  void readsThePasswordFromTheFirstLineOfAFile() throws Exception {
    Path file = Files.writeString(dir.resolve("pw"), "s3cret\n");

    MqttCredentials credentials = MqttCredentials.fromPasswordFile("gw", file);

    assertThat(credentials.matches("gw", utf8("s3cret"))).isTrue();
    assertThat(credentials.matches("gw", utf8("s3cret\n"))).isFalse();
  }

  @Test
  void anEmptyOrMissingPasswordFileIsAnErrorNamingTheFile() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    Path missing = dir.resolve("missing");

    assertThatThrownBy(() -> MqttCredentials.fromPasswordFile("gw", empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(empty.toString())
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> MqttCredentials.fromPasswordFile("gw", missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void emptyUsernameOrPasswordIsRefused() {
    assertThatThrownBy(() -> new MqttCredentials("", utf8("x"))).hasMessageContaining("username");
    assertThatThrownBy(() -> new MqttCredentials("u", new byte[0]))
        .hasMessageContaining("password");
  }

  @Test
  void neverShowsThePassword() {
    assertThat(new MqttCredentials("gw", utf8("s3cret")).toString())
        .contains("gw")
        .doesNotContain("s3cret");
  }
}
