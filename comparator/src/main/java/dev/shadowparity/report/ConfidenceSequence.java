package dev.shadowparity.report;

import dev.shadowparity.config.VerdictConfig;

/**
 * The verdict rule: an anytime-valid confidence sequence for an endpoint's failure rate, from its counts alone.
 *
 * <p>For a rate {@code p}, the mixture likelihood ratio
 * {@code M(p) = ∫ θ^f (1-θ)^(n-f) dπ(θ) / (p^f (1-p)^(n-f))} after {@code f} failures in {@code n} trials is a
 * nonnegative martingale with mean 1 when the true rate is {@code p} (Robbins' beta-binomial mixture; Howard,
 * Ramdas, McAuliffe and Sekhon, "Time-uniform, nonparametric, nonasymptotic confidence sequences", Annals of
 * Statistics 2021). By Ville's inequality it ever reaches {@code 1/α} with probability at most {@code α}, so the
 * set of rates with {@code M(p) < 1/α} holds the true rate at every look, however often and whenever one looks.
 * Here {@code α = (1 - confidence) / 2}: the promise of a two-sided interval at {@code confidence}, kept for each
 * side, so that an endpoint whose true rate is the allowed one is ever called PROVEN with probability at most
 * 2.5% at 0.95.
 *
 * <p>The mixing distribution {@code π} is fixed by the rule, never by the data: {@code 0.8 · Beta(1, 1/r) + 0.2 ·
 * Beta(1, 1)} for an allowed rate {@code r}. The first part puts its weight on rates near and below the allowed
 * one, so that a clean endpoint is PROVEN after about 580 exchanges at 1% / 0.95 (a fixed-sample interval needs
 * about 370, but is only valid for a single look); the uniform part makes an endpoint that fails every time
 * FAILING after 2 exchanges. Both are measured in {@code ConfidenceSequenceTest}.
 */
public final class ConfidenceSequence {

  /** Weight of {@code Beta(1, 1/r)} in the mixture; the rest is on {@code Beta(1, 1)}. */
  static final double NEAR_WEIGHT = 0.8;

  private final double maxRate;
  private final long minTrials;
  /** {@code log(1/α)}. */
  private final double logThreshold;
  /** The second shape of the near part, {@code 1/r}; 0 when the allowed rate is 0 (no near part). */
  private final double nearB;
  private final double logNearWeight;
  private final double logFarWeight;
  /** {@code log B(1, nearB)}. */
  private final double logBetaNear;

  public ConfidenceSequence(VerdictConfig rule) {
    this(rule.maxMismatchRate(), rule.confidence(), rule.minCompared());
  }

