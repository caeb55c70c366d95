package dev.shadowparity.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.shadowparity.engine.Cause;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One endpoint's evidence. {@code compared = matched + noiseOnly + accepted + mismatched}; every count is as recorded, never
 * revised, so that it equals the tap's counter of the same name ({@code docs/metrics.md}).
 *
 * @param endpoint      {@code METHOD /path/{id}}
 * @param compared      exchanges where both backends answered and the responses were compared
 * @param matched       compared and equal after normalization
 * @param noiseOnly     compared and different only at fields that were noise for the endpoint at the time
 * @param accepted      compared and different only at differences a baseline accepted as intended (and noise)
 * @param acceptedBy    per baseline entry id, the compared exchanges in which it accepted a difference
 * @param mismatched    compared and different, as recorded
 * @param reclassified  of the mismatched, those whose differing fields all became noise afterwards: not failures
 * @param errors        exchanges where a backend failed (timeout, refused, reset, garbage)
 * @param errorKinds    errors by {@code backend:kind}, e.g. {@code new:timeout}
 * @param notComparable exchanges whose answers could not be judged, by reason: failures in the verdict
 * @param skipped       exchanges not compared, by reason
 * @param trials        exchanges the verdict counts: compared, NEW failures and not comparable
 * @param failures      of those, the mismatched (less the reclassified), NEW failures and not comparable
 * @param mismatchRate  failures / trials (0 when there are no trials)
 * @param lowerBound    lower bound of the rate from the confidence sequence ({@link ConfidenceSequence}), over the
 *                      judged exchanges only (not comparable ones show no difference either)
 * @param upperBound    upper bound of the rate from the confidence sequence
 * @param verdict       PROVEN, FAILING, UNPROVEN or NOT_MIRRORED
 * @param cleanNeeded   for UNPROVEN: more clean exchanges that would make it PROVEN (-1: none can); else null
 * @param fields        mismatch counts per field key and kind, most frequent first, with their likely cause
 * @param causes        mismatching exchanges per likely cause (each exchange once per cause), most frequent first
 * @param latency       OLD and NEW latency percentiles
 * @param samples       a bounded set of mismatching exchanges
 * @param noise         fields that are noise or have OLD-vs-OLD evidence, with that evidence
 * @param queryShapes   compared and mismatched exchanges per query shape (the sorted parameter names), as recorded
 * @param partsNotCompared compared exchanges of which a part was not compared, by part and why ({@code body: not
 *                      recorded}: status and headers compared, the body unknown)
 * @param repeatsAfterWrites repeated identical requests whose OLD answers taught no noise because a write that reached
 *                      OLD only came between them
 */
@JsonPropertyOrder({"endpoint", "compared", "matched", "noiseOnly", "accepted", "acceptedBy", "mismatched", "reclassified", "errors", "errorKinds",
    "notComparable", "skipped", "trials", "failures", "mismatchRate", "lowerBound", "upperBound", "verdict", "cleanNeeded",
    "partsNotCompared", "fields", "causes", "noise", "repeatsAfterWrites", "queryShapes", "latency", "samples"})
