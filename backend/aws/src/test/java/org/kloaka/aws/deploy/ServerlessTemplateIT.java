package org.kloaka.aws.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kloaka.api.Json;
import org.opentest4j.TestAbortedException;

/**
 * Packages serverless.yml offline into its CloudFormation template (the Lambda jar must exist,
 * hence a failsafe test after {@code package}), lints it with cfn-lint, and checks the wiring:
 * which function each stream, rule and route triggers, the stream settings, and what each role may
 * do.
 */
class ServerlessTemplateIT {

  private static final Map<String, String> HANDLERS =
      Map.of(
          "Organizer", "org.kloaka.aws.handler.OrganizerHandler::handleRequest",
          "Inspector", "org.kloaka.aws.handler.DeviceStreamHandler::handleRequest",
          "Notifier", "org.kloaka.aws.handler.NotifierHandler::handleRequest",
          "Rest", "org.kloaka.aws.handler.RestHandler::handleRequest",
          "WsConnect", "org.kloaka.aws.handler.WsConnectHandler::handleRequest",
          "WsDisconnect", "org.kloaka.aws.handler.WsDisconnectHandler::handleRequest",
          "WsDefault", "org.kloaka.aws.handler.WsDefaultHandler::handleRequest",
          "SilenceSweep", "org.kloaka.aws.handler.SilenceSweepHandler::handleRequest",
          "Deliver", "org.kloaka.aws.handler.DeliverNotificationsHandler::handleRequest");

  /**
   * Reads its channels' SSM secrets at its cold start, so a snapshot must not freeze them (docs/
   * decisions/031).
   */
  private static final Set<String> WITHOUT_SNAPSTART = Set.of("Deliver");

  private static JsonNode resources;
  private static JsonNode template;

  /**
   * Why the tools are missing, if they are. An assumption failing in {@code @BeforeAll} reaches
   * Surefire as "Tests run: 0" with no reason, so each test is skipped with it instead.
   */
  private static TestAbortedException missing;

  @BeforeAll
  static void packageAndLint() throws Exception {
    try {
      packageAndLintTemplate();
    } catch (TestAbortedException e) {
      missing = e;
    }
  }

  @BeforeEach
  void skipWhenToolsAreMissing() {
    if (missing != null) {
      Assumptions.abort(missing.getMessage());
    }
  }

  private static void packageAndLintTemplate() throws Exception {
    Path root = Required.repoRoot();
    Path serverless =
        Required.file(
            root.resolve("node_modules/.bin/serverless"),
            "run `npm ci` at the repository root to install the pinned Serverless Framework");
    Required.onPath("node", "the Serverless Framework runs on Node.js");
    Path cfnLint =
        Required.onPath("cfn-lint", "it lints the generated template (pip install cfn-lint)");
    Required.file(
        Path.of(System.getProperty("kloaka.lambdaJar", "target/kloaka-lambda.jar")),
        "the Lambda jar is built by `mvn package`");

    Path out = Path.of("target", "sls").toAbsolutePath();
    run(
        root,
        List.of(serverless.toString(), "package", "--stage", "ci", "--package", out.toString()),
        Map.of("SLS_TELEMETRY_DISABLED", "1", "SLS_NOTIFICATIONS_MODE", "off"));
    Path file = out.resolve("cloudformation-template-update-stack.json");
    run(
        root,
        List.of(
            cfnLint.toString(),
            "--non-zero-exit-code",
            "error",
            "--ignore-checks",
            "W3005",
            "-t",
            file.toString()),
        Map.of());
    ObjectMapper mapper = Json.newMapper();
    template = mapper.readTree(file.toFile());
    resources = template.path("Resources");
  }

