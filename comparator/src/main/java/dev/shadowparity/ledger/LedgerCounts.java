package dev.shadowparity.ledger;

import dev.shadowparity.engine.Cause;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every count of a ledger as flat {@code (endpoint, family, key) -> value} rows, and back: what a store
 * persists and loads. A key is a list of strings (a field and its kind, a reason, a histogram bucket), so
 * no separator can clash with the text of a field. Families are stable wire names: a store written by one
 * version is read by the next.
 */
public final class LedgerCounts {

  /** Receives one count. */
  @FunctionalInterface
  public interface Sink {
    void count(String endpoint, String family, List<String> key, long value);
  }

  static final String COMPARED = "compared";
  static final String MATCHED = "matched";
  static final String MISMATCHED = "mismatched";
  static final String NOISE_ONLY = "noise-only";
  static final String ACCEPTED = "accepted";
  static final String PART_NOT_COMPARED = "part-not-compared";
  static final String ACCEPTED_ENTRY = "accepted-entry";
  /** Keyed by shape, then {@code compared} or {@code mismatched}. */
  static final String QUERY_SHAPE = "query-shape";
  static final String UNMIRRORED_OLD_ERROR = "unmirrored-old-error";
  /** Written by a development build of 2026-12-06 as a separate count; it is the sum of the settled signatures. */
  static final String LEGACY_RECLASSIFIED = "reclassified";
  static final String NOT_COMPARABLE = "not-comparable";
  static final String SIGNATURE_SETTLED = "signature-settled";
  static final String ERRORS = "errors";
  static final String NEW_ERRORS = "new-errors";
  static final String ERROR_KIND = "error-kind";
  static final String SKIPPED = "skipped";
  static final String FIELD = "field";
  static final String FIELD_CAUSE = "field-cause";
  static final String CAUSE = "cause";
  static final String OLD_PROBES = "old-probes";
  static final String REPEATS_AFTER_WRITES = "repeats-after-writes";
  static final String OLD_PROBE_FIELD = "old-probe-field";
  static final String SECONDARY_TRIALS = "secondary-trials";
  static final String SECONDARY_OLD_FIELD = "secondary-old-field";
  static final String SECONDARY_NEW_FIELD = "secondary-new-field";
  static final String SIGNATURE = "signature";
  static final String NOISE_FIELD = "noise-field";
  static final String LATENCY_OLD = "latency-old";
  static final String LATENCY_NEW = "latency-new";
  static final String LATENCY_OLD_MAX = "latency-old-max";
  static final String LATENCY_NEW_MAX = "latency-new-max";

  private LedgerCounts() {}

  /**
   * Whether a family holds a maximum (the slowest latency) rather than a count: two ledgers' values combine by the
   * larger one, not by their sum.
   */
  public static boolean isMaximum(String family) {
    return LATENCY_OLD_MAX.equals(family) || LATENCY_NEW_MAX.equals(family);
  }

