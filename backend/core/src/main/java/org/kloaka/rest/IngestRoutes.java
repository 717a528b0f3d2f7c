package org.kloaka.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.kloaka.api.Responses;
import org.kloaka.core.Organizer.Outcome;
import org.kloaka.core.ingest.IngestSources;
import org.kloaka.core.port.UplinkIngest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /uplinks} (a TTN webhook delivery or a plain payload, answered once stored) and
 * {@code GET /status} (each ingest path's state), as openapi.yaml describes them.
 */
final class IngestRoutes {

  static final String WEBHOOK = "webhook";

  private static final Logger log = LoggerFactory.getLogger(IngestRoutes.class);

  private final UplinkIngest uplinks;
  private final IngestSources sources;
  private final IngestSources.Source webhook;

  IngestRoutes(UplinkIngest uplinks, IngestSources sources) {
    this.uplinks = Objects.requireNonNull(uplinks, "uplinks");
    this.sources = Objects.requireNonNull(sources, "sources");
    this.webhook = sources.source(WEBHOOK, uplinks == UplinkIngest.NONE ? "off" : "up");
  }

  Responses.UplinkAnswer uplink(ApiRequest request) {
    QueryParameters.parse(request.rawQuery(), Set.of());
    Outcome outcome;
    try {
      outcome = uplinks.ingest(request.body());
    } catch (RuntimeException e) {
      log.error("A webhook uplink of {} bytes could not be stored", request.body().length, e);
      webhook.error("an uplink could not be stored: " + e.getMessage());
      // 503: TTN counts it as a failed delivery; a sender with retries tries again.
      throw new ApiException(503, "the uplink could not be stored; try again");
    }
    webhook.message();
    if (outcome instanceof Outcome.Rejected rejected) {
      return new Responses.UplinkAnswer("rejected", rejected.reason());
    }
    return new Responses.UplinkAnswer("stored", null);
  }

  Responses.Status status(ApiRequest request) {
    QueryParameters.parse(request.rawQuery(), Set.of());
    IngestSources.Snapshot now = sources.status();
    List<Responses.Source> list = new ArrayList<>();
    for (IngestSources.SourceState source : now.sources()) {
      list.add(
          new Responses.Source(
              source.name(),
              source.state(),
              source.since(),
              source.messages(),
              source.lastMessage(),
              source.error()));
    }
    // The router fills in the notification counts (NotificationRoutes).
    return new Responses.Status(
        now.version(), now.started(), list, new Responses.Notifications(0, 0));
  }
}
