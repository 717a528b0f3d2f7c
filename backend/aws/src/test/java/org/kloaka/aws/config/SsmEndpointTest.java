package org.kloaka.aws.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;

/**
 * The token reader finds SSM where the SDK's own clients would: the service's setting, then the
 * global one, then the shared config file, then the regional default. The SDK reads its system
 * properties before the environment variables of the same name, so the order is tested with the
 * properties here; PackagedLambdaIT sets the environment variables of a real function.
 */
class SsmEndpointTest {

  private static final String[] PROPERTIES = {
    "aws.endpointUrlSsm", "aws.endpointUrl", "aws.configFile"
  };

  private final Map<String, String> saved = new HashMap<>();
  @TempDir Path dir;

  @BeforeEach
  void isolateFromThisMachinesAwsConfig() throws IOException {
    for (String name : PROPERTIES) {
      saved.put(name, System.getProperty(name));
      System.clearProperty(name);
    }
    Path empty = Files.writeString(dir.resolve("config"), "");
    System.setProperty("aws.configFile", empty.toString());
  }

  @AfterEach
  void restore() {
    saved.forEach(
        (name, value) -> {
          if (value == null) {
            System.clearProperty(name);
          } else {
            System.setProperty(name, value);
          }
        });
  }

  @Test
  void theServiceSettingComesFirst() {
    System.setProperty("aws.endpointUrlSsm", "http://127.0.0.1:4566");
    System.setProperty("aws.endpointUrl", "http://127.0.0.1:9999");

    assertThat(SsmParameterReader.endpointFor(Region.EU_SOUTH_1))
        .isEqualTo(URI.create("http://127.0.0.1:4566"));
  }

  @Test
  void theGlobalSettingServesWhenSsmHasNone() {
    System.setProperty("aws.endpointUrl", "https://vpce-0abc.ssm.eu-south-1.vpce.amazonaws.com");

    assertThat(SsmParameterReader.endpointFor(Region.EU_SOUTH_1))
        .isEqualTo(URI.create("https://vpce-0abc.ssm.eu-south-1.vpce.amazonaws.com"));
  }

  @Test
  void theSharedConfigFileServesWhenNothingElseIsSet() throws IOException {
    noEndpointInThisEnvironment();
    Path config =
        Files.writeString(
            dir.resolve("config-with-endpoint"),
            "[default]\nendpoint_url = http://127.0.0.1:4567\n");
    System.setProperty("aws.configFile", config.toString());

    assertThat(SsmParameterReader.endpointFor(Region.EU_SOUTH_1))
        .isEqualTo(URI.create("http://127.0.0.1:4567"));
  }

  @Test
  void theRegionalEndpointIsTheDefault() {
    noEndpointInThisEnvironment();

    assertThat(SsmParameterReader.endpointFor(Region.EU_SOUTH_1))
        .isEqualTo(URI.create("https://ssm.eu-south-1.amazonaws.com"));
    assertThat(SsmParameterReader.endpointFor(Region.CN_NORTH_1))
        .isEqualTo(URI.create("https://ssm.cn-north-1.amazonaws.com.cn"));
  }

  @Test
  void aMalformedSettingFailsWithItsSource() {
    System.setProperty("aws.endpointUrlSsm", "http://bad host");

    assertThatThrownBy(() -> SsmParameterReader.endpointFor(Region.EU_SOUTH_1))
        .isInstanceOf(SdkClientException.class)
        .hasMessageContaining("aws.endpointUrlSsm");
  }

  private static void noEndpointInThisEnvironment() {
    for (String variable : new String[] {"AWS_ENDPOINT_URL_SSM", "AWS_ENDPOINT_URL"}) {
      Assumptions.assumeTrue(
          System.getenv(variable) == null,
          variable + " is set in this environment, so the default cannot be observed here");
    }
  }
}