  static void export(String endpoint, EndpointStats s, Sink sink) {
    one(sink, endpoint, COMPARED, s.compared);
    one(sink, endpoint, MATCHED, s.matched);
    one(sink, endpoint, MISMATCHED, s.mismatched);
    one(sink, endpoint, NOISE_ONLY, s.noiseOnly);
    one(sink, endpoint, ACCEPTED, s.accepted);
    byString(sink, endpoint, PART_NOT_COMPARED, s.notCompared);
    byString(sink, endpoint, ACCEPTED_ENTRY, s.acceptedEntries);
    s.queryShapes.forEach((shape, n) -> {
      sink.count(endpoint, QUERY_SHAPE, List.of(shape, "compared"), n[0].sum());
      sink.count(endpoint, QUERY_SHAPE, List.of(shape, "mismatched"), n[1].sum());
    });
    byString(sink, endpoint, UNMIRRORED_OLD_ERROR, s.unmirroredOldErrors);
    s.notComparable.forEach((r, n) -> sink.count(endpoint, NOT_COMPARABLE, List.of(r.wireName()), n.sum()));
    one(sink, endpoint, ERRORS, s.errors);
    one(sink, endpoint, NEW_ERRORS, s.newErrors);
    one(sink, endpoint, OLD_PROBES, s.oldProbes);
    one(sink, endpoint, REPEATS_AFTER_WRITES, s.repeatsAfterWrites);
    one(sink, endpoint, SECONDARY_TRIALS, s.secondaryTrials);
    byString(sink, endpoint, ERROR_KIND, s.errorKinds);
    s.skipped.forEach((r, n) -> sink.count(endpoint, SKIPPED, List.of(r.wireName()), n.sum()));
    s.fields.forEach((field, kinds) -> kinds.forEach((kind, f) -> {
      sink.count(endpoint, FIELD, List.of(field, kind), f.count.sum());
      f.causes.forEach((c, n) -> sink.count(endpoint, FIELD_CAUSE, List.of(field, kind, c.wireName()), n.sum()));
    }));
    s.causes.forEach((c, n) -> sink.count(endpoint, CAUSE, List.of(c.wireName()), n.sum()));
    byString(sink, endpoint, OLD_PROBE_FIELD, s.oldProbeFields);
    byString(sink, endpoint, SECONDARY_OLD_FIELD, s.secondaryOldFields);
    byString(sink, endpoint, SECONDARY_NEW_FIELD, s.secondaryNewFields);
    byString(sink, endpoint, NOISE_FIELD, s.noiseFields);
    s.mismatchSignatures.forEach((sig, n) -> {
      List<String> key = new ArrayList<>(sig.size() * 2);
      sig.stream().sorted().forEach(fk -> {
        key.add(fk.field());
        key.add(fk.kind());
      });
      sink.count(endpoint, SIGNATURE, key, n.count.sum());
      sink.count(endpoint, SIGNATURE_SETTLED, key, n.settled.get());
    });
    histogram(sink, endpoint, LATENCY_OLD, LATENCY_OLD_MAX, s.oldLatency);
    histogram(sink, endpoint, LATENCY_NEW, LATENCY_NEW_MAX, s.newLatency);
  }

  private static void one(Sink sink, String endpoint, String family, LongAdder n) {
    sink.count(endpoint, family, List.of(), n.sum());
  }

  private static void byString(Sink sink, String endpoint, String family, Map<String, LongAdder> map) {
    map.forEach((k, n) -> sink.count(endpoint, family, List.of(k), n.sum()));
  }

  private static void histogram(Sink sink, String endpoint, String family, String maxFamily, LatencyHistogram h) {
    for (int i = 0; i < LatencyHistogram.buckets(); i++) {
      long n = h.bucket(i);
      if (n > 0) {
        sink.count(endpoint, family, List.of(Integer.toString(i)), n);
      }
    }
    if (h.maxNanos() > 0) {
      sink.count(endpoint, maxFamily, List.of(), h.maxNanos());
    }
  }