  @Test
  void everyFunctionRunsItsHandlerOnJava21WithSnapStartAndItsOwnRole() {
    for (Map.Entry<String, String> function : HANDLERS.entrySet()) {
      JsonNode properties = resource(function.getKey() + "LambdaFunction").path("Properties");
      assertThat(properties.path("Handler").asText())
          .as(function.getKey())
          .isEqualTo(function.getValue());
      assertThat(properties.path("Runtime").asText()).isEqualTo("java21");
      assertThat(properties.path("SnapStart").path("ApplyOn").asText())
          .as(function.getKey())
          .isEqualTo(WITHOUT_SNAPSTART.contains(function.getKey()) ? "" : "PublishedVersions");
      assertThat(refersTo(properties.path("Role"), function.getKey() + "Role"))
          .as(function.getKey())
          .isTrue();
      assertThat(properties.path("Environment").path("Variables").has("KLOAKA_API_TOKEN"))
          .as("no token value in the environment")
          .isFalse();
      assertThat(
              resource(function.getKey() + "LogGroup")
                  .path("Properties")
                  .path("RetentionInDays")
                  .asInt())
          .isPositive();
    }
    assertThat(ofType("AWS::Lambda::Function")).hasSize(HANDLERS.size());
  }

  @Test
  void theIotRulesFeedTheOrganizerEveryPayloadEncodedAndParkWhatTheyCannotDeliver() {
    List<String> rules = ofType("AWS::IoT::TopicRule");
    assertThat(rules).hasSize(2);
    List<String> topics = new java.util.ArrayList<>();
    for (String name : rules) {
      JsonNode rule = resource(name).path("Properties").path("TopicRulePayload");
      String sql = rule.path("Sql").asText();
      assertThat(sql)
          .startsWith(
              "SELECT encode(*, 'base64') AS raw, newuuid() AS uuid, timestamp() AS ts,"
                  + " topic() AS topic FROM '");
      topics.add(sql.substring(sql.indexOf("FROM '") + 6, sql.length() - 1));
      assertThat(rule.path("Actions")).hasSize(1);
      assertThat(refersTo(rule.path("Actions").get(0).path("Lambda"), "OrganizerLambdaFunction"))
          .isTrue();
      assertThat(refersTo(rule.path("ErrorAction").path("Sqs"), "IngestRuleErrorQueue"))
          .as(name)
          .isTrue();
    }
    assertThat(topics).containsExactlyInAnyOrder("kloaka_from_device", "lorawan/+/uplink");
    JsonNode asyncConfig = resource("OrganizerLambdaEvConf").path("Properties");
    assertThat(asyncConfig.path("MaximumRetryAttempts").asInt()).isEqualTo(2);
    assertThat(
            refersTo(
                asyncConfig.path("DestinationConfig").path("OnFailure"), "OrganizerFailureQueue"))
        .isTrue();
  }

  @Test
  void streamsTriggerTheInspectorAndTheNotifierWithBoundedRetriesAndPerRecordFailures() {
    Map<String, String> expected =
        Map.of(
            "InspectorEventSourceMappingDynamodbDevicesTable",
                "Inspector|DevicesTable|InspectorFailureQueue",
            "NotifierEventSourceMappingDynamodbDevicesTable",
                "Notifier|DevicesTable|NotifierFailureQueue",
            "NotifierEventSourceMappingDynamodbProblemsTable",
                "Notifier|ProblemsTable|NotifierFailureQueue");
    assertThat(ofType("AWS::Lambda::EventSourceMapping"))
        .containsExactlyInAnyOrderElementsOf(expected.keySet());
    expected.forEach(
        (mapping, wiring) -> {
          String[] parts = wiring.split("\\|");
          JsonNode p = resource(mapping).path("Properties");
          assertThat(refersTo(p.path("FunctionName"), parts[0] + "LambdaFunction"))
              .as(mapping)
              .isTrue();
          assertThat(p.path("EventSourceArn").path("Fn::GetAtt").get(0).asText())
              .isEqualTo(parts[1]);
          assertThat(p.path("EventSourceArn").path("Fn::GetAtt").get(1).asText())
              .isEqualTo("StreamArn");
          assertThat(p.path("MaximumRetryAttempts").asInt()).as(mapping).isBetween(1, 10);
          assertThat(p.path("MaximumRecordAgeInSeconds").asInt()).as(mapping).isBetween(60, 21600);
          assertThat(p.path("BisectBatchOnFunctionError").asBoolean()).as(mapping).isTrue();
          assertThat(texts(p.path("FunctionResponseTypes")))
              .containsExactly("ReportBatchItemFailures");
          assertThat(refersTo(p.path("DestinationConfig").path("OnFailure"), parts[2]))
              .as(mapping)
              .isTrue();
        });
  }

