package org.kloaka.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.kloaka.local.http.ConnectionLimit;
import org.kloaka.local.http.HttpApiServer;
import org.kloaka.local.ws.PushServer;

/**
 * How long the REST and WebSocket servers wait for slow or idle clients and how many connections
 * they hold; the defaults and why are in docs/decisions/017-connection-hardening.md.
 *
 * @param httpRequestTimeout the time to send a whole request (line, headers, body); then 408
 * @param httpIdleTimeout how long a kept-alive REST connection may wait for its next request
 * @param wsHandshakeTimeout the time to send the WebSocket handshake; then 408
 * @param wsIdleTimeout how long a console may send nothing (pinged at half of it); then closed
 * @param perAddress connections at once from one remote address, to each server (loopback is not
 *     counted per address, only in {@code total})
 * @param total connections at once to each server
 */
public record ServerLimits(
    Duration httpRequestTimeout,
    Duration httpIdleTimeout,
    Duration wsHandshakeTimeout,
    Duration wsIdleTimeout,
    int perAddress,
    int total) {

  public static final int DEFAULT_PER_ADDRESS = 32;
  public static final int DEFAULT_TOTAL = 1_000;

  public static ServerLimits defaults() {
    return new ServerLimits(
        HttpApiServer.DEFAULT_REQUEST_TIMEOUT,
        HttpApiServer.DEFAULT_IDLE_TIMEOUT,
        PushServer.DEFAULT_HANDSHAKE_TIMEOUT,
        PushServer.DEFAULT_IDLE_TIMEOUT,
        DEFAULT_PER_ADDRESS,
        DEFAULT_TOTAL);
  }

  public ServerLimits withTimeouts(
      Duration httpRequest, Duration httpIdle, Duration wsHandshake, Duration wsIdle) {
    return new ServerLimits(httpRequest, httpIdle, wsHandshake, wsIdle, perAddress, total);
  }

  public ServerLimits withConnections(int fromOneAddress, int inAll) {
    return new ServerLimits(
        httpRequestTimeout,
        httpIdleTimeout,
        wsHandshakeTimeout,
        wsIdleTimeout,
        fromOneAddress,
        inAll);
  }

  /** A fresh count for one server (each server has its own). */
  ConnectionLimit connectionLimit() {
    return new ConnectionLimit(perAddress, total, true);
  }

  HttpApiServer.Options http() {
    return new HttpApiServer.Options(httpRequestTimeout, httpIdleTimeout, connectionLimit());
  }

  PushServer.Options ws(int maxQueued) {
    return new PushServer.Options(maxQueued, wsHandshakeTimeout, wsIdleTimeout, connectionLimit());
  }

  /** What is wrong with these limits, one sentence each. */
  List<String> problems() {
    List<String> problems = new ArrayList<>();
    positive(problems, "--http-request-timeout", httpRequestTimeout);
    positive(problems, "--http-idle-timeout", httpIdleTimeout);
    positive(problems, "--ws-handshake-timeout", wsHandshakeTimeout);
    positive(problems, "--ws-idle-timeout", wsIdleTimeout);
    if (perAddress < 1) {
      problems.add("--max-connections-per-address must be at least 1, was " + perAddress);
    }
    if (total < 1) {
      problems.add("--max-connections must be at least 1, was " + total);
    }
    return problems;
  }

  private static void positive(List<String> problems, String option, Duration value) {
    if (value == null || value.toMillis() < 2) {
      problems.add(option + " must be a positive duration such as 10s, was " + value);
    }
  }
}
