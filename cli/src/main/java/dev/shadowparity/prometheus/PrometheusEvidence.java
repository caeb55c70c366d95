package dev.shadowparity.prometheus;

import dev.shadowparity.config.VerdictConfig;
import dev.shadowparity.ledger.Outcome;
import dev.shadowparity.report.ConfidenceSequence;
import dev.shadowparity.report.EndpointReport;
import dev.shadowparity.report.Report;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A fleet's evidence per endpoint from the taps' counters in Prometheus ({@code docs/metrics.md}), counted exactly over
 * a window: each counter's raw samples over the window (and a lookback before it, for each series' base) are fetched
 * with an instant query of a range selector, each series' increase is computed here ({@link CounterIncrease}: whole
 * numbers, resets read as restarts from 0, no extrapolation), and the series are summed per endpoint. The sums are
 * judged by the same rule as a store's counts ({@link EndpointReport#trialsAndFailures}, {@link EndpointReport#judge}),
 * so {@code parity gate --prometheus} answers as {@code parity gate --store} would over the same exchanges.
 *
 * <p>Read: {@code parity_exchanges_total} (every outcome), {@code parity_reclassified_total},
 * {@code parity_skipped_total{reason="unsafe-method"}} (whether an endpoint saw only writes) and
 * {@code parity_backend_errors_total{backend="new"}} (NEW's failures, trials and failures both). Not read: samples,
 * fields and latencies, which the gate does not need; reasons of skips and of unjudged exchanges other than the
 * totals.
 */
public final class PrometheusEvidence {

  static final String EXCHANGES = "parity_exchanges_total";
  static final String RECLASSIFIED = "parity_reclassified_total";
  static final String SKIPPED = "parity_skipped_total";
  static final String BACKEND_ERRORS = "parity_backend_errors_total";
  /** The skip reason of a write, which the tap never sends to NEW. */
  private static final String UNSAFE_METHOD = EndpointReport.UNSAFE_METHOD;

  private PrometheusEvidence() {}

  /**
   * The evidence read.
   *
   * @param report  per endpoint, the counts over the window, judged under the rule
   * @param end     the window's end: Prometheus' own time when asked
   * @param window  the window's length
   * @param series  counter series read
   * @param targets distinct scrape targets ({@code job/instance}) among them
   */
  public record Result(Report report, Instant end, Duration window, int series, SortedSet<String> targets) {}

  /** One endpoint's sums. */
  private static final class Counts {
    final long[] outcomes = new long[Outcome.Kind.values().length];
    long reclassified;
    long unsafeSkips;
    final Map<String, Long> newErrors = new TreeMap<>();

    boolean any() {
      for (long n : outcomes) {
        if (n > 0) {
          return true;
        }
      }
      return reclassified > 0;
    }
  }

  /**
   * Reads the counters of the taps that {@code selector} picks over the {@code window} up to {@code at}.
   *
   * @param lookback how far before the window a series' last sample is looked for, as its base; at least the scrape
   *                 interval (Prometheus' own default lookback is 5 minutes)
   * @param at       the window's end; null for Prometheus' present (its own clock, asked first)
   */
  public static Result read(PrometheusApi api, LabelSelector selector, Duration window, Duration lookback, Instant at,
      VerdictConfig rule) throws PrometheusException {
    long end = at == null ? api.time() : at.toEpochMilli();
    long start = end - window.toMillis();
    String range = "[" + PromDuration.promQl(window.plus(lookback)) + "]";
    Map<String, Counts> sums = new TreeMap<>();
    SortedSet<String> targets = new TreeSet<>();
    int[] series = {0};
    Map<String, Outcome.Kind> outcomes = new TreeMap<>();
    for (Outcome.Kind k : Outcome.Kind.values()) {
      outcomes.put(k.wireName(), k);
    }

    api.rangeSamples(EXCHANGES + selector.with() + range, end, (labels, t, v, n) -> {
      Outcome.Kind kind = outcomes.get(labels.get("outcome"));
      if (kind == null) {
        throw new PrometheusException("the series " + labels + " has an outcome this version does not know: a newer "
            + "tap? (outcomes: " + String.join(", ", outcomes.keySet()) + ")");
      }
      counts(sums, labels).outcomes[kind.ordinal()] += seen(labels, targets, series, t, v, n, start);
    });
    api.rangeSamples(RECLASSIFIED + selector.with() + range, end,
        (labels, t, v, n) -> counts(sums, labels).reclassified += seen(labels, targets, series, t, v, n, start));
    api.rangeSamples(SKIPPED + selector.with("reason=\"" + UNSAFE_METHOD + "\"") + range, end,
        (labels, t, v, n) -> counts(sums, labels).unsafeSkips += seen(labels, targets, series, t, v, n, start));
    api.rangeSamples(BACKEND_ERRORS + selector.with("backend=\"new\"") + range, end, (labels, t, v, n) -> {
      long increase = seen(labels, targets, series, t, v, n, start);
      if (increase > 0) {
        counts(sums, labels).newErrors.merge("new:" + labels.getOrDefault("kind", "unknown"), increase, Long::sum);
      }
    });

    ConfidenceSequence cs = new ConfidenceSequence(rule);
    List<EndpointReport> endpoints = new ArrayList<>();
    EndpointReport.Percentiles none = new EndpointReport.Percentiles(0, 0, 0, 0);
    sums.forEach((name, c) -> {
      if (!c.any()) {
        return; // nothing happened to it in the window: not seen, as in a store period it never reached
      }
      long[] o = c.outcomes;
      long matched = o[Outcome.Kind.MATCH.ordinal()];
      long noise = o[Outcome.Kind.NOISE.ordinal()];
      long accepted = o[Outcome.Kind.ACCEPTED.ordinal()];
      long mismatched = o[Outcome.Kind.MISMATCH.ordinal()];
      long errors = o[Outcome.Kind.ERROR.ordinal()];
      long unjudged = o[Outcome.Kind.NOT_COMPARABLE.ordinal()];
      long skipped = o[Outcome.Kind.SKIPPED.ordinal()];
      long compared = matched + noise + accepted + mismatched;
      long newErrors = c.newErrors.values().stream().mapToLong(Long::longValue).sum();
      long[] tf = EndpointReport.trialsAndFailures(compared, mismatched, c.reclassified, newErrors, unjudged);
      // by reason only as far as the verdict needs: writes (never mirrored) apart from every other skip
      Map<String, Long> skips = new TreeMap<>();
      long unsafe = Math.min(c.unsafeSkips, skipped);
      if (unsafe > 0) {
        skips.put(UNSAFE_METHOD, unsafe);
      }
      if (skipped > unsafe) {
        skips.put("other reasons", skipped - unsafe);
      }
      Map<String, Long> notComparable = unjudged > 0 ? Map.of("all reasons", unjudged) : Map.of();
      EndpointReport.Judged judged = EndpointReport.judge(cs, tf[0], tf[1], errors, unjudged, skips);
      endpoints.add(new EndpointReport(name, compared, matched, noise, accepted, Map.of(), mismatched, c.reclassified,
          errors, c.newErrors, notComparable, skips, judged, List.of(), Map.of(), new EndpointReport.Latency(none, none),
          List.of(), List.of(), List.of(), 0, Map.of()));
    });
    Report report = Report.of(Instant.ofEpochMilli(end),
        new Report.VerdictRule(rule.maxMismatchRate(), rule.confidence(), rule.minCompared()), endpoints);
    return new Result(report, Instant.ofEpochMilli(end), window, series[0], targets);
  }

  private static Counts counts(Map<String, Counts> sums, Map<String, String> labels) throws PrometheusException {
    String endpoint = labels.get("endpoint");
    if (endpoint == null) {
      throw new PrometheusException("the series " + labels + " has no endpoint label: not a tap's counter; narrow "
          + "--selector to the taps");
    }
    return sums.computeIfAbsent(endpoint, e -> new Counts());
  }

  private static long seen(Map<String, String> labels, SortedSet<String> targets, int[] series, long[] t, long[] v,
      int n, long start) {
    series[0]++;
    targets.add(labels.getOrDefault("job", "") + "/" + labels.getOrDefault("instance", ""));
    return CounterIncrease.of(t, v, n, start);
  }
}
