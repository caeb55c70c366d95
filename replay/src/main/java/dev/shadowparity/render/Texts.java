package dev.shadowparity.render;

import dev.shadowparity.report.EndpointReport;
import dev.shadowparity.report.TapContribution;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** Wording shared by the report renderers, so that HTML, Markdown and JUnit say the same thing. */
final class Texts {

  /**
   * A tap of a fleet not seen for longer than this before the report was made has stopped writing: a running tap
   * writes at every flush with something new, and a heartbeat every 30 s while idle.
   */
  static final Duration STALE_TAP = Duration.ofMinutes(2);

  private Texts() {}

  /** When a tap last wrote, and, when that was over {@link #STALE_TAP} before the report, that it went silent. */
  static String lastSeen(TapContribution t, Instant reportAt) {
    if (t.lastSeen() == null) {
      return "unknown";
    }
    String silent = silence(t, reportAt);
    return t.lastSeen() + (silent == null ? "" : " (" + silent + ")");
  }

  /**
   * {@code not seen for 5 min: stopped, or cannot reach the store}, when the tap was last seen over {@link #STALE_TAP}
   * before the report was made; null otherwise.
   */
  static String silence(TapContribution t, Instant reportAt) {
    if (t.lastSeen() == null || reportAt == null) {
      return null;
    }
    Duration d = Duration.between(t.lastSeen(), reportAt);
    if (d.compareTo(STALE_TAP) <= 0) {
      return null;
    }
    String ago = d.toMinutes() < 120 ? d.toMinutes() + " min" : d.toHours() < 48 ? d.toHours() + " h" : d.toDays() + " days";
    return "not seen for " + ago + ": stopped, or cannot reach the store";
  }

  static String percent(double rate) {
    if (rate == 0) {
      return "0%";
    }
    double p = rate * 100;
    return String.format(Locale.ROOT, p < 0.1 ? "%.3f%%" : p < 10 ? "%.2f%%" : "%.1f%%", p);
  }

  /** {@code 12.5% (95% bounds 8.1%–17.9%)}. */
  static String rateWithBounds(EndpointReport e, double confidence) {
    return percent(e.mismatchRate()) + " (" + Math.round(confidence * 100) + "% bounds " + percent(e.lowerBound()) + "–"
        + percent(e.upperBound()) + ")";
  }

  /** Why the endpoint has its verdict, in one sentence; an UNPROVEN one says how many clean exchanges would prove it. */
  static String why(EndpointReport e, double maxRate, double confidence, long minCompared) {
    String rule = "allowed " + percent(maxRate);
    return switch (e.verdict()) {
      case FAILING -> "mismatch rate " + rateWithBounds(e, confidence) + " over " + e.trials()
          + " trials: even its lower bound is above the " + rule;
      case PROVEN -> "mismatch rate " + rateWithBounds(e, confidence) + " over " + e.trials()
          + " trials: its upper bound is below the " + rule;
      case NOT_MIRRORED -> "only unsafe methods, which are not sent to NEW: nothing to compare";
      case UNPROVEN -> (e.trials() == 0 ? "no trials yet" : "mismatch rate " + rateWithBounds(e, confidence) + " over "
          + e.trials() + " trials: not yet below the " + rule) + "; " + needed(e.cleanNeeded());
    };
  }

  /** {@code 412 more clean exchanges would prove it}. */
  static String needed(Long clean) {
    if (clean == null || clean < 0) {
      return "no number of clean exchanges can prove an allowed rate of 0";
    }
    return clean + " more clean exchange" + (clean == 1 ? "" : "s") + " would prove it";
  }
}