  @Test
  void theHttpApiSendsEveryRequestToTheRestFunction() {
    List<String> routes = routesOf("HttpApi");
    assertThat(routes).containsExactly("$default");
    assertThat(
            refersTo(resource("HttpApiIntegrationRest").path("Properties"), "RestLambdaFunction"))
        .isTrue();
    assertThat(
            resource("HttpApiIntegrationRest")
                .path("Properties")
                .path("PayloadFormatVersion")
                .asText())
        .isEqualTo("2.0");
  }

  @Test
  void theWebSocketRoutesReachTheirFunctions() {
    Map<String, String> expected =
        Map.of("$connect", "WsConnect", "$disconnect", "WsDisconnect", "$default", "WsDefault");
    assertThat(routesOf("WebsocketsApi")).containsExactlyInAnyOrderElementsOf(expected.keySet());
    for (String id : ofType("AWS::ApiGatewayV2::Route")) {
      JsonNode route = resource(id).path("Properties");
      if (!refersTo(route.path("ApiId"), "WebsocketsApi")) {
        continue;
      }
      String function = expected.get(route.path("RouteKey").asText());
      assertThat(refersTo(route.path("Target"), function + "WebsocketsIntegration"))
          .as(id)
          .isTrue();
      assertThat(
              refersTo(
                  resource(function + "WebsocketsIntegration").path("Properties"),
                  function + "LambdaFunction"))
          .isTrue();
    }
  }

  @Test
  void theSilenceSweepRunsEveryMinuteOnTheDevicesIndexByHourWithoutRetries() {
    JsonNode rule = resource("SilenceSweepEventsRuleSchedule1").path("Properties");
    assertThat(rule.path("ScheduleExpression").asText()).isEqualTo("rate(1 minute)");
    assertThat(rule.path("State").asText()).isEqualTo("ENABLED");
    assertThat(
            resource("SilenceSweepLambdaEvConf")
                .path("Properties")
                .path("MaximumRetryAttempts")
                .asInt(-1))
        .isZero();
    JsonNode index = resource("DevicesTable").path("Properties").path("GlobalSecondaryIndexes");
    assertThat(index).hasSize(1);
    assertThat(index.get(0).path("IndexName").asText()).isEqualTo("by_last_hour");
    assertThat(index.get(0).path("KeySchema").toString())
        .contains("\"last_hour\"", "\"HASH\"", "\"last_update\"", "\"RANGE\"");
    assertThat(index.get(0).path("Projection").path("NonKeyAttributes").toString())
        .isEqualTo("[\"last_value\"]");
  }

