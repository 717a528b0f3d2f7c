package org.kloaka.local.ttn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.kloaka.api.Json;
import org.kloaka.core.Organizer.Outcome;
import org.kloaka.core.ingest.IngestSources;
import org.kloaka.local.ingest.IngestPipeline;
import org.kloaka.local.ingest.UplinkLedger;
import org.kloaka.local.ingest.UplinkLedger.UplinkKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the uplinks stored by The Things Stack's Storage Integration since the newest one Kloaka
 * stored, and ingests those it has not (docs/decisions/021): {@code GET
 * /api/v3/as/applications/{app}/packages/storage/uplink_message?after=…&limit=…&order=received_at}
 * with {@code Authorization: Bearer KEY} and {@code Accept: text/event-stream}; the answer is one
 * JSON object per line, {@code {"result": <uplink>}} (or {@code {"error": …}}).
 *
 * <p>Pages are chained by {@code received_at}: the next page starts at the last one's time. Whether
 * TTN's {@code after} includes that instant or not, nothing is lost or stored twice: the ledger
 * skips an uplink already stored (same device, same received_at).
 */
public final class StorageBackfill {

  /** Uplinks asked for per request. */
  public static final int DEFAULT_PAGE = 1000;

  /** The Storage Integration keeps 30 days on TTN Cloud: older keys are of no more use. */
  static final Duration LEDGER_KEEP = Duration.ofDays(31);

  private static final Logger log = LoggerFactory.getLogger(StorageBackfill.class);

  private final URI base;
  private final String applicationId;
  private final TtnKey key;
  private final IngestPipeline pipeline;
  private final UplinkLedger ledger;
  private final IngestSources.Source status;
  private final int page;
  private final HttpClient http;
  private final ObjectMapper mapper = Json.newMapper();

  public StorageBackfill(
      URI base,
      String applicationId,
      TtnKey key,
      IngestPipeline pipeline,
      UplinkLedger ledger,
      IngestSources.Source status,
      int page) {
    this.base = base;
    this.applicationId = applicationId;
    this.key = key;
    this.pipeline = pipeline;
    this.ledger = ledger;
    this.status = status;
    this.page = page;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** What one backfill did. */
  public record Result(long fetched, long stored, long millis) {}

  /** Why a backfill stopped, in words (never the key). */
  public static final class BackfillException extends Exception {
    private static final long serialVersionUID = 1L;

    BackfillException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Fetches and ingests everything after {@code cursor} (epoch nanoseconds of the newest uplink
   * stored before this connection); with no cursor (no uplink ever came from TTN) there is no gap
   * to fill.
   */
  public Result run(OptionalLong cursor) throws BackfillException {
    long start = System.nanoTime();
    if (cursor.isEmpty()) {
      log.info("The Things Stack storage: no uplink stored from TTN yet, nothing to backfill");
      return new Result(0, 0, 0);
    }
    ledger.pruneBefore(cursor.getAsLong() - LEDGER_KEEP.toNanos());
    Instant after = nanosToInstant(cursor.getAsLong());
    long fetched = 0;
    long stored = 0;
    while (true) {
      Page next = fetch(after);
      fetched += next.uplinks().size();
      stored += ingest(next.uplinks());
      if (next.uplinks().size() < page || next.last() == null || !next.last().isAfter(after)) {
        break;
      }
      after = next.last();
    }
    return new Result(fetched, stored, (System.nanoTime() - start) / 1_000_000);
  }

  private record Page(List<byte[]> uplinks, Instant last) {}

  private Page fetch(Instant after) throws BackfillException {
    URI uri =
        URI.create(
            base.toString().replaceAll("/+$", "")
                + "/api/v3/as/applications/"
                + URLEncoder.encode(applicationId, StandardCharsets.UTF_8)
                + "/packages/storage/uplink_message?order=received_at&limit="
                + page
                + "&after="
                + URLEncoder.encode(after.toString(), StandardCharsets.UTF_8));
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + key.bearer())
            .header("Accept", "text/event-stream")
            .GET()
            .build();
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new BackfillException(
          "cannot reach " + base + " (" + e.getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackfillException("interrupted");
    }
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        throw new BackfillException(
            base
                + " answered "
                + response.statusCode()
                + (response.statusCode() == 401 || response.statusCode() == 403
                    ? " (the API key may not read this application's stored traffic)"
                    : response.statusCode() == 404
                        ? " (is the Storage Integration enabled for " + applicationId + "?)"
                        : ""));
      }
      return read(body);
    } catch (IOException e) {
      throw new BackfillException(
          "the answer from " + base + " broke off (" + e.getMessage() + ")");
    }
  }

  private Page read(InputStream body) throws IOException, BackfillException {
    List<byte[]> uplinks = new ArrayList<>();
    Instant last = null;
    BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    String line;
    while ((line = lines.readLine()) != null) {
      String text = line.strip();
      if (text.startsWith("data:")) {
        text = text.substring(5).strip(); // server-sent events framing, if a proxy adds it
      }
      if (text.isEmpty() || text.startsWith(":") || text.startsWith("event:")) {
        continue;
      }
      JsonNode node;
      try {
        node = mapper.readTree(text);
      } catch (JsonProcessingException e) {
        throw new BackfillException("a line of the answer is not JSON: " + Json.explain(e));
      }
      if (node.has("error")) {
        throw new BackfillException(
            "The Things Stack reported an error: " + node.get("error").path("message").asText("?"));
      }
      JsonNode result = node.get("result");
      if (result == null || !result.isObject()) {
        continue;
      }
      byte[] uplink = mapper.writeValueAsBytes(result);
      uplinks.add(uplink);
      Instant at = UplinkKey.of(uplink).map(k -> nanosToInstant(k.receivedNanos())).orElse(null);
      if (at != null && (last == null || at.isAfter(last))) {
        last = at;
      }
    }
    return new Page(uplinks, last);
  }

  /** Stores a page in order; answers how many were new. */
  private long ingest(List<byte[]> uplinks) throws BackfillException {
    List<CompletableFuture<Outcome>> pending = new ArrayList<>(uplinks.size());
    for (byte[] uplink : uplinks) {
      status.message();
      pending.add(pipeline.submitUplink(uplink, UplinkKey.of(uplink).orElse(null)));
    }
    long stored = 0;
    for (CompletableFuture<Outcome> outcome : pending) {
      try {
        if (!(outcome.join() instanceof Outcome.Duplicate)) {
          stored++;
        }
      } catch (CompletionException e) {
        throw new BackfillException("an uplink could not be stored: " + e.getCause().getMessage());
      }
    }
    return stored;
  }

  private static Instant nanosToInstant(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }
}