  /**
   * @param maxRate    the allowed failure rate, at least 0 and below 1
   * @param confidence above 0 and below 1 (two-sided: each side errs with at most {@code (1 - confidence) / 2})
   * @param minTrials  fewer trials are never PROVEN
   */
  public ConfidenceSequence(double maxRate, double confidence, long minTrials) {
    if (!(maxRate >= 0 && maxRate < 1)) {
      throw new IllegalArgumentException("the allowed rate must be at least 0 and below 1, got " + maxRate);
    }
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be above 0 and below 1, got " + confidence);
    }
    this.maxRate = maxRate;
    this.minTrials = Math.max(0, minTrials);
    this.logThreshold = Math.log(2 / (1 - confidence));
    boolean near = maxRate > 0;
    this.nearB = near ? 1 / maxRate : 0;
    this.logNearWeight = near ? Math.log(NEAR_WEIGHT) : Double.NEGATIVE_INFINITY;
    this.logFarWeight = near ? Math.log(1 - NEAR_WEIGHT) : 0;
    this.logBetaNear = near ? -Math.log(nearB) : 0; // B(1, b) = 1/b exactly
  }

  /** What the counts say under this rule. */
  public record Judgement(Verdict verdict, double lowerBound, double upperBound, long cleanNeeded) {}

  /**
   * The verdict, the bounds of the rate, and for an UNPROVEN endpoint how many more clean exchanges (no failure)
   * would make it PROVEN ({@code -1} when none can: an allowed rate of 0; 0 when not UNPROVEN).
   */
  public Judgement judge(long failures, long trials) {
    return judge(failures, trials, 0);
  }

  /**
   * As {@link #judge(long, long)}, where {@code unjudged} of the failures are exchanges that could not be judged
   * (not comparable): they count against PROVEN (the upper bound takes them as failures) but not towards FAILING
   * (the lower bound leaves them out), since they show no difference either. Each side is still a valid one-sided
   * test, with its own counts.
   */
  public Judgement judge(long failures, long trials, long unjudged) {
    check(failures, trials);
    if (unjudged < 0 || unjudged > failures) {
      throw new IllegalArgumentException("need 0 <= unjudged <= failures, got " + unjudged + " of " + failures);
    }
    long judgedFailures = failures - unjudged;
    long judgedTrials = trials - unjudged;
    boolean failing = failing(judgedFailures, judgedTrials);
    Verdict v = failing ? Verdict.FAILING : proven(failures, trials) ? Verdict.PROVEN : Verdict.UNPROVEN;
    double lower = judgedFailures == 0 ? 0 : bound(judgedFailures, judgedTrials, false);
    double upper = failures == trials ? 1 : bound(failures, trials, true);
    return new Judgement(v, lower, upper, v == Verdict.UNPROVEN ? cleanNeeded(failures, trials) : 0);
  }

  private boolean failing(long failures, long trials) {
    return trials > 0 && (double) failures / trials > maxRate && logEvidence(failures, trials, maxRate) >= logThreshold;
  }

  private boolean proven(long failures, long trials) {
    return trials > 0 && (double) failures / trials < maxRate && trials >= minTrials
        && logEvidence(failures, trials, maxRate) >= logThreshold;
  }

  /**
   * FAILING when the rate is over the allowed one at this confidence (the lower bound is over it); PROVEN when it
   * is under (the upper bound is under it) and there are at least {@code min-compared} trials; else UNPROVEN.
   */
  public Verdict verdict(long failures, long trials) {
    return failing(failures, trials) ? Verdict.FAILING : proven(failures, trials) ? Verdict.PROVEN : Verdict.UNPROVEN;
  }

  /**
   * More clean exchanges after which the endpoint would be PROVEN: the least {@code k} with
   * {@code verdict(failures, trials + k) == PROVEN}; -1 when no number would do (an allowed rate of 0).
   */
  public long cleanNeeded(long failures, long trials) {
    check(failures, trials);
    if (maxRate == 0) {
      return -1;
    }
    if (verdict(failures, trials) == Verdict.PROVEN) {
      return 0;
    }
    long hi = 1;
    while (verdict(failures, trials + hi) != Verdict.PROVEN) {
      if (hi > Long.MAX_VALUE / 4 - trials) {
        return -1;
      }
      hi *= 2;
    }
    long lo = hi / 2; // not PROVEN at lo (or lo == 0, checked above)
    while (hi - lo > 1) {
      long mid = lo + (hi - lo) / 2;
      if (verdict(failures, trials + mid) == Verdict.PROVEN) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return hi;
  }

  /** {@code log M(p)}: the log of the mixture likelihood ratio against rate {@code p}. */
  double logEvidence(long failures, long trials, double p) {
    double logLik = (failures == 0 ? 0 : failures * Math.log(p)) + (trials - failures == 0 ? 0 : (trials - failures) * Math.log1p(-p));
    return logMixture(failures, trials) - logLik;
  }

  /** {@code log ∫ θ^f (1-θ)^(n-f) dπ(θ)}. */
  private double logMixture(long failures, long trials) {
    double f = failures;
    double s = trials - failures;
    double far = logFarWeight + logBeta(1 + f, 1 + s); // B(1,1) = 1
    if (nearB == 0) {
      return far;
    }
    double near = logNearWeight + logBeta(1 + f, nearB + s) - logBetaNear;
    double m = Math.max(near, far);
    return m + Math.log(Math.exp(near - m) + Math.exp(far - m));
  }

  /** The upper (or lower) end of the rates with {@code M(p) < 1/α}, by bisection: {@code log M} is convex in p. */
  private double bound(long failures, long trials, boolean upper) {
    double observed = (double) failures / trials;
    double inside = observed;
    double outside = upper ? 1 : 0;
    for (int i = 0; i < 60; i++) {
      double mid = (inside + outside) / 2;
      if (logEvidence(failures, trials, mid) < logThreshold) {
        inside = mid;
      } else {
        outside = mid;
      }
    }
    return upper ? outside : inside;
  }

  private static void check(long failures, long trials) {
    if (trials < 0 || failures < 0 || failures > trials) {
      throw new IllegalArgumentException("need 0 <= failures <= trials, got " + failures + " of " + trials);
    }
  }

  static double logBeta(double a, double b) {
    return logGamma(a) + logGamma(b) - logGamma(a + b);
  }

  private static final double[] LANCZOS = {0.99999999999980993, 676.5203681218851, -1259.1392167224028,
      771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
      1.5056327351493116e-7};
  private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

  /** {@code log Γ(x)} for {@code x > 0}, by the Lanczos approximation (g = 7), relative error about 1e-15. */
  static double logGamma(double x) {
    if (x < 0.5) {
      // reflection: Γ(x) Γ(1-x) = π / sin(πx)
      return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
    }
    double z = x - 1;
    double a = LANCZOS[0];
    double t = z + 7.5;
    for (int i = 1; i < LANCZOS.length; i++) {
      a += LANCZOS[i] / (z + i);
    }
    return HALF_LOG_TWO_PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
  }
}
