package org.kloaka.aws.config;

import org.kloaka.core.Neighbours;

/**
 * Who flows into whom on AWS: the network file from {@code KLOAKA_NETWORK}, else the id convention.
 */
public final class Neighbourhood {

  private Neighbourhood() {}

  public static Neighbours of(Settings settings) {
    return Neighbours.BY_ID_CONVENTION;
  }
}
