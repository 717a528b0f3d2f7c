package org.kloaka.local.mqtt;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.interceptor.puback.PubackOutboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.puback.parameter.PubackOutboundInput;
import com.hivemq.extension.sdk.api.interceptor.puback.parameter.PubackOutboundOutput;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.interceptor.pubrec.PubrecOutboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.pubrec.parameter.PubrecOutboundInput;
import com.hivemq.extension.sdk.api.interceptor.pubrec.parameter.PubrecOutboundOutput;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.kloaka.local.RepeatedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest interceptors of ONE client connection (HiveMQ builds them per connection through the
 * client initializer, so their state dies with the connection).
 *
 * <p>A PUBLISH on {@value #TOPIC} goes to the sink, whatever its QoS, and on to any subscriber
 * unchanged. For QoS 1 the PUBACK (for QoS 2 the PUBREC) is held until the sink's future completes
 * normally, i.e. until the transaction holding the message has committed. If the future fails or
 * does not complete within {@code storeTimeout}, the client is disconnected and the held
 * acknowledgement is never released: an MQTT 3.1.1 client cannot be told "not stored" any other
 * way, and a disconnected client resends its unacknowledged messages when it reconnects.
 */
final class IngestInterceptors
    implements PublishInboundInterceptor, PubackOutboundInterceptor, PubrecOutboundInterceptor {

  /** The device topic (docs/ingest.md). */
  static final String TOPIC = "kloaka_from_device";

  private static final Logger log = LoggerFactory.getLogger(IngestInterceptors.class);
  // Shared by every client's interceptors, as the logger is: repeats are counted across clients.
  private static final RepeatedLog NOT_STORED = new RepeatedLog(log);

  private final String clientId;
  private final PayloadSink sink;
  private final Consumer<String> disconnect;
  private final Duration storeTimeout;
  // Futures of this connection's QoS 1/2 device messages whose acknowledgement has not gone out
  // yet,
  // by packet id. A deque, because a misbehaving client may reuse a packet id before its ack.
  private final Map<Integer, ArrayDeque<CompletableFuture<?>>> unacknowledged = new HashMap<>();

  /**
   * @param disconnect closes the connection of a client id (HiveMQ's client service)
   * @param storeTimeout how long an acknowledgement may wait for the store before the client is
   *     disconnected; must be shorter than the broker's hold on the acknowledgement
   */
  IngestInterceptors(
      String clientId, PayloadSink sink, Consumer<String> disconnect, Duration storeTimeout) {
    this.clientId = clientId;
    this.sink = sink;
    this.disconnect = disconnect;
    this.storeTimeout = storeTimeout;
  }

  @Override
  public void onInboundPublish(PublishInboundInput input, PublishInboundOutput output) {
    PublishPacket packet = input.getPublishPacket();
    if (!TOPIC.equals(packet.getTopic())) {
      return;
    }
    CompletableFuture<?> stored = submit(copy(packet.getPayload().orElse(null)));
    if (packet.getQos() == Qos.AT_MOST_ONCE) {
      // Nothing to hold back; a failure is the pipeline's to log, and QoS 0 may be lost.
      stored.whenComplete(
          (ignored, error) -> {
            if (error != null) {
              log.debug("A QoS 0 message from {} was not stored: {}", clientId, error.toString());
            }
          });
      return;
    }
    synchronized (unacknowledged) {
      unacknowledged
          .computeIfAbsent(packet.getPacketId(), id -> new ArrayDeque<>(1))
          .addLast(stored);
    }
  }

  @Override
  public void onOutboundPuback(PubackOutboundInput input, PubackOutboundOutput output) {
    CompletableFuture<?> stored = take(input.getPubackPacket().getPacketIdentifier());
    if (stored != null) {
      hold(stored, () -> output.async(holdTimeout()));
    }
  }

  @Override
  public void onOutboundPubrec(PubrecOutboundInput input, PubrecOutboundOutput output) {
    CompletableFuture<?> stored = take(input.getPubrecPacket().getPacketIdentifier());
    if (stored != null) {
      hold(stored, () -> output.async(holdTimeout()));
    }
  }

  /** How long HiveMQ holds the acknowledgement: longer than we wait, so we always decide first. */
  private Duration holdTimeout() {
    return storeTimeout.plus(storeTimeout);
  }

  private CompletableFuture<?> submit(byte[] payload) {
    try {
      CompletableFuture<?> stored = sink.submit(payload);
      return stored != null
          ? stored
          : CompletableFuture.failedFuture(new IllegalStateException("the sink answered null"));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * The future(s) an acknowledgement of this packet id must wait for: the oldest one, and any that
   * reuse the id after it (so no acknowledgement of the id goes out while a message under it is
   * unstored). Null when the packet was not a device message (other topics pass untouched).
   */
  private CompletableFuture<?> take(int packetId) {
    synchronized (unacknowledged) {
      ArrayDeque<CompletableFuture<?>> futures = unacknowledged.get(packetId);
      if (futures == null) {
        return null;
      }
      CompletableFuture<?> all =
          futures.size() == 1
              ? futures.peekFirst()
              : CompletableFuture.allOf(futures.toArray(CompletableFuture<?>[]::new));
      futures.pollFirst();
      if (futures.isEmpty()) {
        unacknowledged.remove(packetId);
      }
      return all;
    }
  }

  private void hold(CompletableFuture<?> stored, Supplier<Async<?>> goAsync) {
    if (stored.isDone() && !stored.isCompletedExceptionally()) {
      return; // already committed: the acknowledgement may go now
    }
    Async<?> held = goAsync.get();
    stored
        .copy()
        .orTimeout(storeTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (ignored, error) -> {
              if (error == null) {
                held.resume();
                return;
              }
              // Never resume: the acknowledgement must not reach the client. Closing the
              // connection makes its client resend; the held ack later fails on the closed channel.
              // Once a minute with a count: a full disk fails every message of every client.
              NOT_STORED.warn(
                  error.getClass().getName(),
                  "A device message from MQTT client "
                      + clientId
                      + " was not stored ("
                      + error
                      + "); disconnecting the client so it resends",
                  null);
              disconnect.accept(clientId);
            });
  }

  private static byte[] copy(ByteBuffer payload) {
    if (payload == null) {
      return new byte[0];
    }
    byte[] bytes = new byte[payload.remaining()];
    payload.duplicate().get(bytes);
    return bytes;
  }
}
