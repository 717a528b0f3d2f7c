package org.kloaka.local.bench;

/**
 * A fixed-size latency histogram (log-linear buckets, about 0.8 % wide): any number of samples in
 * the same few kilobytes, so a five-minute soak does not grow the heap it is watching. Thread-safe.
 */
final class Latencies {

  // Values below SUB are exact (in microseconds); above, each power of two has HALF buckets.
  private static final int SUB = 256;
  private static final int HALF = SUB / 2;
  private static final int BUCKETS = SUB + 56 * HALF;

  private final long[] counts = new long[BUCKETS];
  private long total;
  private long maxMicros;

  /** Records one latency, in nanoseconds (negative values count as zero). */
  synchronized void record(long nanos) {
    long micros = Math.max(0, nanos / 1_000);
    counts[index(micros)]++;
    total++;
    maxMicros = Math.max(maxMicros, micros);
  }

  synchronized long count() {
    return total;
  }

  /**
   * The latency below which {@code fraction} of the samples fall, in milliseconds (exact below 256
   * µs, else the bucket's middle, capped at the largest sample); {@code NaN} without samples.
   */
  synchronized double quantileMillis(double fraction) {
    if (total == 0) {
      return Double.NaN;
    }
    long rank = Math.max(1, (long) Math.ceil(fraction * total));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        // Exact buckets give their value; wider ones their middle.
        double value = i < SUB ? i : (lowerBound(i) + lowerBound(i + 1)) / 2.0;
        return Math.min(value, maxMicros) / 1_000.0;
      }
    }
    return maxMicros / 1_000.0;
  }

  synchronized double maxMillis() {
    return total == 0 ? Double.NaN : maxMicros / 1_000.0;
  }

  static int index(long micros) {
    if (micros < SUB) {
      return (int) micros;
    }
    int shift = 63 - Long.numberOfLeadingZeros(micros) - 7; // micros >> shift is in [128, 256)
    return Math.min(BUCKETS - 1, SUB + (shift - 1) * HALF + (int) ((micros >> shift) - HALF));
  }

  static long lowerBound(int index) {
    if (index < SUB) {
      return index;
    }
    int shift = (index - SUB) / HALF + 1;
    return (long) (HALF + (index - SUB) % HALF) << shift;
  }
}