  @Test
  void theSenderRunsEveryMinuteWithoutRetriesParksFailedRunsAndPublishesToTheStacksTopic() {
    JsonNode rule = resource("DeliverEventsRuleSchedule1").path("Properties");
    assertThat(rule.path("ScheduleExpression").asText()).isEqualTo("rate(1 minute)");
    assertThat(rule.path("State").asText()).isEqualTo("ENABLED");
    assertThat(refersTo(rule.path("Targets").get(0).path("Arn"), "DeliverLambdaFunction")).isTrue();
    JsonNode async = resource("DeliverLambdaEvConf").path("Properties");
    assertThat(async.path("MaximumRetryAttempts").asInt(-1)).isZero();
    assertThat(refersTo(async.path("DestinationConfig").path("OnFailure"), "DeliverFailureQueue"))
        .isTrue();
    assertThat(resource("NotifyTopic").path("Type").asText()).isEqualTo("AWS::SNS::Topic");
    for (String function : List.of("Deliver", "Rest")) {
      JsonNode variables =
          resource(function + "LambdaFunction").path("Properties").path("Environment");
      assertThat(
              refersTo(variables.path("Variables").path("KLOAKA_NOTIFY_TOPIC_ARN"), "NotifyTopic"))
          .as(function)
          .isTrue();
      assertThat(variables.path("Variables").path("KLOAKA_NOTIFY").isTextual()).isTrue();
      assertThat(
              refersTo(
                  variables.path("Variables").path("NOTIFICATIONS_TABLE"), "NotificationsTable"))
          .isTrue();
    }
    assertThat(
            refersTo(template.path("Outputs").path("NotifyTopicArn").path("Value"), "NotifyTopic"))
        .isTrue();
    JsonNode indexes =
        resource("NotificationsTable").path("Properties").path("GlobalSecondaryIndexes");
    assertThat(indexes)
        .extracting(i -> i.path("IndexName").asText())
        .containsExactlyInAnyOrder("due", "by_change");
    assertThat(template.path("Parameters").path("NotifySecretsPrefix").path("Default").asText())
        .isEqualTo("/kloaka/ci/notify");
  }

  @Test
  void tablesArePayPerRequestWithRecoveryStreamsAndTtlWhereUsed() {
    Map<String, String> streams =
        Map.of("DevicesTable", "NEW_AND_OLD_IMAGES", "ProblemsTable", "NEW_AND_OLD_IMAGES");
    Set<String> ttl = Set.of("HistoryTable", "RejectsTable", "ConnectionsTable");
    assertThat(ofType("AWS::DynamoDB::Table"))
        .containsExactlyInAnyOrder(
            "DevicesTable",
            "HistoryTable",
            "ProblemsTable",
            "RejectsTable",
            "ConnectionsTable",
            "TimelineTable",
            "OperatorsTable",
            "AlarmStateTable",
            "NotificationsTable");
    for (String table : ofType("AWS::DynamoDB::Table")) {
      JsonNode p = resource(table).path("Properties");
      assertThat(p.path("BillingMode").asText()).as(table).isEqualTo("PAY_PER_REQUEST");
      assertThat(
              p.path("PointInTimeRecoverySpecification")
                  .path("PointInTimeRecoveryEnabled")
                  .asBoolean())
          .as(table)
          .isTrue();
      assertThat(p.path("StreamSpecification").path("StreamViewType").asText(null))
          .as(table)
          .isEqualTo(streams.get(table));
      assertThat(p.path("TimeToLiveSpecification").path("Enabled").asBoolean())
          .as(table)
          .isEqualTo(ttl.contains(table));
    }
  }

