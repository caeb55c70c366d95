package dev.shadowparity.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.shadowparity.config.VerdictConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * The deploy gate: passes only when every named endpoint is PROVEN under a verdict rule, which may be stricter or
 * looser than the one the evidence was recorded under: the verdict is computed again from each endpoint's counts
 * ({@link ConfidenceSequence}). With no endpoint named, every endpoint of the evidence is checked, NOT MIRRORED
 * ones (only writes, which the tap never sends to NEW) are listed but do not block, and at least one must be
 * PROVEN. An endpoint named but never seen fails the gate.
 */
public final class Gate {

  private Gate() {}

  /**
   * The gate's answer.
   *
   * @param passed    every endpoint checked is PROVEN (or, when none was named, NOT MIRRORED), and one is PROVEN
   * @param rule      the rule applied
   * @param endpoints each endpoint checked, with its verdict and why
   */
  @JsonPropertyOrder({"passed", "rule", "proven", "failing", "unproven", "notMirrored", "endpoints", "superseded"})
  public record Result(boolean passed, Report.VerdictRule rule, List<Check> endpoints, Map<String, String> superseded) {
    public Result {
      endpoints = List.copyOf(endpoints);
      superseded = superseded == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(superseded));
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

    /** Endpoints checked that were never mirrored (only unsafe methods). */
    @com.fasterxml.jackson.annotation.JsonProperty("notMirrored")
    public long notMirrored() {
      return endpoints.stream().filter(c -> c.verdict() == Verdict.NOT_MIRRORED).count();
    }
  }

  /**
   * One endpoint's check; {@code verdict} is null for an endpoint with no evidence.
   *
   * @param cleanNeeded   for an UNPROVEN endpoint (or one never seen), the clean exchanges that would prove it; -1
   *                      when none can (an allowed rate of 0); null otherwise
   * @param hiddenByNoise exchanges that differed only at noise (when recorded or afterwards): not failures, and shown
   * @param noiseFields   the noise fields that hid them
   * @param accepted      exchanges whose only differences a baseline accepted
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"endpoint", "verdict", "trials", "failures", "mismatchRate", "lowerBound", "upperBound", "cleanNeeded",
      "hiddenByNoise", "noiseFields", "accepted", "reason"})
  public record Check(String endpoint, Verdict verdict, long trials, long failures, double mismatchRate, double lowerBound,
      double upperBound, Long cleanNeeded, long hiddenByNoise, List<String> noiseFields, long accepted, String reason) {}

  /** Checks endpoints of a report under a rule; {@code names} empty means every endpoint of the report. */
  public static Result evaluate(Report report, List<String> names, VerdictConfig config) {
    ConfidenceSequence rule = new ConfidenceSequence(config);
    List<Check> checks = new ArrayList<>();
    // names given before a learned {name} took their place get no more requests: their evidence stays, frozen, and
    // the endpoint that took over is the one checked (unless one is named)
    Map<String, String> superseded = new java.util.LinkedHashMap<>();
    if (names.isEmpty()) {
      for (EndpointReport e : report.endpoints()) {
        String by = supersededBy(e.endpoint(), report.endpoints());
        if (by != null) {
          superseded.put(e.endpoint(), by);
        }
      }
    }
    List<String> wanted = names.isEmpty() ? report.endpoints().stream().map(EndpointReport::endpoint)
        .filter(n -> !superseded.containsKey(n)).toList() : names;
    for (String name : wanted) {
      EndpointReport e = report.endpoint(name);
      if (e == null) {
        long needed = rule.cleanNeeded(0, 0);
        checks.add(new Check(name, null, 0, 0, 0, 0, 1, needed, 0, List.of(), 0, "no evidence: the endpoint was never seen in this period"
            + (needed > 0 ? "; " + needed + " clean exchanges would prove it" : "")));
        continue;
      }
      long notComparable = e.notComparable().values().stream().mapToLong(Long::longValue).sum();
      EndpointReport.Judged j = EndpointReport.judge(rule, e.trials(), e.failures(), e.errors(), notComparable, e.skipped());
      long hidden = e.noiseOnly() + e.reclassified();
      List<String> noiseFields = e.noise().stream().filter(f -> f.noise() != null && f.discounted() + f.reclassified() > 0)
          .map(NoiseField::field).toList();
      String also = (hidden > 0 ? "; noise hid " + hidden + " (" + String.join(", ", noiseFields.stream().limit(5).toList())
          + (noiseFields.size() > 5 ? ", ..." : "") + ")" : "") + (e.accepted() > 0 ? "; " + e.accepted()
          + " accepted by the baseline" : "");
      checks.add(new Check(name, j.verdict(), j.trials(), j.failures(), j.rate(), j.lowerBound(), j.upperBound(),
          j.cleanNeeded(), hidden, noiseFields, e.accepted(), why(j, config, !names.isEmpty()) + also));
    }
    boolean named = !names.isEmpty();
    boolean passed = checks.stream().anyMatch(c -> c.verdict() == Verdict.PROVEN)
        && checks.stream().allMatch(c -> c.verdict() == Verdict.PROVEN || (!named && c.verdict() == Verdict.NOT_MIRRORED));
    return new Result(passed, new Report.VerdictRule(config.maxMismatchRate(), config.confidence(), config.minCompared()),
        checks, superseded);
  }

