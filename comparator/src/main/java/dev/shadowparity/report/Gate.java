package dev.shadowparity.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.shadowparity.config.VerdictConfig;
import dev.shadowparity.ledger.Wilson;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The deploy gate: passes only when every named endpoint (all, when none is named) is PROVEN under a verdict
 * rule, which may be stricter or looser than the one the evidence was recorded under: the verdict is computed
 * again from each endpoint's trials and failures. An endpoint named but never seen fails the gate.
 */
public final class Gate {

  private Gate() {}

  /**
   * The gate's answer.
   *
   * @param passed    every endpoint checked is PROVEN (and there is at least one)
   * @param rule      the rule applied
   * @param endpoints each endpoint checked, with its verdict and why
   */
  @JsonPropertyOrder({"passed", "rule", "proven", "failing", "unproven", "endpoints"})
  public record Result(boolean passed, Report.VerdictRule rule, List<Check> endpoints) {
    public Result {
      endpoints = List.copyOf(endpoints);
    }

    /** Endpoints checked that are PROVEN. */
    @com.fasterxml.jackson.annotation.JsonProperty("proven")
    public long proven() {
      return endpoints.stream().filter(c -> c.verdict() == Verdict.PROVEN).count();
    }

    /** Endpoints checked that are FAILING: even the lower bound of their rate is over the allowed one. */
    @com.fasterxml.jackson.annotation.JsonProperty("failing")
    public long failing() {
      return endpoints.stream().filter(c -> c.verdict() == Verdict.FAILING).count();
    }

    /** Endpoints checked that are UNPROVEN or were never seen: more evidence may still prove them. */
    @com.fasterxml.jackson.annotation.JsonProperty("unproven")
    public long unproven() {
      return endpoints.stream().filter(c -> c.verdict() == null || c.verdict() == Verdict.UNPROVEN).count();
    }
  }

  /** One endpoint's check; {@code verdict} is null for an endpoint with no evidence. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"endpoint", "verdict", "trials", "failures", "mismatchRate", "lowerBound", "upperBound", "reason"})
  public record Check(String endpoint, Verdict verdict, long trials, long failures, double mismatchRate, double lowerBound,
      double upperBound, String reason) {}

  /** Checks endpoints of a report under a rule; {@code names} empty means every endpoint of the report. */
  public static Result evaluate(Report report, List<String> names, VerdictConfig rule) {
    double z = Wilson.z(rule.confidence());
    List<Check> checks = new ArrayList<>();
    List<String> wanted = names.isEmpty() ? report.endpoints().stream().map(EndpointReport::endpoint).toList() : names;
    for (String name : wanted) {
      EndpointReport e = report.endpoint(name);
      if (e == null) {
        checks.add(new Check(name, null, 0, 0, 0, 0, 1, "no evidence: the endpoint was never seen in this period"));
        continue;
      }
      long trials = e.trials();
      long failures = e.failures();
      double[] b = Wilson.intervalForZ(failures, trials, z);
      double rate = trials == 0 ? 0 : (double) failures / trials;
      Verdict v = Verdict.of(trials, b, rule.maxMismatchRate(), rule.minCompared());
      String seen = String.format(Locale.ROOT, "%d of %d exchanges failed (%s); ", failures, trials, pct(rate));
      String allowed = pct(rule.maxMismatchRate());
      String why = switch (v) {
        case FAILING -> seen + "even the lower bound " + pct(b[0]) + " is over the allowed " + allowed;
        case PROVEN -> seen + "the upper bound " + pct(b[1]) + " is under the allowed " + allowed;
        case UNPROVEN -> trials < rule.minCompared()
            ? String.format(Locale.ROOT, "only %d exchanges compared; at least %d are needed", trials, rule.minCompared())
            : seen + "the upper bound " + pct(b[1]) + " is not under the allowed " + allowed + " yet";
      };
      checks.add(new Check(name, v, trials, failures, rate, b[0], b[1], why));
    }
    boolean passed = !checks.isEmpty() && checks.stream().allMatch(c -> c.verdict() == Verdict.PROVEN);
    return new Result(passed, new Report.VerdictRule(rule.maxMismatchRate(), rule.confidence(), rule.minCompared()), checks);
  }

  private static String pct(double r) {
    return String.format(Locale.ROOT, "%.2f%%", r * 100);
  }
}