public record EndpointReport(String endpoint, long compared, long matched, long noiseOnly, long accepted,
    Map<String, Long> acceptedBy, long mismatched, long reclassified, long errors, Map<String, Long> errorKinds, Map<String, Long> notComparable,
    Map<String, Long> skipped, long trials, long failures, double mismatchRate, double lowerBound, double upperBound,
    Verdict verdict, @JsonInclude(JsonInclude.Include.NON_NULL) Long cleanNeeded, List<FieldCount> fields,
    Map<String, Long> causes, Latency latency, List<Sample> samples, List<NoiseField> noise,
    List<QueryShapeCount> queryShapes, long repeatsAfterWrites, Map<String, Long> partsNotCompared) {

  public EndpointReport {
    partsNotCompared = partsNotCompared == null ? Map.of() : Collections.unmodifiableMap(new java.util.TreeMap<>(partsNotCompared));
    acceptedBy = acceptedBy == null ? Map.of() : Collections.unmodifiableMap(new java.util.TreeMap<>(acceptedBy));
    queryShapes = queryShapes == null ? List.of() : List.copyOf(queryShapes);
    errorKinds = Map.copyOf(errorKinds);
    notComparable = Map.copyOf(notComparable);
    skipped = Map.copyOf(skipped);
    fields = List.copyOf(fields);
    causes = Collections.unmodifiableMap(new LinkedHashMap<>(causes)); // keeps most frequent first
    samples = List.copyOf(samples);
    noise = noise == null ? List.of() : List.copyOf(noise);
  }

  /** With the verdict's part given as one {@link Judged}. */
  public EndpointReport(String endpoint, long compared, long matched, long noiseOnly, long accepted,
      Map<String, Long> acceptedBy, long mismatched, long reclassified,
      long errors, Map<String, Long> errorKinds, Map<String, Long> notComparable, Map<String, Long> skipped,
      Judged judged, List<FieldCount> fields, Map<String, Long> causes, Latency latency, List<Sample> samples,
      List<NoiseField> noise, List<QueryShapeCount> queryShapes, long repeatsAfterWrites, Map<String, Long> partsNotCompared) {
    this(endpoint, compared, matched, noiseOnly, accepted, acceptedBy, mismatched, reclassified, errors, errorKinds,
        notComparable, skipped, judged.trials(), judged.failures(), judged.rate(), judged.lowerBound(), judged.upperBound(),
        judged.verdict(), judged.cleanNeeded(), fields, causes, latency, samples, noise, queryShapes, repeatsAfterWrites,
        partsNotCompared);
  }

  /**
   * The exchanges of one query shape of the endpoint, as recorded (mismatches later found to be noise included).
   *
   * @param shape      {@code ?_order&_sort}; empty for requests without a query; {@code (other shapes)} past the cap
   */
  @JsonPropertyOrder({"shape", "compared", "mismatched"})
  public record QueryShapeCount(String shape, long compared, long mismatched) {}

  /** The skip reason of a request whose method is not mirrored ({@code SkipReason.UNSAFE_METHOD}'s wire name). */
  public static final String UNSAFE_METHOD = "unsafe-method";

  /** The verdict's part of an endpoint's evidence. */
  public record Judged(long trials, long failures, double rate, double lowerBound, double upperBound, Verdict verdict,
      Long cleanNeeded) {}

  /**
   * What the verdict counts, from an endpoint's counts (the ledger's, or sums of the tap's counters): trials are the
   * compared, NEW's failures and the not comparable; failures are the mismatched less the reclassified (never below
   * 0: over a window of counter sums, mismatches recorded before the window may be reclassified inside it), NEW's
   * failures and the not comparable.
   *
   * @return {@code {trials, failures}}
   */
  public static long[] trialsAndFailures(long compared, long mismatched, long reclassified, long newErrors, long unjudged) {
    long trials = compared + newErrors + unjudged;
    return new long[] {trials, Math.min(trials, Math.max(0, mismatched - reclassified) + newErrors + unjudged)};
  }

  /**
   * Judges an endpoint's counts under a rule: NOT_MIRRORED when nothing but unsafe-method skips was ever seen (a
   * write the tap never sends to NEW: nothing to prove or disprove), else the confidence sequence's verdict, the
   * not comparable exchanges counting against PROVEN but not towards FAILING.
   */
  public static Judged judge(ConfidenceSequence rule, long trials, long failures, long errors, long notComparable,
      Map<String, Long> skipped) {
    double rate = trials == 0 ? 0 : (double) failures / trials;
    if (trials == 0 && errors == 0 && notComparable == 0 && notMirrored(skipped)) {
      return new Judged(0, 0, 0, 0, 1, Verdict.NOT_MIRRORED, null);
    }
    ConfidenceSequence.Judgement j = rule.judge(failures, trials, Math.min(notComparable, failures));
    return new Judged(trials, failures, rate, j.lowerBound(), j.upperBound(), j.verdict(),
        j.verdict() == Verdict.UNPROVEN ? Long.valueOf(j.cleanNeeded()) : null);
  }

  private static boolean notMirrored(Map<String, Long> skipped) {
    String unsafe = UNSAFE_METHOD;
    long n = 0;
    for (Map.Entry<String, Long> e : skipped.entrySet()) {
      if (e.getValue() > 0 && !e.getKey().equals(unsafe)) {
        return false;
      }
      n += e.getValue();
    }
    return n > 0;
  }

  /**
   * How many exchanges differed at one field key with one kind of difference.
   *
   * @param cause the likely cause found in most of those exchanges, when more had it than had none; else
   *              {@code null} (absent in JSON)
   */
  @JsonPropertyOrder({"field", "kind", "count", "cause"})
  public record FieldCount(String field, String kind, long count,
      @JsonInclude(JsonInclude.Include.NON_NULL) Cause cause) {

    public FieldCount(String field, String kind, long count) {
      this(field, kind, count, null);
    }
  }

  /** Latency of both backends. */
  public record Latency(Percentiles old, @com.fasterxml.jackson.annotation.JsonProperty("new") Percentiles neu) {}

  /** Latency percentiles in milliseconds over the exchanges that had a measured latency. */
  @JsonPropertyOrder({"count", "p50Ms", "p99Ms", "maxMs"})
  public record Percentiles(long count, double p50Ms, double p99Ms, double maxMs) {}
}
