package dev.shadowparity.ledger;

import dev.shadowparity.engine.Cause;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import dev.shadowparity.report.Sample;

/** The running counts of one endpoint; lock-free, updated from any thread. */
final class EndpointStats {

  /**
   * Held shared by each recording (it touches several counters: a field, then the mismatch, then the total) and
   * exclusively while the store takes its snapshot, so that a snapshot never holds half a recording: a
   * {@code kill -9} right after a flush never leaves a field counted without its mismatch. Recordings run on the
   * compare threads (never an event loop) and wait at most one endpoint's snapshot.
   */
  final java.util.concurrent.locks.StampedLock recording = new java.util.concurrent.locks.StampedLock();
  /**
   * Set (under {@link #recording}, exclusively) when a new period took the endpoint's counts away: a recording that
   * finds it set goes to the endpoint's new stats, so nothing lands in counts that were already handed over.
   */
  volatile boolean retired;
  final LongAdder compared = new LongAdder();
  final LongAdder matched = new LongAdder();
  /** Compared and different only at noise fields, at the time. */
  final LongAdder noiseOnly = new LongAdder();
  /** Compared and different only at differences a baseline accepted (and noise), at the time. */
  final LongAdder accepted = new LongAdder();
  /** Per baseline entry id, the compared exchanges in which it accepted a difference. */
  final Map<String, LongAdder> acceptedEntries = new ConcurrentHashMap<>();
  /**
   * Per query shape (the sorted names of the query parameters), the compared and the mismatched exchanges, as
   * recorded; bounded by {@link QueryShape#MAX_PER_ENDPOINT}, the rest under {@link QueryShape#OTHER}.
   */
  final Map<String, LongAdder[]> queryShapes = new ConcurrentHashMap<>();
  /** Mismatches as recorded; never lowered (those later found to be noise are marked per {@link Signature}). */
  final LongAdder mismatched = new LongAdder();
  /** OLD's failures on requests that were not mirrored (skipped), by kind wire name: OLD's health, not evidence. */
  final Map<String, LongAdder> unmirroredOldErrors = new ConcurrentHashMap<>();
  final Map<NotComparableReason, LongAdder> notComparable = new ConcurrentHashMap<>();
  /** Compared exchanges of which a part was not compared, by part and why ({@code body: not recorded}). */
  final Map<String, LongAdder> notCompared = new ConcurrentHashMap<>();
  final LongAdder errors = new LongAdder();
  final LongAdder newErrors = new LongAdder();
  final Map<String, LongAdder> errorKinds = new ConcurrentHashMap<>();
  final Map<SkipReason, LongAdder> skipped = new ConcurrentHashMap<>();
  /** Keyed by field key, then kind wire name. */
  final Map<String, Map<String, FieldStats>> fields = new ConcurrentHashMap<>();
  /** Mismatching exchanges per likely cause, each exchange once per cause. */
  final Map<Cause, LongAdder> causes = new ConcurrentHashMap<>();
  /** OLD-vs-OLD comparisons of repeated identical requests, and the exchanges that differed per field key. */
  final LongAdder oldProbes = new LongAdder();
  /** Repeated identical requests not compared for noise because a write that reached OLD only came between them. */
  final LongAdder repeatsAfterWrites = new LongAdder();
  final Map<String, LongAdder> oldProbeFields = new ConcurrentHashMap<>();
  /** Exchanges with a secondary OLD answer; per field key, how many differed OLD vs OLD and OLD vs NEW. */
  final LongAdder secondaryTrials = new LongAdder();
  final Map<String, LongAdder> secondaryOldFields = new ConcurrentHashMap<>();
  final Map<String, LongAdder> secondaryNewFields = new ConcurrentHashMap<>();
  /**
   * Mismatched exchanges by the set of (field, kind) they differed at, so that those whose fields all became
   * noise later (learned after they were recorded) can be counted as matches in the report. Bounded: past
   * {@link Ledger#MAX_SIGNATURES} distinct sets, further mismatches are not reconsidered.
   */
  final Map<Set<FieldKind>, Signature> mismatchSignatures = new ConcurrentHashMap<>();
  /** Exchanges in which a field's difference was discounted as noise, per field key. */
  final Map<String, LongAdder> noiseFields = new ConcurrentHashMap<>();
  final LatencyHistogram oldLatency = new LatencyHistogram();
  final LatencyHistogram newLatency = new LatencyHistogram();
  /** Samples per field key, each bounded; {@link #sampleCount} bounds them all. */
  final Map<String, SampleSlot> samples = new ConcurrentHashMap<>();
  final AtomicInteger sampleCount = new AtomicInteger();

  static LongAdder adder(Map<String, LongAdder> map, String key) {
    return map.computeIfAbsent(key, k -> new LongAdder());
  }

  static Signature signature(Map<Set<FieldKind>, Signature> map, Set<FieldKind> key) {
    return map.computeIfAbsent(key, k -> new Signature());
  }

  /** Mismatches that differed at one set of (field, kind): how many, and how many of them were reclassified as noise. */
  static final class Signature {
    final LongAdder count = new LongAdder();
    final java.util.concurrent.atomic.AtomicLong settled = new java.util.concurrent.atomic.AtomicLong();
  }

  /** One field key and kind: the mismatching exchanges that differed there, and how many of them per cause. */
  static final class FieldStats {
    final LongAdder count = new LongAdder();
    /** Exchanges whose every difference at this field and kind had that cause. */
    final Map<Cause, LongAdder> causes = new ConcurrentHashMap<>(4);
  }

  /** The samples of one field: slots are reserved atomically before a sample is made, so the cap is exact. */
  static final class SampleSlot {
    final AtomicInteger reserved = new AtomicInteger();
    final Queue<Sample> samples = new ConcurrentLinkedQueue<>();

    boolean reserve(int cap) {
      if (reserved.incrementAndGet() > cap) {
        reserved.decrementAndGet();
        return false;
      }
      return true;
    }

    void release() {
      reserved.decrementAndGet();
    }
  }
}
