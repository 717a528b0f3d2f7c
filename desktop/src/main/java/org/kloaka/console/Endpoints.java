package org.kloaka.console;

import java.net.URI;

/**
 * Where a backend answers: REST, WebSocket, MQTT (null when unknown, e.g. on AWS) and the token.
 */
public record Endpoints(URI http, URI ws, URI mqtt, String token) {

  @Override
  public String toString() {
    return "Endpoints[http=" + http + ", ws=" + ws + ", mqtt=" + mqtt + ", token=…]";
  }
}