  @Test
  void eachRoleMayDoOnlyWhatItsFunctionDoes() {
    Map<String, Set<String>> expected =
        Map.of(
            "OrganizerRole",
                Set.of(
                    "DevicesTable:dynamodb:GetItem",
                    "DevicesTable:dynamodb:PutItem",
                    "HistoryTable:dynamodb:PutItem",
                    "RejectsTable:dynamodb:PutItem",
                    "OrganizerFailureQueue:sqs:SendMessage"),
            "InspectorRole",
                Set.of(
                    "DevicesTable.StreamArn:dynamodb:DescribeStream",
                    "DevicesTable.StreamArn:dynamodb:GetRecords",
                    "DevicesTable.StreamArn:dynamodb:GetShardIterator",
                    "DevicesTable.StreamArn:dynamodb:ListStreams",
                    "DevicesTable:dynamodb:GetItem",
                    "ProblemsTable:dynamodb:GetItem",
                    "ProblemsTable:dynamodb:PutItem",
                    "TimelineTable:dynamodb:PutItem",
                    "AlarmStateTable:dynamodb:GetItem",
                    "AlarmStateTable:dynamodb:PutItem",
                    "AlarmStateTable:dynamodb:DeleteItem",
                    "NotificationsTable:dynamodb:PutItem",
                    "NotificationsTable:dynamodb:Query",
                    "NotificationsTable:dynamodb:UpdateItem",
                    "InspectorFailureQueue:sqs:SendMessage"),
            "SilenceSweepRole",
                Set.of(
                    "DevicesTable:dynamodb:Query",
                    "DevicesTable:dynamodb:GetItem",
                    "ProblemsTable:dynamodb:GetItem",
                    "ProblemsTable:dynamodb:PutItem",
                    "TimelineTable:dynamodb:PutItem",
                    "AlarmStateTable:dynamodb:GetItem",
                    "NotificationsTable:dynamodb:PutItem",
                    "NotificationsTable:dynamodb:Query",
                    "NotificationsTable:dynamodb:UpdateItem",
                    "AlarmStateTable:dynamodb:UpdateItem"),
            "NotifierRole",
                Set.of(
                    "DevicesTable.StreamArn:dynamodb:DescribeStream",
                        "DevicesTable.StreamArn:dynamodb:GetRecords",
                    "DevicesTable.StreamArn:dynamodb:GetShardIterator",
                        "DevicesTable.StreamArn:dynamodb:ListStreams",
                    "ProblemsTable.StreamArn:dynamodb:DescribeStream",
                        "ProblemsTable.StreamArn:dynamodb:GetRecords",
                    "ProblemsTable.StreamArn:dynamodb:GetShardIterator",
                        "ProblemsTable.StreamArn:dynamodb:ListStreams",
                    "ConnectionsTable:dynamodb:Scan", "ConnectionsTable:dynamodb:DeleteItem",
                    "WebsocketsApi:execute-api:ManageConnections",
                        "NotifierFailureQueue:sqs:SendMessage"),
            "RestRole",
                Set.of(
                    "DevicesTable:dynamodb:GetItem",
                    "DevicesTable:dynamodb:Scan",
                    "DevicesTable:dynamodb:PutItem",
                    "HistoryTable:dynamodb:Query",
                    "HistoryTable:dynamodb:PutItem",
                    "RejectsTable:dynamodb:Query",
                    "RejectsTable:dynamodb:PutItem",
                    "ProblemsTable:dynamodb:GetItem",
                    "ProblemsTable:dynamodb:Scan",
                    "ProblemsTable:dynamodb:PutItem",
                    "TimelineTable:dynamodb:PutItem",
                    "TimelineTable:dynamodb:Query",
                    "OperatorsTable:dynamodb:GetItem",
                    "OperatorsTable:dynamodb:PutItem",
                    "OperatorsTable:dynamodb:DeleteItem",
                    "OperatorsTable:dynamodb:Scan",
                    "ConnectionsTable:dynamodb:Scan",
                    "ConnectionsTable:dynamodb:DeleteItem",
                    "WebsocketsApi:execute-api:ManageConnections",
                    "ApiTokenParameterName:ssm:GetParameter",
                    "NotificationsTable:dynamodb:PutItem",
                    "NotificationsTable:dynamodb:Query",
                    "NotificationsTable:dynamodb:UpdateItem",
                    "NotifySecretsPrefix:ssm:GetParameter",
                    "NotifyTopic:sns:Publish"),
            "DeliverRole",
                Set.of(
                    "NotificationsTable:dynamodb:Query",
                    "NotificationsTable:dynamodb:UpdateItem",
                    "ProblemsTable:dynamodb:GetItem",
                    "TimelineTable:dynamodb:PutItem",
                    "NotifySecretsPrefix:ssm:GetParameter",
                    "NotifyTopic:sns:Publish",
                    "DeliverFailureQueue:sqs:SendMessage"),
            "WsConnectRole",
                Set.of(
                    "ConnectionsTable:dynamodb:PutItem",
                    "OperatorsTable:dynamodb:GetItem",
                    "ApiTokenParameterName:ssm:GetParameter"),
            "WsDisconnectRole", Set.of("ConnectionsTable:dynamodb:DeleteItem"),
            "WsDefaultRole", Set.of());
    expected.forEach(
        (role, grants) -> {
          String function = role.substring(0, role.length() - "Role".length());
          Set<String> actual = new TreeSet<>();
          for (JsonNode statement : statements(role)) {
            assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
            List<String> actions = texts(statement.path("Action"));
            assertThat(actions).as(role).noneMatch(a -> a.contains("*"));
            List<JsonNode> targets = list(statement.path("Resource"));
            for (JsonNode target : targets) {
              assertThat(
                      target.isTextual()
                          && target.asText().contains("*")
                          && !target.asText().contains("/"))
                  .as(role + " grants on a wildcard resource: " + target)
                  .isFalse();
            }
            if (actions.stream().allMatch(a -> a.startsWith("logs:"))) {
              assertThat(targets).hasSize(1);
              assertThat(refersTo(targets.get(0), function + "LogGroup")).as(role).isTrue();
              continue;
            }
            for (JsonNode target : targets) {
              String name = targetName(target);
              for (String action : actions) {
                actual.add(name + ":" + action);
              }
            }
          }
          assertThat(actual).as(role).containsExactlyInAnyOrderElementsOf(grants);
        });
  }