  /**
   * Adds one persisted count to an endpoint's stats.
   *
   * @throws IllegalArgumentException for a family or key this version does not know, naming it
   */
  static void load(EndpointStats s, String family, List<String> key, long value) {
    switch (family) {
      case COMPARED -> s.compared.add(value);
      case MATCHED -> s.matched.add(value);
      case MISMATCHED -> s.mismatched.add(value);
      case NOISE_ONLY -> s.noiseOnly.add(value);
      case ACCEPTED -> s.accepted.add(value);
      case PART_NOT_COMPARED -> EndpointStats.adder(s.notCompared, key(key, 1, family).get(0)).add(value);
      case ACCEPTED_ENTRY -> EndpointStats.adder(s.acceptedEntries, key(key, 1, family).get(0)).add(value);
      case QUERY_SHAPE -> {
        key(key, 2, family);
        int which = switch (key.get(1)) {
          case "compared" -> 0;
          case "mismatched" -> 1;
          default -> throw new IllegalArgumentException("a query-shape count is compared or mismatched, got " + key);
        };
        s.queryShapes.computeIfAbsent(key.get(0), k -> new LongAdder[] {new LongAdder(), new LongAdder()})[which].add(value);
      }
      case UNMIRRORED_OLD_ERROR -> EndpointStats.adder(s.unmirroredOldErrors, key(key, 1, family).get(0)).add(value);
      case LEGACY_RECLASSIFIED -> { } // derived from signature-settled now: read, and not counted twice
      case NOT_COMPARABLE -> s.notComparable.computeIfAbsent(
          NotComparableReason.fromWireName(key(key, 1, family).get(0)), r -> new LongAdder()).add(value);
      case ERRORS -> s.errors.add(value);
      case NEW_ERRORS -> s.newErrors.add(value);
      case OLD_PROBES -> s.oldProbes.add(value);
      case REPEATS_AFTER_WRITES -> s.repeatsAfterWrites.add(value);
      case SECONDARY_TRIALS -> s.secondaryTrials.add(value);
      case ERROR_KIND -> EndpointStats.adder(s.errorKinds, key(key, 1, family).get(0)).add(value);
      case SKIPPED -> s.skipped.computeIfAbsent(skipReason(key(key, 1, family).get(0)), r -> new LongAdder()).add(value);
      case FIELD -> {
        key(key, 2, family);
        s.fields.computeIfAbsent(key.get(0), f -> new java.util.concurrent.ConcurrentHashMap<>())
            .computeIfAbsent(key.get(1), k -> new EndpointStats.FieldStats()).count.add(value);
      }
      case FIELD_CAUSE -> {
        key(key, 3, family);
        s.fields.computeIfAbsent(key.get(0), f -> new java.util.concurrent.ConcurrentHashMap<>())
            .computeIfAbsent(key.get(1), k -> new EndpointStats.FieldStats())
            .causes.computeIfAbsent(Cause.fromWireName(key.get(2)), c -> new LongAdder()).add(value);
      }
      case CAUSE -> s.causes.computeIfAbsent(Cause.fromWireName(key(key, 1, family).get(0)), c -> new LongAdder()).add(value);
      case OLD_PROBE_FIELD -> EndpointStats.adder(s.oldProbeFields, key(key, 1, family).get(0)).add(value);
      case SECONDARY_OLD_FIELD -> EndpointStats.adder(s.secondaryOldFields, key(key, 1, family).get(0)).add(value);
      case SECONDARY_NEW_FIELD -> EndpointStats.adder(s.secondaryNewFields, key(key, 1, family).get(0)).add(value);
      case NOISE_FIELD -> EndpointStats.adder(s.noiseFields, key(key, 1, family).get(0)).add(value);
      case SIGNATURE -> EndpointStats.signature(s.mismatchSignatures, signatureKey(key)).count.add(value);
      case SIGNATURE_SETTLED -> EndpointStats.signature(s.mismatchSignatures, signatureKey(key)).settled.addAndGet(value);
      case LATENCY_OLD -> s.oldLatency.addToBucket(bucket(key(key, 1, family).get(0)), value);
      case LATENCY_NEW -> s.newLatency.addToBucket(bucket(key(key, 1, family).get(0)), value);
      case LATENCY_OLD_MAX -> s.oldLatency.accumulateMax(value);
      case LATENCY_NEW_MAX -> s.newLatency.accumulateMax(value);
      default -> throw new IllegalArgumentException("unknown count family '" + family + "'");
    }
  }

  private static Set<FieldKind> signatureKey(List<String> key) {
    if (key.size() % 2 != 0) {
      throw new IllegalArgumentException("a signature key needs field and kind pairs, got " + key);
    }
    Set<FieldKind> sig = new java.util.HashSet<>();
    for (int i = 0; i < key.size(); i += 2) {
      sig.add(new FieldKind(key.get(i), key.get(i + 1)));
    }
    return Set.copyOf(sig);
  }

  private static List<String> key(List<String> key, int size, String family) {
    if (key.size() != size) {
      throw new IllegalArgumentException("a '" + family + "' count needs a key of " + size + " part(s), got " + key);
    }
    return key;
  }

  private static SkipReason skipReason(String wire) {
    for (SkipReason r : SkipReason.values()) {
      if (r.wireName().equals(wire)) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown skip reason '" + wire + "'");
  }

  private static int bucket(String s) {
    int b = Integer.parseInt(s);
    if (b < 0 || b >= LatencyHistogram.buckets()) {
      throw new IllegalArgumentException("latency bucket out of range: " + s);
    }
    return b;
  }
}
