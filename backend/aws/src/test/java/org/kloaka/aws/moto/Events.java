package org.kloaka.aws.moto;

import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;
import org.kloaka.api.Json;

/**
 * Real Lambda event JSON fixtures (src/test/resources/events), adjusted per test and turned into
 * the handler's input type by the Lambda Java runtime's own deserializer.
 */
public final class Events {

  private static final ObjectMapper MAPPER = Json.newMapper();

  private Events() {}

  public static <T> T load(String fixture, Class<T> type, Consumer<ObjectNode> adjust) {
    try (InputStream in = Events.class.getResourceAsStream("/events/" + fixture)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture events/" + fixture);
      }
      ObjectNode json = (ObjectNode) MAPPER.readTree(in);
      adjust.accept(json);
      return LambdaEventSerializers.serializerFor(type, Events.class.getClassLoader())
          .fromJson(json.toString());
    } catch (IOException e) {
      throw new IllegalStateException("cannot read fixture " + fixture, e);
    }
  }
}
