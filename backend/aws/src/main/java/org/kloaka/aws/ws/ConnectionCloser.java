package org.kloaka.aws.ws;

import org.kloaka.core.port.OperatorSessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

/**
 * Closes a removed operator's WebSocket connections (docs/websocket.md): each one the connections
 * table lists for it is deleted through API Gateway's management API (DeleteConnection), then
 * forgotten. One that is already gone is only forgotten.
 */
public final class ConnectionCloser implements OperatorSessions {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionCloser.class);

  private final ApiGatewayManagementApiClient api;
  private final Connections connections;

  public ConnectionCloser(ApiGatewayManagementApiClient api, Connections connections) {
    this.api = api;
    this.connections = connections;
  }

  @Override
  public void closeAll(String operator) {
    for (String id : connections.of(operator)) {
      try {
        api.deleteConnection(r -> r.connectionId(id));
        LOG.info("closed connection {}: operator {} was removed", id, operator);
      } catch (GoneException e) {
        LOG.debug("connection {} of {} was gone already", id, operator);
      } catch (SdkException e) {
        LOG.warn("cannot close connection {} of removed operator {}", id, operator, e);
        continue; // kept: the token check refuses nothing on an open socket, so try next time
      }
      connections.remove(id);
    }
  }
}
