package org.kloaka.aws.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.aws.deploy.Required;

/** The reading of serverless.yml that PackagedLambdaIT starts its functions from. */
class ServerlessFunctionsTest {

  private static final String TEMPLATE =
      """
      service: kloaka
      params:
        default:
          network: ''
          tokenParameter: /kloaka/${sls:stage}/api-token
      provider:
        environment:
          DEVICES_TABLE: !Ref DevicesTable
          KEEP: '100'
          KLOAKA_NETWORK: ${param:network}
      package:
        artifact: backend/target/kloaka-lambda.jar
      functions:
        organizer:
          handler: org.kloaka.aws.handler.OrganizerHandler::handleRequest
          snapStart: true
          memorySize: 512
        rest:
          handler: org.kloaka.aws.handler.NoSuchHandler::handleRequest
          environment:
            TOKEN_PARAM: !Ref TokenName
            DEVICES_TABLE: overridden
      resources:
        Parameters:
          TokenName:
            Type: AWS::SSM::Parameter::Name
            Default: ${param:tokenParameter}
        Resources:
          DevicesTable:
            Type: AWS::DynamoDB::Table
            Properties:
              TableName: ${self:service}-${sls:stage}-devices
      """;

  @TempDir Path dir;

  @Test
  void handlersAndEnvironmentComeFromTheTemplateWithItsVariablesResolved() {
    List<ServerlessFunctions.Function> functions =
        ServerlessFunctions.parse(TEMPLATE, "test", "us-east-1").functions(Map.of());

    assertThat(functions)
        .extracting(ServerlessFunctions.Function::name)
        .containsExactly("organizer", "rest");
    ServerlessFunctions.Function organizer = functions.get(0);
    assertThat(organizer.handler())
        .isEqualTo("org.kloaka.aws.handler.OrganizerHandler::handleRequest");
    assertThat(organizer.handlerClass()).isEqualTo("org.kloaka.aws.handler.OrganizerHandler");
    assertThat(organizer.snapStart()).isTrue();
    assertThat(organizer.memoryMb()).isEqualTo(512);
    assertThat(organizer.environment())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("DEVICES_TABLE", "kloaka-test-devices", "KEEP", "100", "KLOAKA_NETWORK", ""));
    ServerlessFunctions.Function rest = functions.get(1);
    assertThat(rest.snapStart()).isFalse();
    assertThat(rest.memoryMb()).isEqualTo(1024);
    assertThat(rest.environment())
        .containsEntry("TOKEN_PARAM", "/kloaka/test/api-token")
        .containsEntry("DEVICES_TABLE", "overridden");
  }

  @Test
  void aVariableNamingSomethingOutsideTheTemplateMustBeSupplied() {
    String template =
        TEMPLATE.replace(
            "    KEEP: '100'\n",
            "    KEEP: '100'\n    WS_ENDPOINT: !Join ['', [https://, !Ref WebsocketsApi]]\n");
    ServerlessFunctions functions = ServerlessFunctions.parse(template, "test", "us-east-1");

    assertThatThrownBy(() -> functions.functions(Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("organizer.WS_ENDPOINT")
        .hasMessageContaining("rest.WS_ENDPOINT")
        .hasMessageContaining("WebsocketsApi");
    assertThat(
            functions
                .functions(Map.of("WS_ENDPOINT", "http://127.0.0.1:1/test"))
                .get(0)
                .environment())
        .containsEntry("WS_ENDPOINT", "http://127.0.0.1:1/test");
  }

  @Test
  void aHandlerWhoseClassIsNotInTheJarIsNamed() throws IOException {
    Path jar = dir.resolve("lambda.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("org/kloaka/aws/handler/OrganizerHandler.class"));
      out.write(new byte[] {(byte) 0xCA, (byte) 0xFE});
      out.closeEntry();
    }
    List<ServerlessFunctions.Function> functions =
        ServerlessFunctions.parse(TEMPLATE, "test", "us-east-1").functions(Map.of());

    assertThat(ServerlessFunctions.missingHandlerClasses(functions, jar))
        .containsExactly(
            "rest: handler org.kloaka.aws.handler.NoSuchHandler::handleRequest names a class that"
                + " is not in lambda.jar");
  }

  @Test
  void theRealTemplateNamesItsArtifactAndEveryFunctionResolves() throws IOException {
    ServerlessFunctions template =
        ServerlessFunctions.read(
            Required.repoRoot().resolve("serverless.yml"), "test", "us-east-1");

    assertThat(template.artifact()).endsWith("kloaka-lambda.jar");
    assertThat(template.functions(Map.of("WS_ENDPOINT", "http://127.0.0.1:1/test")))
        .hasSizeGreaterThanOrEqualTo(7)
        .allSatisfy(f -> assertThat(f.handler()).startsWith("org.kloaka.aws."))
        .allSatisfy(f -> assertThat(f.environment()).containsKey("DEVICES_TABLE"));
  }
}
