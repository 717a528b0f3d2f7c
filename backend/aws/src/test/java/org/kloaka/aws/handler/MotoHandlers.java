package org.kloaka.aws.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.kloaka.api.Json;
import org.kloaka.aws.moto.Events;
import org.kloaka.aws.moto.HttpApiCall;
import org.kloaka.aws.moto.Moto;
import org.kloaka.aws.moto.MotoAws;
import org.kloaka.aws.moto.PushRecorder;
import org.kloaka.aws.moto.StreamTap;

/**
 * One handler test's set-up against moto, registered on a {@link Moto} test class as
 * {@code @RegisterExtension final MotoHandlers handlers = new MotoHandlers(clock, TOKEN);}: before
 * each test it stores the install token in SSM; it gives the Lambdas wired to that test's moto
 * tables with serverless.yml's environment ({@link MotoAws#settings()}), consoles recorded by a
 * {@link PushRecorder}, the devices and problems streams read back — each built on first use, on
 * the test's clock — and does what those tests do the same way: publish, connect a console, call
 * REST, read the pushed frames. After each test it stops the recorder. A test that needs other
 * settings builds that handler itself; the static helpers serve it too.
 */
final class MotoHandlers implements BeforeEachCallback, AfterEachCallback {

  private final Clock clock;
  private final String token;
  private final ObjectMapper mapper = Json.newMapper();
  private MotoAws aws;
  private PushRecorder consoles;
  private OrganizerHandler organizer;
  private DeviceStreamHandler inspector;
  private NotifierHandler notifier;
  private RestHandler rest;
  private StreamTap devicesStream;
  private StreamTap problemsStream;

  /**
   * @param clock the test's clock, which every handler reads
   * @param token the install's admin token, stored in SSM before each test
   */
  MotoHandlers(Clock clock, String token) {
    this.clock = clock;
    this.token = token;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    aws = Moto.Extension.aws(context);
    aws.putToken(token);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (consoles != null) {
      consoles.close();
    }
  }

  /** API Gateway's management endpoint, recording pushes and closed connections. */
  PushRecorder consoles() {
    if (consoles == null) {
      try {
        consoles = new PushRecorder();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return consoles;
  }

  OrganizerHandler organizer() {
    if (organizer == null) {
      organizer = new OrganizerHandler(aws.db(), aws.settings(), clock);
    }
    return organizer;
  }

  /** The devices-stream inspector. */
  DeviceStreamHandler inspector() {
    if (inspector == null) {
      inspector = new DeviceStreamHandler(aws.db(), aws.settings(), clock);
    }
    return inspector;
  }

  /** The streams' notifier, pushing to {@link #consoles()}. */
  NotifierHandler notifier() {
    if (notifier == null) {
      notifier = new NotifierHandler(aws.db(), consoles().client(), aws.settings(), clock);
    }
    return notifier;
  }

  /** The REST Lambda; a removed operator's connections are closed through {@link #consoles()}. */
  RestHandler rest() {
    if (rest == null) {
      rest = new RestHandler(aws.db(), aws.ssm(), consoles().client(), aws.settings(), clock);
    }
    return rest;
  }

  /** The devices table's stream from its start; each read returns only what is new. */
  StreamTap devicesStream() {
    if (devicesStream == null) {
      devicesStream = aws.tap(MotoAws.DEVICES);
    }
    return devicesStream;
  }

  /** The problems table's stream from its start; each read returns only what is new. */
  StreamTap problemsStream() {
    if (problemsStream == null) {
      problemsStream = aws.tap(MotoAws.PROBLEMS);
    }
    return problemsStream;
  }

  /** A payload as the IoT rule hands it to {@link #organizer()}. */
  void publish(String payload) {
    publish(organizer(), payload);
  }

  /** A console's {@code $connect} with the install token, which must be accepted. */
  void connect(String connectionId) {
    connect(aws, clock, connectionId, token);
  }

  /**
   * A REST call as API Gateway's HTTP API hands it to {@link #rest()}.
   *
   * @param query the raw query string, or null
   * @param token the bearer token, or null for none
   * @param body a JSON body, or null
   */
  APIGatewayV2HTTPResponse call(
      String method, String path, String query, String token, String body) {
    return call(HttpApiCall.event(method, path, query, token, body, false, Map.of()));
  }

  /** An HTTP API event ({@link HttpApiCall}) handed to {@link #rest()}. */
  APIGatewayV2HTTPResponse call(APIGatewayV2HTTPEvent event) {
    return rest().handleRequest(event, null);
  }

  /** The response's JSON body, once its status is {@code status} (else fails showing the body). */
  JsonNode body(APIGatewayV2HTTPResponse response, int status) {
    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
    return json(response.getBody());
  }

  /** The frames pushed to {@code connectionId} so far, in order. */
  List<JsonNode> frames(String connectionId) {
    return consoles().bodiesFor(connectionId).stream().map(this::json).toList();
  }

  JsonNode json(String text) {
    try {
      return mapper.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A payload as the IoT rule hands it to the organizer. */
  static void publish(OrganizerHandler organizer, String payload) {
    try {
      organizer.handleRequest(
          new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)),
          new ByteArrayOutputStream(),
          null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A console's {@code $connect} with {@code token}, which must be accepted. */
  static void connect(MotoAws aws, Clock clock, String connectionId, String token) {
    WsConnectHandler handler = new WsConnectHandler(aws.db(), aws.ssm(), aws.settings(), clock);
    APIGatewayV2WebSocketEvent event =
        Events.load(
            "ws-connect.json",
            APIGatewayV2WebSocketEvent.class,
            json -> {
              ((ObjectNode) json.get("requestContext")).put("connectionId", connectionId);
              ((ObjectNode) json.get("queryStringParameters")).put("token", token);
            });
    assertThat(handler.handleRequest(event, null).getStatusCode()).isEqualTo(200);
  }

  static void assertNoFailures(StreamsEventResponse response) {
    assertThat(response.getBatchItemFailures()).isEmpty();
  }
}
