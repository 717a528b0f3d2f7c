package org.kloaka.local.mqtt;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.client.parameter.Listener;
import com.hivemq.extension.sdk.api.client.parameter.ServerInformation;
import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kloaka's embedded HiveMQ extension: the ingest interceptors on every connection and, when
 * credentials are configured, the authenticator.
 *
 * <p>HiveMQ's extension SDK hands out its registries only through the static {@link Services}; this
 * is the one class that touches them.
 */
final class IngestExtension implements ExtensionMain {

  private static final Logger log = LoggerFactory.getLogger(IngestExtension.class);

  private final PayloadSink sink;
  private final Optional<MqttCredentials> credentials;
  private final Duration storeTimeout;
  private final AtomicInteger connections = new AtomicInteger();
  private volatile ServerInformation server;

  IngestExtension(PayloadSink sink, Optional<MqttCredentials> credentials, Duration storeTimeout) {
    this.sink = sink;
    this.credentials = credentials;
    this.storeTimeout = storeTimeout;
  }

  @Override
  public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
    server = input.getServerInformation();
    ClientService clients = Services.clientService();
    Services.initializerRegistry()
        .setClientInitializer(
            (initializer, context) -> {
              IngestInterceptors interceptors =
                  new IngestInterceptors(
                      initializer.getClientInformation().getClientId(),
                      sink,
                      clientId -> disconnect(clients, clientId),
                      storeTimeout);
              context.addPublishInboundInterceptor(interceptors);
              context.addPubackOutboundInterceptor(interceptors);
              context.addPubrecOutboundInterceptor(interceptors);
            });
    Services.eventRegistry().setClientLifecycleEventListener(client -> new ConnectionCount());
    credentials.ifPresent(
        expected -> {
          CredentialsAuthenticator authenticator = new CredentialsAuthenticator(expected);
          Services.securityRegistry().setAuthenticatorProvider(provider -> authenticator);
        });
  }

  @Override
  public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
    // Nothing to release: the interceptors die with their connections.
  }

  /** The TCP listeners as bound, with their real ports (0 in the config becomes the chosen one). */
  Set<Listener> listeners() {
    ServerInformation current = server;
    if (current == null) {
      throw new IllegalStateException("the broker's extension has not started");
    }
    return current.getListener();
  }

  /**
   * MQTT connections open now (CONNECT received, not yet gone), so that stopping can wait until
   * HiveMQ has closed them all. Approximate while lifecycle events are on their way; never below 0.
   */
  int connections() {
    return Math.max(0, connections.get());
  }

  /** Counts connections in and out; HiveMQ routes every kind of disconnect to onDisconnect. */
  private final class ConnectionCount implements ClientLifecycleEventListener {
    @Override
    public void onMqttConnectionStart(ConnectionStartInput input) {
      connections.incrementAndGet();
    }

    @Override
    public void onAuthenticationSuccessful(AuthenticationSuccessfulInput input) {}

    @Override
    public void onDisconnect(DisconnectEventInput input) {
      connections.decrementAndGet();
    }
  }

  private static void disconnect(ClientService clients, String clientId) {
    clients
        .disconnectClient(clientId)
        .whenComplete(
            (done, error) -> {
              if (error != null) {
                log.error("Could not disconnect MQTT client {}", clientId, error);
              } else if (!Boolean.TRUE.equals(done)) {
                log.debug("MQTT client {} was already disconnected", clientId);
              }
            });
  }
}
