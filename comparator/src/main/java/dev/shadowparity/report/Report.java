package dev.shadowparity.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;

/**
 * The one report document, shared by the tap's admin API, {@code parity report} and {@code parity replay}.
 * Its JSON form is described in {@code docs/report-format.md}.
 *
 * @param generatedAt when the snapshot was taken
 * @param verdictRule the rule the verdicts were computed with
 * @param totals      sums over all endpoints
 * @param endpoints   one entry per endpoint, worst first (FAILING, UNPROVEN, PROVEN; then by mismatch rate)
 * @param groups      the same difference (field, kind, likely cause) across endpoints, most widespread first: what to
 *                    triage once rather than once per endpoint
 * @param baseline    the entries of the baseline the report was made with, and how each was used; absent without one
 * @param taps        of a fleet's shared store, what each tap contributed; absent otherwise
 */
@JsonPropertyOrder({"generatedAt", "source", "verdictRule", "totals", "groups", "baseline", "taps", "endpoints"})
public record Report(Instant generatedAt,
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String source,
    VerdictRule verdictRule, Totals totals, List<DifferenceGroup> groups,
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    List<BaselineUse> baseline,
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    List<TapContribution> taps, List<EndpointReport> endpoints) {

  public Report {
    endpoints = List.copyOf(endpoints);
    groups = groups == null ? DifferenceGroup.of(endpoints) : List.copyOf(groups);
    baseline = baseline == null ? null : List.copyOf(baseline);
    taps = taps == null ? null : List.copyOf(taps);
  }

  /** A report without a source, baseline or taps; its groups are made from its endpoints. */
  public Report(Instant generatedAt, VerdictRule verdictRule, Totals totals, List<EndpointReport> endpoints) {
    this(generatedAt, null, verdictRule, totals, null, null, null, endpoints);
  }

  /** This report with what each tap of a fleet contributed to it. */
  public Report withTaps(List<TapContribution> contributions) {
    return new Report(generatedAt, source, verdictRule, totals, groups, baseline, contributions, endpoints);
  }

  /** This report with the uses of a baseline's entries ({@code BaselineUse.of}). */
  public Report withBaseline(List<BaselineUse> uses) {
    return new Report(generatedAt, source, verdictRule, totals, groups, uses, taps, endpoints);
  }

  /**
   * This report naming the evidence it was made from: a store file and period ({@code store HOST:/path period 3}),
   * a tap kept in memory, or a replay run. Two documents of the same source overlap, and {@code parity gate --report}
   * refuses to sum them.
   */
  public Report withSource(String source) {
    return new Report(generatedAt, source, verdictRule, totals, groups, baseline, taps, endpoints);
  }

  /** The endpoint's entry, or {@code null}. */
  public EndpointReport endpoint(String endpoint) {
    for (EndpointReport e : endpoints) {
      if (e.endpoint().equals(endpoint)) {
        return e;
      }
    }
    return null;
  }

  /** The rule behind every verdict in the report. */
  @JsonPropertyOrder({"maxMismatchRate", "confidence", "minCompared"})
  public record VerdictRule(double maxMismatchRate, double confidence, long minCompared) {}

  /** Sums over all endpoints. */
  @JsonPropertyOrder({"compared", "matched", "noiseOnly", "accepted", "mismatched", "reclassified", "errors",
      "notComparable", "skipped"})
  public record Totals(long compared, long matched, long noiseOnly, long accepted, long mismatched, long reclassified,
      long errors, long notComparable, long skipped) {}

  /** A report of these endpoints, with their totals, worst first (by verdict, then rate, then name). */
  public static Report of(Instant generatedAt, VerdictRule rule, List<EndpointReport> endpoints) {
    long compared = 0;
    long matched = 0;
    long noiseOnly = 0;
    long accepted = 0;
    long mismatched = 0;
    long reclassified = 0;
    long errors = 0;
    long notComparable = 0;
    long skipped = 0;
    for (EndpointReport r : endpoints) {
      compared += r.compared();
      matched += r.matched();
      noiseOnly += r.noiseOnly();
      accepted += r.accepted();
      mismatched += r.mismatched();
      reclassified += r.reclassified();
      errors += r.errors();
      notComparable += r.notComparable().values().stream().mapToLong(Long::longValue).sum();
      skipped += r.skipped().values().stream().mapToLong(Long::longValue).sum();
    }
    List<EndpointReport> sorted = new java.util.ArrayList<>(endpoints);
    sorted.sort(java.util.Comparator.comparingInt((EndpointReport r) -> r.verdict().rank())
        .thenComparing(java.util.Comparator.comparingDouble(EndpointReport::mismatchRate).reversed())
        .thenComparing(EndpointReport::endpoint));
    return new Report(generatedAt, rule,
        new Totals(compared, matched, noiseOnly, accepted, mismatched, reclassified, errors, notComparable, skipped), sorted);
  }
}