  /**
   * Least privilege across the whole template (issue 7), not only the roles named above: no role or
   * policy anywhere allows a wildcard action or every resource, attaches a managed policy, or may
   * pass roles or change IAM; every function runs under a role of its own, never the framework's
   * shared default role.
   */
  @Test
  void nothingInTheTemplateGrantsWildcardsManagedPoliciesOrIam() {
    List<String> roles = ofType("AWS::IAM::Role");
    assertThat(roles).isNotEmpty();
    assertThat(roles).as("the framework's shared role").doesNotContain("IamRoleLambdaExecution");
    List<String> violations = new ArrayList<>();
    for (String id : roles) {
      JsonNode properties = resource(id).path("Properties");
      if (!properties.path("ManagedPolicyArns").isMissingNode()) {
        violations.add(id + " attaches managed policies " + properties.path("ManagedPolicyArns"));
      }
      for (JsonNode statement : statements(id)) {
        checkStatement(id, statement, violations);
      }
    }
    for (String type : List.of("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")) {
      for (String id : ofType(type)) {
        for (JsonNode statement :
            list(resource(id).path("Properties").path("PolicyDocument").path("Statement"))) {
          checkStatement(id, statement, violations);
        }
      }
    }
    assertThat(violations).isEmpty();
    Set<String> functionRoles = new TreeSet<>();
    for (String function : ofType("AWS::Lambda::Function")) {
      JsonNode role = resource(function).path("Properties").path("Role");
      assertThat(role.isTextual()).as("%s's role is one of the template's", function).isFalse();
      functionRoles.add(targetName(role));
    }
    assertThat(functionRoles)
        .as("one role per function")
        .hasSize(ofType("AWS::Lambda::Function").size());
  }

  private static void checkStatement(String owner, JsonNode statement, List<String> violations) {
    for (String action : texts(statement.path("Action"))) {
      if (action.contains("*") || action.startsWith("iam:")) {
        violations.add(owner + " allows " + action);
      }
    }
    if (!statement.path("NotAction").isMissingNode()
        || !statement.path("NotResource").isMissingNode()) {
      violations.add(owner + " uses NotAction/NotResource");
    }
    for (JsonNode target : list(statement.path("Resource"))) {
      if (target.isTextual() && target.asText().equals("*")) {
        violations.add(owner + " allows " + texts(statement.path("Action")) + " on every resource");
      }
    }
  }

