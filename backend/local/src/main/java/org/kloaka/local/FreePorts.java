package org.kloaka.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks, before anything starts, that every port the runtime is asked to listen on can be bound:
 * one message names each one taken (and a port given to two servers), instead of one failure at a
 * time after seconds of starting the others (the MQTT broker alone takes 1–6 s to fail). A port
 * taken between this check and the server's own bind still fails that server's start.
 */
public final class FreePorts {

  private FreePorts() {}

  /**
   * @throws StartupException naming every port in use, e.g. "ports in use on 127.0.0.1: 1883
   *     (--mqtt-port), 8080 (--http-port); …"
   */
  static void check(LocalConfig config) {
    Map<String, Integer> wanted = new LinkedHashMap<>();
    if (config.mqtt()) {
      wanted.put("--mqtt-port", config.mqttPort());
    }
    wanted.put("--http-port", config.httpPort());
    wanted.put("--ws-port", config.wsPort());
    InetAddress bind;
    try {
      bind = InetAddress.getByName(config.bind());
    } catch (UnknownHostException e) {
      throw new StartupException("--bind " + config.bind() + " is not an address of this machine");
    }
    List<String> taken = new ArrayList<>();
    List<String> twice = new ArrayList<>();
    Map<Integer, String> seen = new LinkedHashMap<>();
    for (var entry : wanted.entrySet()) {
      int port = entry.getValue();
      if (port == 0) {
        continue; // any free port
      }
      String other = seen.putIfAbsent(port, entry.getKey());
      if (other != null) {
        twice.add(other + " and " + entry.getKey() + " are both " + port);
      } else if (!bindable(bind, port)) {
        taken.add(port + " (" + entry.getKey() + ")");
      }
    }
    List<String> problems = new ArrayList<>();
    if (!taken.isEmpty()) {
      problems.add(
          (taken.size() == 1 ? "port in use on " : "ports in use on ")
              + bind.getHostAddress()
              + ": "
              + String.join(", ", taken)
              + ": stop what uses "
              + (taken.size() == 1 ? "it" : "them")
              + ", or choose other ports (0 picks a free one)");
    }
    if (!twice.isEmpty()) {
      problems.add(String.join(", ", twice) + ": give each server its own port");
    }
    if (!problems.isEmpty()) {
      throw new StartupException(String.join("; ", problems));
    }
  }

  /** Whether a server could listen on {@code port} now (with SO_REUSEADDR, as the servers do). */
  public static boolean bindable(InetAddress bind, int port) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(bind, port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
