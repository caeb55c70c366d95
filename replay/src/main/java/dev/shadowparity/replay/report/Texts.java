package dev.shadowparity.replay.report;

import dev.shadowparity.report.EndpointReport;
import java.util.Locale;

/** Wording shared by the report renderers, so that HTML, Markdown and JUnit say the same thing. */
final class Texts {

  private Texts() {}

  static String percent(double rate) {
    if (rate == 0) {
      return "0%";
    }
    double p = rate * 100;
    return String.format(Locale.ROOT, p < 0.1 ? "%.3f%%" : p < 10 ? "%.2f%%" : "%.1f%%", p);
  }

  /** {@code 12.5% (95% CI 8.1%–17.9%)}. */
  static String rateWithBounds(EndpointReport e, double confidence) {
    return percent(e.mismatchRate()) + " (" + Math.round(confidence * 100) + "% CI " + percent(e.lowerBound()) + "–"
        + percent(e.upperBound()) + ")";
  }

  /** Why the endpoint has its verdict, in one sentence. */
  static String why(EndpointReport e, double maxRate, double confidence, long minCompared) {
    String rule = "allowed " + percent(maxRate);
    return switch (e.verdict()) {
      case FAILING -> "mismatch rate " + rateWithBounds(e, confidence) + " over " + e.trials()
          + " trials: even its lower bound is above the " + rule;
      case PROVEN -> "mismatch rate " + rateWithBounds(e, confidence) + " over " + e.trials()
          + " trials: its upper bound is below the " + rule;
      case UNPROVEN -> e.trials() < minCompared
          ? "only " + e.trials() + " trials, at least " + minCompared + " are needed"
          : "mismatch rate " + rateWithBounds(e, confidence) + " over " + e.trials()
              + " trials: too close to the " + rule + " to tell";
    };
  }
}
