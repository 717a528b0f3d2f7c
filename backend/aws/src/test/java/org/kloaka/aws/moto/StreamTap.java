package org.kloaka.aws.moto;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.kloaka.api.Json;

/**
 * Reads a table's real stream from moto (DescribeStream, GetShardIterator, GetRecords over moto's
 * wire protocol) and hands the records to a handler the way Lambda does: as the event JSON — the
 * stream's own record JSON plus {@code eventSourceARN} — turned into a {@link DynamodbEvent} by the
 * Lambda Java runtime's own event deserializer.
 */
public final class StreamTap {

  private static final String AUTH =
      "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/dynamodb/aws4_request,"
          + " SignedHeaders=host, Signature=0";
  private static final PojoSerializer<DynamodbEvent> EVENTS =
      LambdaEventSerializers.serializerFor(DynamodbEvent.class, StreamTap.class.getClassLoader());

  private final MotoServer server;
  private final String streamArn;
  private final ObjectMapper mapper = Json.newMapper();
  private final Map<String, String> iterators = new HashMap<>();

  StreamTap(MotoServer server, String streamArn) {
    this.server = server;
    this.streamArn = streamArn;
  }

  /** The records written since the last call, as the event JSON Lambda would deliver. */
  public ObjectNode nextEventJson() {
    ArrayNode records = mapper.createArrayNode();
    JsonNode shards =
        call("DescribeStream", Map.of("StreamArn", streamArn))
            .path("StreamDescription")
            .path("Shards");
    for (JsonNode shard : shards) {
      String shardId = shard.path("ShardId").asText();
      String iterator =
          iterators.computeIfAbsent(
              shardId,
              id ->
                  call(
                          "GetShardIterator",
                          Map.of(
                              "StreamArn", streamArn,
                              "ShardId", id,
                              "ShardIteratorType", "TRIM_HORIZON"))
                      .path("ShardIterator")
                      .asText());
      JsonNode page = call("GetRecords", Map.of("ShardIterator", iterator));
      for (JsonNode record : page.path("Records")) {
        ObjectNode withSource = ((ObjectNode) record).deepCopy();
        withSource.put("eventSourceARN", streamArn);
        records.add(withSource);
      }
      iterators.put(shardId, page.path("NextShardIterator").asText());
    }
    ObjectNode event = mapper.createObjectNode();
    event.set("Records", records);
    return event;
  }

  /** The next records as the handler's input type. */
  public DynamodbEvent nextEvent() {
    return toEvent(nextEventJson());
  }

  public static DynamodbEvent toEvent(JsonNode eventJson) {
    return EVENTS.fromJson(eventJson.toString());
  }

  private JsonNode call(String operation, Map<String, String> body) {
    try {
      HttpResponse<String> response =
          server
              .http()
              .send(
                  HttpRequest.newBuilder(server.endpoint())
                      .header("X-Amz-Target", "DynamoDBStreams_20120810." + operation)
                      .header("Content-Type", "application/x-amz-json-1.0")
                      .header("Authorization", AUTH)
                      .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body)))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            operation + " answered " + response.statusCode() + ": " + response.body());
      }
      return mapper.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException(operation + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