  /**
   * The learned endpoint that took an endpoint's place, or {@code null}: one of the same method and as many segments
   * that has {@code {name}} where they differ, and is equal elsewhere ({@code GET /blog/my-post} is superseded by
   * {@code GET /blog/{name}}).
   */
  public static String supersededBy(String endpoint, List<EndpointReport> all) {
    if (endpoint.contains("{name}")) {
      return null;
    }
    String[] mine = endpoint.split("/", -1);
    for (EndpointReport other : all) {
      String name = other.endpoint();
      if (!name.contains("{name}")) {
        continue;
      }
      String[] theirs = name.split("/", -1);
      if (theirs.length != mine.length || !theirs[0].equals(mine[0])) {
        continue; // another method or depth
      }
      boolean covers = true;
      for (int i = 1; i < mine.length && covers; i++) {
        covers = theirs[i].equals(mine[i]) || (theirs[i].equals("{name}") && !mine[i].equals("{id}"));
      }
      if (covers) {
        return name;
      }
    }
    return null;
  }

  /** Why an endpoint has its verdict, in one sentence for people. */
  public static String why(EndpointReport.Judged j, VerdictConfig rule, boolean named) {
    String seen = String.format(Locale.ROOT, "%d of %d exchanges failed (%s); ", j.failures(), j.trials(), pct(j.rate()));
    String allowed = pct(rule.maxMismatchRate());
    return switch (j.verdict()) {
      case FAILING -> seen + "even the lower bound " + near(j.lowerBound(), rule.maxMismatchRate()) + " is over the allowed "
          + allowed;
      case PROVEN -> seen + "the upper bound " + near(j.upperBound(), rule.maxMismatchRate()) + " is under the allowed "
          + allowed;
      case NOT_MIRRORED -> "only unsafe methods, which the tap does not send to NEW: nothing to compare"
          + (named ? " (named, so it must be PROVEN)" : "");
      case UNPROVEN -> (j.trials() == 0 ? "no exchange compared yet" : seen + "the upper bound " + pct(j.upperBound())
          + " is not under the allowed " + allowed + " yet") + "; " + needed(j.cleanNeeded());
    };
  }

  private static String needed(Long clean) {
    if (clean == null || clean < 0) {
      return "no number of clean exchanges can prove a rate of 0";
    }
    return String.format(Locale.ROOT, "%d more clean exchange%s would prove it", clean, clean == 1 ? "" : "s");
  }

  private static String pct(double r) {
    return String.format(Locale.ROOT, "%.2f%%", r * 100);
  }

  /** A bound as a percentage with enough digits to differ from the allowed rate it is compared with (0.9995%). */
  private static String near(double bound, double allowed) {
    for (int digits = 2; digits < 8; digits++) {
      String b = String.format(Locale.ROOT, "%." + digits + "f%%", bound * 100);
      if (!b.equals(String.format(Locale.ROOT, "%." + digits + "f%%", allowed * 100))) {
        return b;
      }
    }
    return pct(bound);
  }
}
