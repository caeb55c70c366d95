package dev.shadowparity.ledger;

import dev.shadowparity.engine.Cause;
import dev.shadowparity.report.ConfidenceSequence;
import dev.shadowparity.report.EndpointReport;
import dev.shadowparity.report.Sample;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * An endpoint's {@link EndpointReport} from its counts: fields less what became noise, the verdict under the rule,
 * causes, latencies, samples and noise evidence. Reads each counter once.
 */
final class ReportBuilder {

  private static final Cause[] CAUSES_BY_NAME = java.util.Arrays.stream(Cause.values())
      .sorted(Comparator.comparing(Cause::wireName)).toArray(Cause[]::new);

  private final ConfidenceSequence rule;
  private final NoisePolicy policy;
  private final SampleKeeper keeper;

  ReportBuilder(ConfidenceSequence rule, NoisePolicy policy, SampleKeeper keeper) {
    this.rule = rule;
    this.policy = policy;
    this.keeper = keeper;
  }

  EndpointReport build(String endpoint, EndpointStats s) {
    policy.settle(s);
    long compared = s.compared.sum();
    long mismatched = s.mismatched.sum();
    long matched = s.matched.sum();
    long noiseOnly = s.noiseOnly.sum();
    long reclassified = NoisePolicy.reclassified(s);
    // fields that became noise after mismatches were recorded no longer count against them in the field list
    Map<String, Map<String, Long>> fieldCounts = new TreeMap<>();
    s.fields.forEach((field, kinds) -> kinds.forEach((kind, f) ->
        fieldCounts.computeIfAbsent(field, x -> new TreeMap<>()).put(kind, f.count.sum())));
    Map<String, Long> discounted = new TreeMap<>();
    s.noiseFields.forEach((f, n) -> discounted.put(f, n.sum()));
    Map<String, Long> reclassifiedByField = new TreeMap<>();
    for (Map.Entry<Set<FieldKind>, EndpointStats.Signature> sig : s.mismatchSignatures.entrySet()) {
      long n = sig.getValue().count.sum();
      Set<String> noisyFields = new java.util.HashSet<>();
      for (FieldKind fk : sig.getKey()) {
        if (policy.reason(s, fk.field()) != null) {
          noisyFields.add(fk.field());
        }
      }
      if (n == 0 || noisyFields.isEmpty()) {
        continue;
      }
      for (FieldKind fk : sig.getKey()) {
        if (noisyFields.contains(fk.field())) {
          Map<String, Long> kinds = fieldCounts.get(fk.field());
          if (kinds != null) {
            kinds.computeIfPresent(fk.kind(), (k, c) -> c - n > 0 ? c - n : null);
            if (kinds.isEmpty()) {
              fieldCounts.remove(fk.field());
            }
          }
        }
      }
      // shown per field, never silent: these mismatches were recorded before the field was known to be noise
      noisyFields.forEach(f -> reclassifiedByField.merge(f, n, Long::sum));
    }
    Map<String, Long> notComparable = new TreeMap<>();
    s.notComparable.forEach((reason, n) -> notComparable.put(reason.wireName(), n.sum()));
    long unjudged = notComparable.values().stream().mapToLong(Long::longValue).sum();
    long[] counted = EndpointReport.trialsAndFailures(compared, mismatched, reclassified, s.newErrors.sum(), unjudged);
    long trials = counted[0];
    long failures = counted[1];
    Map<String, Long> skipped = new TreeMap<>();
    s.skipped.forEach((reason, n) -> skipped.put(reason.wireName(), n.sum()));
    // the total before its kinds and samples, the reverse of recordError's order: an error counted here has its kind
    long errors = s.errors.sum();
    Map<String, Long> errorKinds = new TreeMap<>();
    s.errorKinds.forEach((k, n) -> errorKinds.put(k, n.sum()));
    EndpointReport.Judged judged = EndpointReport.judge(rule, trials, failures, errors, unjudged, skipped);
    List<EndpointReport.FieldCount> fields = new ArrayList<>();
    fieldCounts.forEach((field, kinds) -> kinds.forEach((kind, count) -> {
      EndpointStats.FieldStats f = s.fields.getOrDefault(field, Map.of()).get(kind);
      fields.add(new EndpointReport.FieldCount(field, kind, count, f == null ? null : fieldCause(count, f.causes)));
    }));
    fields.sort(Comparator.comparingLong(EndpointReport.FieldCount::count).reversed()
        .thenComparing(EndpointReport.FieldCount::field).thenComparing(EndpointReport.FieldCount::kind));
    List<Sample> samples = keeper.all(s).stream()
        .filter(x -> x.error() != null || x.fields().stream().anyMatch(f -> policy.reason(s, f) == null)).toList();
    List<Map.Entry<Cause, Long>> causeCounts = new ArrayList<>();
    s.causes.forEach((c, n) -> causeCounts.add(Map.entry(c, n.sum())));
    causeCounts.sort(Map.Entry.<Cause, Long>comparingByValue().reversed().thenComparing(e -> e.getKey().wireName()));
    Map<String, Long> causes = new LinkedHashMap<>();
    causeCounts.forEach(e -> causes.put(e.getKey().wireName(), e.getValue()));
    Map<String, Long> acceptedBy = new TreeMap<>();
    s.acceptedEntries.forEach((id, n) -> acceptedBy.put(id, n.sum()));
    List<EndpointReport.QueryShapeCount> shapes = new ArrayList<>(s.queryShapes.size());
    s.queryShapes.forEach((shape, n) -> shapes.add(new EndpointReport.QueryShapeCount(shape, n[0].sum(), n[1].sum())));
    shapes.sort(Comparator.comparingLong(EndpointReport.QueryShapeCount::mismatched).reversed()
        .thenComparing(Comparator.comparingLong(EndpointReport.QueryShapeCount::compared).reversed())
        .thenComparing(EndpointReport.QueryShapeCount::shape));
    return new EndpointReport(endpoint, compared, matched, noiseOnly, s.accepted.sum(), acceptedBy, mismatched,
        reclassified, errors, errorKinds, notComparable, skipped, judged, fields, causes,
        new EndpointReport.Latency(percentiles(s.oldLatency), percentiles(s.newLatency)), samples,
        policy.fields(s, discounted, reclassifiedByField), shapes, s.repeatsAfterWrites.sum(), sums(s.notCompared));
  }

  /**
   * The cause of a field and kind in the report: the one found in the most exchanges, when more exchanges had it
   * than had no cause there (a tie between causes goes to the first by name); else none.
   */
  static Cause fieldCause(long count, Map<Cause, LongAdder> causes) {
    Cause best = null;
    long bestCount = 0;
    long classified = 0;
    for (Cause c : CAUSES_BY_NAME) {
      LongAdder n = causes.get(c);
      long k = n == null ? 0 : n.sum();
      classified += k;
      if (k > bestCount) {
        best = c;
        bestCount = k;
      }
    }
    return best != null && bestCount > count - classified ? best : null;
  }

  private static Map<String, Long> sums(Map<String, LongAdder> counts) {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, n) -> out.put(k, n.sum()));
    return out;
  }

  private static EndpointReport.Percentiles percentiles(LatencyHistogram h) {
    return new EndpointReport.Percentiles(h.count(), round(h.percentileNanos(0.5) / 1e6),
        round(h.percentileNanos(0.99) / 1e6), round(h.maxNanos() / 1e6));
  }

  private static double round(double ms) {
    return Math.round(ms * 1000) / 1000.0;
  }
}
