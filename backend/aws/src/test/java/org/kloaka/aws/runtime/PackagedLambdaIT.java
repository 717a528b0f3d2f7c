package org.kloaka.aws.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kloaka.api.Json;
import org.kloaka.aws.moto.MotoAws;
import org.kloaka.aws.moto.StreamTap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The packaged Lambda jar as Lambda runs it: every function of serverless.yml in its own JVM under
 * AWS's runtime interface client, with the handler string and environment the template gives it,
 * SnapStart's snapshot and restore, and real events over the Runtime API — against moto. See
 * docs/decisions/019-lambda-runtime-test.md for what this does and does not reproduce.
 */
@Tag("slow")
@Tag("packaged-lambda")
class PackagedLambdaIT {

  @RegisterExtension static final LambdaStack STACK = new LambdaStack();

  private final ObjectMapper mapper = Json.newMapper();

  @Test
  void everyFunctionOfTheTemplateStartsFromTheJarAndIsRestoredWithoutASecretInItsSnapshot()
      throws IOException {
    assertThat(STACK.functions().keySet())
        .containsExactlyElementsOf(STACK.declared().stream().map(f -> f.name()).toList())
        .contains(
            "organizer", "inspector", "notifier", "rest", "wsConnect", "wsDisconnect", "wsDefault");
    assertThat(ServerlessFunctions.missingHandlerClasses(STACK.declared(), STACK.jar())).isEmpty();
    for (ExecutionEnvironment environment : STACK.functions().values()) {
      assertThat(environment.api().ready()).as(environment.name()).isCompleted();
      assertThat(environment.api().phase())
          .as(environment.name() + " restored from its snapshot")
          .isEqualTo(RuntimeApi.Phase.RUNNING);
      assertThat(STACK.ssm().readsBeforeSnapshot(environment.name())).isEmpty();
      assertThat(environment.api().unexpectedRequests()).as(environment.name()).isEmpty();
    }
  }

