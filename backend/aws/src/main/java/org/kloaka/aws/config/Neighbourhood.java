package org.kloaka.aws.config;

import java.nio.charset.StandardCharsets;
import org.kloaka.core.network.Network;
import org.kloaka.core.network.NetworkException;
import org.kloaka.core.network.NetworkFiles;

/**
 * The network on AWS: the network file's JSON from {@code KLOAKA_NETWORK} (serverless.yml's {@code
 * network} parameter), validated exactly as the local runtime validates a file, else the id
 * convention.
 */
public final class Neighbourhood {

  private Neighbourhood() {}

  /**
   * @throws IllegalStateException with every problem the network file has, so a bad deploy fails at
   *     the cold start with a message naming what to fix
   */
  public static Network of(Settings settings) {
    String json = settings.optional(Settings.NETWORK);
    if (json == null) {
      return Network.byIdConvention();
    }
    String headline = "network in " + Settings.NETWORK;
    try {
      return Network.of(NetworkFiles.parse(headline, json.getBytes(StandardCharsets.UTF_8)));
    } catch (NetworkException e) {
      throw new IllegalStateException(
          e.headline().equals(headline) ? e.getMessage() : e.withHeadline(headline).getMessage(),
          e);
    }
  }
}
