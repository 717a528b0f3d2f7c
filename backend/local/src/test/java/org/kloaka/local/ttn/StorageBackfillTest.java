package org.kloaka.local.ttn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kloaka.local.RunningRuntime.get;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.core.ingest.IngestSources;
import org.kloaka.local.LocalConfig;
import org.kloaka.local.LocalRuntime;
import org.kloaka.local.MutableClock;
import org.kloaka.local.ingest.UplinkLedger.UplinkKey;

/**
 * The backfill from The Things Stack's Storage Integration against a local HTTP server serving its
 * documented format, into a real runtime's store: what was missed is stored once, what was stored
 * live is skipped, across pages and repeated runs; failures are errors in words.
 */
class StorageBackfillTest {

  static final String KEY = "NNSXS.BACKFILLKEY.SECRET";
  static final Instant T = Instant.parse("2026-11-27T10:00:00.123456789Z");

  @TempDir Path dir;
  LocalRuntime runtime;
  StorageServer storage;
  TtnKey key;

  @BeforeEach
  void start() throws Exception {
    runtime =
        LocalRuntime.start(
            LocalConfig.defaults()
                .withDataDir(dir.resolve("data"))
                .withPorts(0, 0, 0)
                .withEnv(Map.of())
                .withClock(new MutableClock(T.plusSeconds(86_400)))
                .withoutMqtt());
    storage = new StorageServer("kloaka", KEY);
    Path file = dir.resolve("key");
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, KEY);
    key = TtnKey.read(file);
  }

  @AfterEach
  void stop() {
    storage.close();
    runtime.close();
  }

  StorageBackfill backfill(int page) {
    return new StorageBackfill(
        storage.base(),
        "kloaka",
        key,
        runtime.pipeline(),
        runtime.ledger(),
        new IngestSources(java.time.Clock.systemUTC(), "test").source("ttn", "connected"),
        page);
  }

  static byte[] uplink(int device, Instant at, int filling) {
    return ("{\"end_device_ids\":{\"device_id\":\"kloaka-"
            + device
            + "-1\",\"application_ids\":"
            + "{\"application_id\":\"kloaka\"}},\"correlation_ids\":[\"as:up:"
            + at.toEpochMilli()
            + "\"],\"received_at\":\""
            + at
            + "\",\"uplink_message\":{\"f_cnt\":"
            + (filling + 1)
            + ",\"decoded_payload\":{\"filling\":"
            + filling
            + "},\"rx_metadata\":[{\"gateway_ids\":"
            + "{\"gateway_id\":\"gw\"},\"rssi\":-90,\"snr\":7.25}]}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Stores one uplink as the live MQTT path does; answers its key. */
  void storeLive(byte[] uplink) throws Exception {
    runtime
        .pipeline()
        .submitUplink(uplink, UplinkKey.of(uplink).orElseThrow())
        .get(10, TimeUnit.SECONDS);
  }

  long rows(int tube) throws Exception {
    return get(runtime, "/devices/" + tube + "-1/measurements?limit=10000")
        .path("measurements")
        .size();
  }

  @Test
  void theMissedUplinksAreStoredOnceAcrossPagesAndTheLiveOnesSkipped() throws Exception {
    // Stored live, then the connection dropped; the storage kept everything, the live ones too.
    for (int i = 0; i < 3; i++) {
      byte[] live = uplink(10, T.plusSeconds(i), 50);
      storeLive(live);
      storage.add(T.plusSeconds(i), live);
    }
    for (int i = 3; i < 2_503; i++) {
      storage.add(T.plusSeconds(i), uplink(10 + i % 5, T.plusSeconds(i), i % 101));
    }

    StorageBackfill.Result result = backfill(1000).run(runtime.ledger().newestNanos());

    assertThat(result.stored()).isEqualTo(2_500);
    assertThat(rows(10) + rows(11) + rows(12) + rows(13) + rows(14)).isEqualTo(2_503);
    assertThat(storage.requests).hasSize(3);
    assertThat(storage.requests.get(0).getRawQuery())
        .contains("order=received_at", "limit=1000", "after=2026-11-27T10%3A00%3A02.123456789Z");
    // Kloaka restarts, or TTN does, and the next connection backfills again: nothing twice.
    StorageBackfill.Result again = backfill(1000).run(runtime.ledger().newestNanos());
    assertThat(again.stored()).isZero();
    assertThat(rows(10) + rows(11) + rows(12) + rows(13) + rows(14)).isEqualTo(2_503);
    assertThat(get(runtime, "/devices/10-1").path("f_cnt").asLong()).isEqualTo((2_500 % 101) + 1);
  }

  @Test
  void anAfterThatIncludesItsInstantStoresNothingTwice() throws Exception {
    byte[] live = uplink(10, T, 50);
    storeLive(live);
    storage.add(T, live);
    storage.add(T.plusNanos(1), uplink(10, T.plusNanos(1), 60));

    // Asked from a cursor a nanosecond early, the server sends the stored one again.
    StorageBackfill.Result result =
        backfill(10).run(java.util.OptionalLong.of(runtime.ledger().newestNanos().getAsLong() - 1));

    assertThat(result.fetched()).isEqualTo(2);
    assertThat(result.stored()).isEqualTo(1);
    assertThat(rows(10)).isEqualTo(2);
  }

  @Test
  void tenThousandMissedUplinksAreBackfilledAndTimed() throws Exception {
    storeLive(uplink(10, T, 50));
    for (int i = 1; i <= 10_000; i++) {
      storage.add(T.plusMillis(i * 100L), uplink(10 + i % 50, T.plusMillis(i * 100L), i % 101));
    }

    StorageBackfill.Result result =
        backfill(StorageBackfill.DEFAULT_PAGE).run(runtime.ledger().newestNanos());

    System.out.printf(
        "Storage backfill: %d uplinks fetched and stored in %d ms (%.0f uplinks/s)%n",
        result.stored(), result.millis(), result.stored() * 1000.0 / Math.max(1, result.millis()));
    assertThat(result.stored()).isEqualTo(10_000);
    long total = 0;
    for (int t = 10; t < 60; t++) {
      total += rows(t);
    }
    assertThat(total).isEqualTo(10_001);
  }

  @Test
  void withNoUplinkFromTtnStoredYetThereIsNoGapToFill() throws Exception {
    storage.add(T, uplink(10, T, 50));

    assertThat(backfill(10).run(runtime.ledger().newestNanos()).fetched()).isZero();
    assertThat(storage.requests).isEmpty();
  }

  @Test
  void failuresAreErrorsInWordsAndARetryStoresWhatIsMissing() throws Exception {
    storeLive(uplink(10, T, 50));
    for (int i = 1; i <= 100; i++) {
      storage.add(T.plusSeconds(i), uplink(10, T.plusSeconds(i), i));
    }

    storage.status = 503;
    assertThatThrownBy(() -> backfill(10).run(runtime.ledger().newestNanos()))
        .isInstanceOf(StorageBackfill.BackfillException.class)
        .hasMessageContaining("503");
    storage.status = 200;
    storage.breakOff = true;
    assertThatThrownBy(() -> backfill(1000).run(runtime.ledger().newestNanos()))
        .isInstanceOf(StorageBackfill.BackfillException.class)
        .hasMessageContaining("broke off");
    storage.breakOff = false;
    Path wrong = dir.resolve("wrong");
    Files.createFile(
        wrong, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(wrong, "NNSXS.WRONG");
    StorageBackfill wrongKey =
        new StorageBackfill(
            storage.base(),
            "kloaka",
            TtnKey.read(wrong),
            runtime.pipeline(),
            runtime.ledger(),
            new IngestSources(java.time.Clock.systemUTC(), "test").source("ttn", "connected"),
            10);
    assertThatThrownBy(() -> wrongKey.run(runtime.ledger().newestNanos()))
        .isInstanceOf(StorageBackfill.BackfillException.class)
        .hasMessageContaining("401")
        .hasMessageContaining("API key")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("NNSXS"));

    StorageBackfill.Result result = backfill(10).run(runtime.ledger().newestNanos());

    assertThat(rows(10)).isEqualTo(101);
    assertThat(result.stored()).isLessThanOrEqualTo(100);
  }
}
