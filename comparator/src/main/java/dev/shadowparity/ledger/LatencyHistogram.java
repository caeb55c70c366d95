package dev.shadowparity.ledger;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * A lock-free latency histogram with log-spaced buckets (each 10% wider than the last, from 10 µs to
 * about 20 minutes), so percentiles are within 10% of the true value in bounded memory.
 */
public final class LatencyHistogram {

  private static final double FIRST_BOUND_NANOS = 10_000;
  private static final double GROWTH = 1.1;
  private static final int BUCKETS = 200;
  private static final double LOG_GROWTH = Math.log(GROWTH);

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS + 1);
  private final LongAdder total = new LongAdder();
  private final LongAccumulator max = new LongAccumulator(Math::max, 0);

  public void record(long nanos) {
    if (nanos <= 0) {
      return; // unknown latency (e.g. a response read from a file)
    }
    counts.incrementAndGet(bucketOf(nanos));
    total.increment();
    max.accumulate(nanos);
  }

  static int bucketOf(long nanos) {
    if (nanos <= FIRST_BOUND_NANOS) {
      return 0;
    }
    int b = (int) Math.ceil(Math.log(nanos / FIRST_BOUND_NANOS) / LOG_GROWTH);
    return Math.min(b, BUCKETS);
  }

  static double upperBoundNanos(int bucket) {
    return FIRST_BOUND_NANOS * Math.pow(GROWTH, bucket);
  }

  public long count() {
    return total.sum();
  }

  public long maxNanos() {
    return max.get();
  }

  /** The latency below which the fraction {@code q} (0..1) of recordings fall, in nanoseconds; 0 when empty. */
  public double percentileNanos(double q) {
    long n = 0;
    long[] snapshot = new long[BUCKETS + 1];
    for (int i = 0; i <= BUCKETS; i++) {
      snapshot[i] = counts.get(i);
      n += snapshot[i];
    }
    if (n == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(q * n));
    long seen = 0;
    for (int i = 0; i <= BUCKETS; i++) {
      seen += snapshot[i];
      if (seen >= rank) {
        return Math.min(upperBoundNanos(i), max.get());
      }
    }
    return max.get();
  }

  /** Buckets of the histogram, for persisting it; {@link #bucket(int)} reads one. */
  public static int buckets() {
    return BUCKETS + 1;
  }

  /** Recordings in one bucket. */
  public long bucket(int i) {
    return counts.get(i);
  }

  /** Adds recordings to a bucket, as when a persisted histogram is loaded. */
  public void addToBucket(int i, long n) {
    counts.addAndGet(i, n);
    total.add(n);
  }

  /** Raises the maximum to at least {@code nanos}, as when a persisted histogram is loaded. */
  public void accumulateMax(long nanos) {
    max.accumulate(nanos);
  }

  public void reset() {
    for (int i = 0; i <= BUCKETS; i++) {
      counts.set(i, 0);
    }
    total.reset();
    max.reset();
  }
}
