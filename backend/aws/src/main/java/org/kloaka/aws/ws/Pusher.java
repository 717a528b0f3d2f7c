package org.kloaka.aws.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.kloaka.api.Push;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

/**
 * Sends frames to every open connection through API Gateway's management API. Delivery is best
 * effort (CONTRACT §5): a connection that fails for another reason than 410 Gone is logged and
 * skipped, never retried, so a retried batch cannot push a frame twice to the consoles that already
 * had it. A connection that answers Gone is removed and not tried again in this call.
 */
public final class Pusher {

  private static final Logger LOG = LoggerFactory.getLogger(Pusher.class);

  private final ApiGatewayManagementApiClient api;
  private final Connections connections;
  private final ObjectMapper mapper;

  public Pusher(ApiGatewayManagementApiClient api, Connections connections, ObjectMapper mapper) {
    this.api = api;
    this.connections = connections;
    this.mapper = mapper;
  }

  /** What one {@link #push} did. */
  public record Delivery(int sent, int failed, List<String> gone) {}

  /**
   * Sends each frame, in order, to every live connection.
   *
   * @throws software.amazon.awssdk.core.exception.SdkException when the connections cannot be read
   *     (nothing was sent then, so the caller may retry)
   */
  public Delivery push(List<Push> frames) {
    if (frames.isEmpty()) {
      return new Delivery(0, 0, List.of());
    }
    List<SdkBytes> bodies = new ArrayList<>(frames.size());
    for (Push frame : frames) {
      bodies.add(SdkBytes.fromByteArrayUnsafe(json(frame)));
    }
    List<String> open = connections.live();
    Set<String> gone = new HashSet<>();
    int sent = 0;
    int failed = 0;
    for (SdkBytes body : bodies) {
      for (String id : open) {
        if (gone.contains(id)) {
          continue;
        }
        try {
          api.postToConnection(r -> r.connectionId(id).data(body));
          sent++;
        } catch (GoneException e) {
          gone.add(id);
          forget(id);
        } catch (SdkException e) {
          failed++;
          LOG.warn("push to connection {} failed; skipping it (best effort)", id, e);
        }
      }
    }
    return new Delivery(sent, failed, List.copyOf(gone));
  }

  private void forget(String id) {
    try {
      connections.remove(id);
    } catch (SdkException e) {
      // Harmless: the TTL removes it within two hours, and the next push tries it again.
      LOG.warn("connection {} is gone but could not be removed", id, e);
    }
  }

  private byte[] json(Push frame) {
    try {
      return mapper.writeValueAsBytes(frame);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write push frame " + frame, e);
    }
  }
}
