package org.kloaka.local.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import org.kloaka.api.Json;
import org.kloaka.model.SensorId;

/**
 * The simulated sensors: {@code sensors} spread evenly over {@code tubes}, each publishing plain
 * device messages whose filling encodes a per-sensor sequence number, so a device push can be
 * matched to the publish that caused it.
 *
 * <p>Every normal filling is in [80, 90) — CORRECT flow, so normal traffic raises no problem — and
 * differs from the sensor's previous one, so every message changes {@code last_value} and is
 * pushed. Sequence {@code k} is sent as {@code 80 + (k mod 100000) / 10000}: {@code 80.0001},
 * {@code 80.0002}, …
 */
final class Fleet {

  private static final int SEQUENCES = 100_000;
  private static final int BASE = 800_000; // 80 with four decimals
  // Send times kept per sensor: more than one sensor ever has in flight at a fixed rate. It divides
  // SEQUENCES, so the slot of a sequence is the same whether computed from it or from its digits.
  private static final int RING = 32;

  private final SensorId[] ids;
  private final String[] names;
  private final Map<String, Integer> index = new HashMap<>();
  private final int tubes;
  private final int perTube;
  private final int[] next;
  private final AtomicLongArray sentAt;
  private final AtomicIntegerArray sentSeq;
  private final ObjectWriter writer = Json.newMapper().writerFor(Payload.class);

  /** The device message, as the original devices send it. */
  record Payload(String id, String filling) {}

  Fleet(int sensors, int tubes) {
    if (tubes < 1 || sensors < tubes) {
      throw new IllegalArgumentException("need at least one sensor per tube");
    }
    this.tubes = tubes;
    this.perTube = sensors / tubes;
    int count = perTube * tubes;
    if (perTube > SensorId.MAX_NUMBER || tubes - 1 > SensorId.MAX_NUMBER) {
      throw new IllegalArgumentException("at most 9999 sensors per tube and 10000 tubes");
    }
    ids = new SensorId[count];
    names = new String[count];
    next = new int[count];
    sentAt = new AtomicLongArray(count * RING);
    sentSeq = new AtomicIntegerArray(count * RING);
    // Interleaved by tube, so consecutive messages go to different tubes (and connections).
    for (int i = 0; i < count; i++) {
      ids[i] = new SensorId(i % tubes, 1 + i / tubes);
      names[i] = ids[i].toString();
      index.put(names[i], i);
    }
  }

  int size() {
    return ids.length;
  }

  int tubes() {
    return tubes;
  }

  SensorId id(int sensor) {
    return ids[sensor];
  }

  /** Which sensor has this canonical id, or -1. */
  int indexOf(String id) {
    Integer i = index.get(id);
    return i == null ? -1 : i;
  }

  /** The sensor's tube, 0-based: the publisher connection is chosen by tube, keeping its order. */
  int tubeOf(int sensor) {
    return ids[sensor].tube();
  }

  /**
   * Pairs for fault injection: (T,S) → (T,S+1) with three sensors between pairs, so no two pairs
   * share a sensor or a neighbour. At most {@code max}.
   */
  List<SensorId[]> faultPairs(int max) {
    List<SensorId[]> pairs = new ArrayList<>();
    for (int s = 2; s + 2 <= perTube && pairs.size() < max; s += 4) {
      for (int t = 0; t < tubes && pairs.size() < max; t++) {
        pairs.add(new SensorId[] {new SensorId(t, s), new SensorId(t, s + 1)});
      }
    }
    return pairs;
  }

  /**
   * The next normal message of {@code sensor}, its send time noted as {@code nanoTime}. Only one
   * thread may publish for a given sensor.
   */
  byte[] nextMessage(int sensor, long nanoTime) {
    int seq = next[sensor]++;
    int slot = sensor * RING + seq % RING;
    sentSeq.set(slot, seq);
    sentAt.set(slot, nanoTime);
    return payload(names[sensor], filling(seq));
  }

  /** A message with this filling (a fault), not tracked for device-push latency. */
  byte[] message(SensorId id, String filling) {
    return payload(id.toString(), filling);
  }

  /**
   * When the message that made {@code id}'s {@code last_value} what the push says was published
   * (nanoTime), or -1 when it is not one of ours or no longer remembered.
   */
  long sentAt(String id, String lastValue) {
    int sensor = indexOf(id);
    int seq = sequenceOf(lastValue);
    if (sensor < 0 || seq < 0) {
      return -1;
    }
    // Only the low digits travel; the newest sequence with them is the one that was sent.
    int slot = sensor * RING + seq % RING;
    int sent = sentSeq.get(slot);
    return sent % SEQUENCES == seq ? sentAt.get(slot) : -1;
  }

  static String filling(int seq) {
    return BigDecimal.valueOf(BASE + seq % SEQUENCES, 4).stripTrailingZeros().toPlainString();
  }

  /** The sequence a filling encodes (mod 100000), or -1 for a filling that is not a normal one. */
  static int sequenceOf(String filling) {
    BigDecimal value;
    try {
      value = new BigDecimal(filling);
    } catch (NumberFormatException | NullPointerException e) {
      return -1;
    }
    BigDecimal scaled = value.movePointRight(4);
    if (scaled.stripTrailingZeros().scale() > 0) {
      return -1;
    }
    long seq = scaled.longValue() - BASE;
    return seq >= 0 && seq < SEQUENCES ? (int) seq : -1;
  }

  private byte[] payload(String id, String filling) {
    try {
      return writer.writeValueAsBytes(new Payload(id, filling));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a device message cannot be written as JSON", e);
    }
  }
}
