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
 */
@JsonPropertyOrder({"generatedAt", "verdictRule", "totals", "endpoints"})
public record Report(Instant generatedAt, VerdictRule verdictRule, Totals totals, List<EndpointReport> endpoints) {

  public Report {
    endpoints = List.copyOf(endpoints);
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
  @JsonPropertyOrder({"compared", "matched", "mismatched", "errors", "skipped"})
  public record Totals(long compared, long matched, long mismatched, long errors, long skipped) {}
}