  @Test
  void theApiTokenIsADeployParameterNeverAValue() throws IOException {
    JsonNode parameter = template.path("Parameters").path("ApiTokenParameterName");
    assertThat(parameter.path("Type").asText()).isEqualTo("AWS::SSM::Parameter::Name");
    assertThat(
            resource("RestLambdaFunction")
                .path("Properties")
                .path("Environment")
                .path("Variables")
                .path("KLOAKA_API_TOKEN_PARAM")
                .path("Ref")
                .asText())
        .isEqualTo("ApiTokenParameterName");
    String yaml =
        Files.readString(Required.repoRoot().resolve("serverless.yml"), StandardCharsets.UTF_8);
    assertThat(yaml).doesNotContainIgnoringCase("KLOAKA_API_TOKEN:");
  }

  // ------------------------------------------------------------------ template helpers

  private static JsonNode resource(String id) {
    JsonNode node = resources.path(id);
    assertThat(node.isMissingNode()).as("resource " + id + " in the template").isFalse();
    return node;
  }

  private static List<String> ofType(String type) {
    List<String> ids = new ArrayList<>();
    resources
        .fields()
        .forEachRemaining(
            e -> {
              if (type.equals(e.getValue().path("Type").asText())) {
                ids.add(e.getKey());
              }
            });
    return ids;
  }

  private static List<String> routesOf(String api) {
    List<String> keys = new ArrayList<>();
    for (String id : ofType("AWS::ApiGatewayV2::Route")) {
      JsonNode route = resource(id).path("Properties");
      if (refersTo(route.path("ApiId"), api)) {
        keys.add(route.path("RouteKey").asText());
      }
    }
    return keys;
  }

  private static List<JsonNode> statements(String role) {
    List<JsonNode> all = new ArrayList<>();
    for (JsonNode policy : resource(role).path("Properties").path("Policies")) {
      all.addAll(list(policy.path("PolicyDocument").path("Statement")));
    }
    return all;
  }

  /** The logical name a Resource entry points at: a table, a table's stream, a queue, the API… */
  private static String targetName(JsonNode target) {
    JsonNode getAtt = target.path("Fn::GetAtt");
    if (getAtt.isArray()) {
      String attribute = getAtt.get(1).asText();
      return "Arn".equals(attribute)
          ? getAtt.get(0).asText()
          : getAtt.get(0).asText() + "." + attribute;
    }
    Set<String> refs = new LinkedHashSet<>();
    collectRefs(target, refs);
    refs.removeIf(r -> r.startsWith("AWS::"));
    assertThat(refs).as("references in " + target).hasSize(1);
    return refs.iterator().next();
  }

  private static void collectRefs(JsonNode node, Set<String> into) {
    if (node.has("Ref")) {
      into.add(node.get("Ref").asText());
    }
    if (node.has("Fn::GetAtt")) {
      into.add(node.get("Fn::GetAtt").get(0).asText());
    }
    node.forEach(child -> collectRefs(child, into));
  }

  private static boolean refersTo(JsonNode node, String logicalId) {
    Set<String> refs = new LinkedHashSet<>();
    collectRefs(node, refs);
    return refs.contains(logicalId);
  }

  private static List<JsonNode> list(JsonNode node) {
    List<JsonNode> items = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(items::add);
    } else if (!node.isMissingNode()) {
      items.add(node);
    }
    return items;
  }

  private static List<String> texts(JsonNode node) {
    return list(node).stream().map(JsonNode::asText).toList();
  }

  private static void run(Path dir, List<String> command, Map<String, String> env)
      throws Exception {
    Path log = Files.createTempFile("kloaka-deploy-check", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish in 5 minutes");
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(String.join(" ", command) + " failed:\n" + output).isZero();
  }
}
