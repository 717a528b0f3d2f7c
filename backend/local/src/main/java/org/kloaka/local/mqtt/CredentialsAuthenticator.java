package org.kloaka.local.mqtt;

import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Accepts only the configured username and password; anonymous clients are refused. */
final class CredentialsAuthenticator implements SimpleAuthenticator {

  private static final Logger log = LoggerFactory.getLogger(CredentialsAuthenticator.class);

  private final MqttCredentials credentials;

  CredentialsAuthenticator(MqttCredentials credentials) {
    this.credentials = credentials;
  }

  @Override
  public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
    ConnectPacket connect = input.getConnectPacket();
    String username = connect.getUserName().orElse(null);
    byte[] password = connect.getPassword().map(CredentialsAuthenticator::bytes).orElse(null);
    if (credentials.matches(username, password)) {
      output.authenticateSuccessfully();
      return;
    }
    log.warn(
        "Refused MQTT client {} from {}: {}",
        connect.getClientId(),
        input.getConnectionInformation().getInetAddress().map(Object::toString).orElse("?"),
        username == null ? "no username" : "wrong username or password");
    output.failAuthentication(
        ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad user name or password");
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }
}