  /**
   * IoT payloads → organizer → the devices stream → inspector → problem → the problems stream →
   * notifier → PostToConnection to each console; a console that answers 410 Gone is forgotten.
   */
  @Test
  void devicePayloadsReachTheConsolesThroughEveryStreamFunction() {
    connect("pipeline-console=", LambdaStack.TOKEN, 200);
    connect("pipeline-gone=", LambdaStack.TOKEN, 200);
    STACK.consoles().markGone("pipeline-gone=");
    StreamTap devices = STACK.aws().tap(table("DEVICES_TABLE"));
    StreamTap problems = STACK.aws().tap(table("PROBLEMS_TABLE"));
    devices.nextEventJson(); // whatever other tests wrote before this one
    problems.nextEventJson();

    ExecutionEnvironment organizer = STACK.function("organizer");
    organizer.invoke("{\"id\": \"51\", \"filling\": \"100\"}");
    organizer.invoke("{\"id\": \"52\", \"filling\": \"50\"}");
    ObjectNode deviceChanges = devices.nextEventJson();
    assertThat(deviceChanges.path("Records")).isNotEmpty();

    assertNoFailures(STACK.function("inspector").invoke(deviceChanges.toString()));
    List<Map<String, AttributeValue>> stored = STACK.aws().scan(table("PROBLEMS_TABLE"));
    assertThat(stored)
        .filteredOn(p -> p.get("problem_id").s().equals("5152"))
        .singleElement()
        .satisfies(p -> assertThat(p.get("problem").s()).isEqualTo("OBSTRUCTION"));

    ExecutionEnvironment notifier = STACK.function("notifier");
    assertNoFailures(notifier.invoke(problems.nextEventJson().toString()));
    assertNoFailures(notifier.invoke(deviceChanges.toString()));

    List<JsonNode> frames =
        STACK.consoles().bodiesFor("pipeline-console=").stream().map(this::json).toList();
    assertThat(frames).extracting(f -> f.path("type").asText()).contains("problem", "device");
    assertThat(frames)
        .filteredOn(f -> f.path("type").asText().equals("problem"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.path("problem").path("problem_id").asText()).isEqualTo("5152");
              assertThat(f.path("problem").path("problem").asText()).isEqualTo("OBSTRUCTION");
            });
    assertThat(frames)
        .filteredOn(f -> f.path("type").asText().equals("device"))
        .extracting(f -> f.path("device").path("id").asText())
        .containsExactlyInAnyOrder("51", "52");
    assertThat(STACK.consoles().bodiesFor("pipeline-gone=")).isEmpty();
    assertThat(connectionIds()).contains("pipeline-console=").doesNotContain("pipeline-gone=");
    for (String function : List.of("organizer", "inspector", "notifier", "wsConnect")) {
      assertThat(STACK.function(function).api().credentialRequests())
          .as(
              "%s signed its calls with the container credentials SnapStart functions get",
              function)
          .isPositive();
    }
  }

  @Test
  void restAnswersOnlyARequestWithTheRotatedToken() {
    ExecutionEnvironment rest = STACK.function("rest");
    for (String token : new String[] {null, "wrong", LambdaStack.TOKEN_AT_SNAPSHOT}) {
      JsonNode refused = json(rest.invoke(httpEvent("/problems", token)));
      assertThat(refused.path("statusCode").asInt()).as("token %s", token).isEqualTo(401);
    }
    JsonNode answered = json(rest.invoke(httpEvent("/problems", LambdaStack.TOKEN)));
    assertThat(answered.path("statusCode").asInt()).isEqualTo(200);
    assertThat(json(answered.path("body").asText()).path("problems").isArray()).isTrue();
    assertThat(STACK.ssm().reads())
        .filteredOn(r -> r.function().equals("rest"))
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.phase()).isEqualTo(RuntimeApi.Phase.RUNNING))
        .allSatisfy(r -> assertThat(r.operation()).isEqualTo("AmazonSSM.GetParameter"));
  }

  @Test
  void connectRefusesWrongTokensAndAcceptsTheOneRotatedBeforeTheRestore() {
    connect("refused-none=", null, 401);
    connect("refused-wrong=", "wrong", 401);
    connect("refused-snapshot=", LambdaStack.TOKEN_AT_SNAPSHOT, 401);
    connect("accepted=", LambdaStack.TOKEN, 200);

    assertThat(connectionIds())
        .contains("accepted=")
        .doesNotContain("refused-none=", "refused-wrong=", "refused-snapshot=");
  }

  @Test
  void disconnectForgetsTheConnection() {
    connect("leaving=", LambdaStack.TOKEN, 200);
    JsonNode answer =
        json(
            STACK
                .function("wsDisconnect")
                .invoke(wsEvent("ws-disconnect.json", "leaving=", json -> {})));
    assertThat(answer.path("statusCode").asInt()).isEqualTo(200);
    assertThat(connectionIds()).doesNotContain("leaving=");
  }

  @Test
  void defaultRouteAnswersPingWithPongAndAnythingElseWithAnError() {
    ExecutionEnvironment wsDefault = STACK.function("wsDefault");
    JsonNode pong = json(wsDefault.invoke(wsEvent("ws-default.json", "ping=", json -> {})));
    assertThat(pong.path("statusCode").asInt()).isEqualTo(200);
    assertThat(json(pong.path("body").asText()).path("type").asText()).isEqualTo("pong");

    JsonNode error =
        json(
            wsDefault.invoke(
                wsEvent("ws-default.json", "ping=", json -> json.put("body", "not json"))));
    assertThat(json(error.path("body").asText()).path("type").asText()).isEqualTo("error");
  }

  @Test
  void aHandlerStringNamingAMissingClassFailsItsFirstInvocation() {
    ExecutionEnvironment planted = STACK.planted("missing-handler");
    STACK.awaitSnapshot(planted); // the runtime defers this mistake to the first invocation
    planted.api().restore();

    assertThatThrownBy(() -> planted.invoke("{}"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("answered an error")
        .hasMessageContaining("Class not found: org.kloaka.aws.handler.NoSuchHandler");
  }

  @Test
  void aClassMissingFromTheJarFailsTheStart() {
    assertThatThrownBy(() -> STACK.awaitSnapshot(STACK.planted("missing-class")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("did not initialise")
        .hasMessageContaining("init error")
        .hasMessageContaining("NoClassDefFoundError")
        .hasMessageContaining(LambdaStack.REMOVED_CLASS.replace(".class", ""));
  }

  @Test
  void aSecretReadDuringInitialisationFailsTheSnapshotCheck() {
    assertThatThrownBy(() -> STACK.awaitSnapshot(STACK.planted("secret-at-init")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("read SSM during initialisation")
        .hasMessageContaining(MotoAws.TOKEN_PARAM);
  }

  private void connect(String connectionId, String token, int expectedStatus) {
    String answer =
        STACK
            .function("wsConnect")
            .invoke(
                wsEvent(
                    "ws-connect.json",
                    connectionId,
                    json -> {
                      if (token == null) {
                        json.remove("queryStringParameters");
                        json.remove("multiValueQueryStringParameters");
                      } else {
                        json.putObject("queryStringParameters").put("token", token);
                        json.putObject("multiValueQueryStringParameters")
                            .putArray("token")
                            .add(token);
                      }
                    }));
    assertThat(json(answer).path("statusCode").asInt())
        .as("$connect of %s with token %s", connectionId, token)
        .isEqualTo(expectedStatus);
  }

  private String wsEvent(String fixture, String connectionId, Consumer<ObjectNode> adjust) {
    ObjectNode json = fixture(fixture);
    ((ObjectNode) json.get("requestContext")).put("connectionId", connectionId);
    adjust.accept(json);
    return json.toString();
  }

  private String httpEvent(String path, String token) {
    ObjectNode json = fixture("http-api.json");
    json.put("rawPath", path);
    ((ObjectNode) json.path("requestContext").path("http")).put("path", path);
    if (token != null) {
      ((ObjectNode) json.get("headers")).put("authorization", "Bearer " + token);
    }
    return json.toString();
  }

  private ObjectNode fixture(String name) {
    try (InputStream in = PackagedLambdaIT.class.getResourceAsStream("/events/" + name)) {
      if (in == null) {
        throw new IllegalStateException("no fixture events/" + name);
      }
      return (ObjectNode) mapper.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A table's name as the template gives it to the functions. */
  private static String table(String variable) {
    return STACK.declared().stream()
        .filter(f -> f.environment().containsKey(variable))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no function is given " + variable))
        .environment()
        .get(variable);
  }

  private List<String> connectionIds() {
    return STACK.aws().scan(table("CONNECTIONS_TABLE")).stream()
        .map(item -> item.get("connection_id").s())
        .toList();
  }

  private void assertNoFailures(String streamsEventResponse) {
    assertThat(json(streamsEventResponse).path("batchItemFailures")).isEmpty();
  }

  private JsonNode json(String text) {
    try {
      return mapper.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }
}
